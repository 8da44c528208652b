import type { Technique } from '../schema.js';

/**
 * CVE-2022-24769. Docker Engine (and containerd's default spec, advisory GHSA-c9cp-9c75-9v8c)
 * started container processes with a non-empty inheritable capability set.
 */
export const technique = {
  id: 'moby-inheritable-capabilities',
  title: 'Non-empty inheritable capabilities in Docker and containerd containers (CVE-2022-24769)',
  class: 'container',
  severity: 'medium',
  cves: ['CVE-2022-24769'],
  summary:
    'Docker Engine before 20.10.14 and containerd before 1.5.11 / 1.6.2 set the inheritable capability set ' +
    'of container processes to the bounding set. A non-root user in the container who executes a binary ' +
    'with inheritable file capabilities gains them, up to the bounding set: privilege escalation inside the ' +
    'container, not an escape by itself.',
  affected: [
    {
      component: 'moby',
      // Fixed in 20.10.14 ("oci: inheritable capability set should be empty", dd38613d in v20.10.14).
      ranges: [{ fixed: '20.10.14', lastAffected: '20.10.13' }],
      fixReference: 'https://github.com/moby/moby/releases/tag/v20.10.14',
    },
    {
      component: 'containerd',
      // The v1.5.11 and v1.6.2 release notes name CVE-2022-24769 (GHSA-c9cp-9c75-9v8c).
      ranges: [
        { fixed: '1.5.11', lastAffected: '1.5.10' },
        { introduced: '1.6.0', fixed: '1.6.2', lastAffected: '1.6.1' },
      ],
      fixReference: 'https://github.com/containerd/containerd/security/advisories/GHSA-c9cp-9c75-9v8c',
    },
  ],
  preconditions: {
    attackerControls: ['image', 'container-process'],
  },
  chains: [
    {
      id: 'file-inheritable-caps',
      description: 'A non-root process executes a binary with inheritable file capabilities.',
      steps: [
        {
          why: 'The engine writes inheritable = bounding set into the OCI spec of every container process.',
          primitive: {
            kind: 'runtime',
            component: 'moby',
            action: 'starts container processes with a non-empty inheritable capability set',
          },
        },
        {
          why: 'execve() of a binary with inheritable file capabilities moves them into the permitted set; no-new-privileges makes execve ignore file capabilities.',
          primitive: { kind: 'exec', path: '/usr/local/bin/netcap', gainsPrivilege: true },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade Docker Engine to 20.10.14 or later and containerd to 1.5.11 / 1.6.2 or later.',
    'Set no-new-privileges and drop unneeded capabilities from the bounding set.',
  ],
  references: [
    'https://github.com/moby/moby/security/advisories/GHSA-2mm7-x5h6-5pvq',
    'https://github.com/containerd/containerd/security/advisories/GHSA-c9cp-9c75-9v8c',
    'https://nvd.nist.gov/vuln/detail/CVE-2022-24769',
  ],
} satisfies Technique;
