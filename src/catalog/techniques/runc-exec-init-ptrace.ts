import { PTRACE_ATTACH } from '../constants.js';
import type { Technique } from '../schema.js';

/**
 * CVE-2016-9962. During `runc exec`, `runc init` joined the container's namespaces while still
 * dumpable and holding a directory descriptor from the host, so a container process could ptrace
 * it and use the descriptor to reach the host filesystem.
 */
export const technique = {
  id: 'runc-exec-init-ptrace',
  title: 'ptrace of runc init during exec to use its leaked host descriptor (CVE-2016-9962)',
  class: 'container',
  severity: 'medium',
  cves: ['CVE-2016-9962'],
  summary:
    'When an operator runs `runc exec` (docker exec), runc init enters the container namespaces before it ' +
    'is made non-dumpable and before it closes a directory descriptor opened on the host. A container ' +
    'process with CAP_SYS_PTRACE attaches to it and uses that descriptor to open host files.',
  affected: [
    {
      component: 'runc',
      // Fixed by 5d93fed3 ("Set init processes as non-dumpable"), first tagged in v1.0.0-rc3.
      ranges: [{ fixed: '1.0.0-rc3', lastAffected: '1.0.0-rc2' }],
      fixReference: 'https://github.com/opencontainers/runc/commit/5d93fed3d27f1e2bab58bad13b180a7a81d0b378',
    },
    {
      component: 'moby',
      ranges: [{ fixed: '1.12.6', lastAffected: '1.12.5' }],
      fixReference: 'https://github.com/docker/docker/releases/tag/v1.12.6',
    },
  ],
  preconditions: {
    // Red Hat: "only a risk when running privileged containers": the tracer needs CAP_SYS_PTRACE
    // because runc init holds capabilities the container's processes lack.
    capabilities: ['sys_ptrace'],
    attackerControls: ['container-process'],
    needsHostAction: 'an operator runs `docker exec` / `runc exec` in the container',
  },
  chains: [
    {
      id: 'attach-runc-init',
      description:
        'Attach to the joining runc init and open host files relative to its leaked directory descriptor.',
      steps: [
        {
          why: 'runc init holds more capabilities than the container processes, so attaching needs CAP_SYS_PTRACE.',
          primitive: { kind: 'capability', name: 'sys_ptrace' },
        },
        {
          why: 'Attach to runc init as soon as it appears in the container pid namespace.',
          primitive: { kind: 'syscall', name: 'ptrace', args: [PTRACE_ATTACH] },
        },
        {
          why: 'runc init has not executed the container binary yet, so it does not carry the container AppArmor label: the peer is an unconfined runtime process inside the container.',
          primitive: { kind: 'ptrace', access: 'trace', peer: 'runtime' },
        },
        {
          why: 'Injected code calls openat() on the leaked host directory descriptor and climbs to the host root; AppArmor sees the host path.',
          primitive: { kind: 'file', path: '/etc/shadow', access: 'r' },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade runc to 1.0.0-rc3 or later (Docker 1.12.6 or later): runc init is non-dumpable until it executes the container binary.',
    'Do not grant CAP_SYS_PTRACE or run privileged containers; an AppArmor ptrace rule limited to the container peer also breaks the attach.',
  ],
  references: [
    'https://nvd.nist.gov/vuln/detail/CVE-2016-9962',
    'https://access.redhat.com/security/vulnerabilities/cve-2016-9962',
    'https://bugzilla.suse.com/show_bug.cgi?id=1012568#c6',
    'https://github.com/opencontainers/runc/commit/5d93fed3d27f1e2bab58bad13b180a7a81d0b378',
  ],
} satisfies Technique;
