import type { Technique } from '../schema.js';

/**
 * CVE-2022-29162. `runc exec` gave processes a non-empty inheritable capability set, so an
 * unprivileged user in the container could gain capabilities by executing a program with
 * inheritable file capabilities.
 */
export const technique = {
  id: 'runc-exec-inheritable-capabilities',
  title: 'Inheritable capabilities in runc exec (CVE-2022-29162)',
  class: 'container',
  severity: 'medium',
  cves: ['CVE-2022-29162'],
  summary:
    '`runc exec` started processes with inheritable capabilities set to the container bounding set. A ' +
    'non-root user in the container who executes a binary with inheritable file capabilities (for ' +
    'example cap_net_admin+ei) gains those capabilities, up to the bounding set: a privilege escalation ' +
    'inside the container rather than an escape.',
  affected: [
    {
      component: 'runc',
      // Fixed in 1.1.2 (advisory GHSA-f3fp-gc8g-vw66, OSV "< 1.1.2"; release-1.1 commit 364ec0f1).
      ranges: [{ fixed: '1.1.2', lastAffected: '1.1.1' }],
      fixReference: 'https://github.com/opencontainers/runc/releases/tag/v1.1.2',
    },
  ],
  preconditions: {
    attackerControls: ['image', 'container-process'],
    needsHostAction:
      'an operator or tool runs `runc exec` / `docker exec` as a non-root user in the container',
  },
  chains: [
    {
      id: 'file-inheritable-caps',
      description: 'Execute a binary with inheritable file capabilities from a process started by runc exec.',
      steps: [
        {
          why: 'runc exec starts the process with inheritable = bounding set.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'starts runc exec processes with a non-empty inheritable capability set',
          },
        },
        {
          why: 'execve() of a binary carrying inheritable file capabilities moves them into the permitted set; no-new-privileges makes execve ignore file capabilities.',
          primitive: { kind: 'exec', path: '/usr/local/bin/netcap', gainsPrivilege: true },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade runc to 1.1.2 or later (and moby 20.10.14 / containerd 1.5.11 / 1.6.2 for the same default in their specs).',
    'Set no-new-privileges, and do not ship binaries with inheritable file capabilities in images.',
  ],
  references: [
    'https://github.com/opencontainers/runc/security/advisories/GHSA-f3fp-gc8g-vw66',
    'https://github.com/opencontainers/runc/releases/tag/v1.1.2',
    'https://nvd.nist.gov/vuln/detail/CVE-2022-29162',
  ],
} satisfies Technique;
