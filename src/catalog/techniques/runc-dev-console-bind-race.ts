import type { Technique } from '../schema.js';

/**
 * CVE-2025-52565. For a container with a terminal runc bind-mounts /dev/pts/$n over /dev/console
 * before masking /proc; if /dev/pts/$n is a symlink, runc mounts its target (core_pattern)
 * read-write at /dev/console, out of reach of maskedPaths and readonlyPaths.
 */
export const technique = {
  id: 'runc-dev-console-bind-race',
  title: '/dev/console bind mount redirected to a procfs file (CVE-2025-52565)',
  class: 'runtime',
  severity: 'high',
  cves: ['CVE-2025-52565'],
  summary:
    'When a container has a terminal, runc opens the pty peer as /dev/pts/$n inside the container and ' +
    'bind-mounts it over /dev/console. An attacker who replaces /dev/pts/$n with a symlink (racing runc ' +
    'or with a malicious configuration) makes runc bind-mount e.g. /proc/sys/kernel/core_pattern read-write ' +
    'at /dev/console, before /proc is masked, and writing /dev/console then sets the host core_pattern.',
  affected: [
    {
      component: 'runc',
      // Changelog: "This issue affected all versions of runc >= 1.0.0-rc3"; fixed 1.2.8, 1.3.3,
      // 1.4.0-rc.3 (OSV GO-2025-4097).
      ranges: [
        { introduced: '1.0.0-rc3', fixed: '1.2.8', lastAffected: '1.2.7' },
        { introduced: '1.3.0-rc.1', fixed: '1.3.3', lastAffected: '1.3.2' },
        { introduced: '1.4.0-rc.1', fixed: '1.4.0-rc.3', lastAffected: '1.4.0-rc.2' },
      ],
      fixReference: 'https://github.com/opencontainers/runc/commit/531ef794e4ecd628006a865ad334a048ee2b4b2e',
    },
  ],
  preconditions: {
    noUserNamespace: true,
    attackerControls: ['pod-spec', 'image', 'container-process'],
  },
  chains: [
    {
      id: 'pts-symlink-to-core-pattern',
      description: 'Swap /dev/pts/$n for a symlink to core_pattern, then write the resulting /dev/console.',
      steps: [
        {
          why: 'Replace the pty peer /dev/pts/0 with a symlink to /proc/sys/kernel/core_pattern.',
          primitive: { kind: 'file', path: '/dev/pts/0', access: 'w' },
        },
        {
          why: 'runc bind-mounts the symlink target over /dev/console, read-write, before maskedPaths and readonlyPaths are applied.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'bind-mounts the target of a /dev/pts symlink read-write over /dev/console',
          },
        },
        {
          why: 'Write a |/path/to/payload core handler; AppArmor checks the mount point path, /dev/console.',
          primitive: { kind: 'file', path: '/dev/console', access: 'w' },
        },
        {
          why: 'Crash a process so the host kernel runs the payload as root.',
          primitive: { kind: 'signal', signal: 'segv', peer: 'container' },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade runc to 1.2.8, 1.3.3, 1.4.0-rc.3 or later: it gets the pty peer with TIOCGPTPEER instead of opening /dev/pts/$n.',
    'Avoid terminals (docker run -t) for untrusted images; user namespaces make the exposed procfs files non-writable.',
  ],
  references: [
    'https://github.com/opencontainers/runc/security/advisories/GHSA-qw9x-cqr3-wc7r',
    'https://github.com/opencontainers/runc/commit/531ef794e4ecd628006a865ad334a048ee2b4b2e',
    'https://nvd.nist.gov/vuln/detail/CVE-2025-52565',
  ],
} satisfies Technique;
