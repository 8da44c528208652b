import type { Technique } from '../schema.js';

/**
 * CVE-2025-31133. runc masks files by bind-mounting the container's /dev/null over them without
 * checking that /dev/null is the null device; when /dev is a bind mount (or raced through a shared
 * mount) the attacker controls it, and runc bind-mounts a procfs file read-write instead.
 */
export const technique = {
  id: 'runc-masked-path-dev-null-symlink',
  title: 'maskedPaths turned into writable procfs mounts via a /dev/null symlink (CVE-2025-31133)',
  class: 'runtime',
  severity: 'high',
  cves: ['CVE-2025-31133'],
  summary:
    "runc masks files such as /proc/kcore by bind-mounting the container's /dev/null over them. If /dev " +
    'is a bind mount the attacker controls, /dev/null can be a symlink to /proc/sys/kernel/core_pattern ' +
    '(or /proc/sysrq-trigger): runc then bind-mounts that file read-write over the masked path, and ' +
    'writing it sets the host core_pattern (escape) or crashes the host.',
  affected: [
    {
      component: 'runc',
      // Changelog: "This issue affected all known runc versions". Fixed in 1.2.8, 1.3.3 and
      // 1.4.0-rc.3 (OSV GO-2025-4096 ranges).
      ranges: [
        { fixed: '1.2.8', lastAffected: '1.2.7' },
        { introduced: '1.3.0-rc.1', fixed: '1.3.3', lastAffected: '1.3.2' },
        { introduced: '1.4.0-rc.1', fixed: '1.4.0-rc.3', lastAffected: '1.4.0-rc.2' },
      ],
      fixReference: 'https://github.com/opencontainers/runc/commit/8476df83b534a2522b878c0507b3491def48db9f',
    },
  ],
  preconditions: {
    // Root in the container is host root, so the procfs file is the host's.
    noUserNamespace: true,
    attackerControls: ['pod-spec', 'image', 'container-process'],
  },
  chains: [
    {
      id: 'dev-null-to-core-pattern',
      description: 'Make /dev/null a symlink to core_pattern, let runc mount it over /proc/kcore, write it.',
      steps: [
        {
          why: 'In the bind-mounted /dev, replace null with a symlink to the procfs file to expose.',
          primitive: { kind: 'file', path: '/dev/null', access: 'w' },
        },
        {
          why: 'runc masks /proc/kcore by bind-mounting "/dev/null", following the symlink: the real core_pattern is now mounted read-write at /proc/kcore.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'bind-mounts the target of a /dev/null symlink read-write over a masked path',
            performs: [
              {
                by: 'runtime',
                request: {
                  class: 'mount',
                  source: '/proc/sys/kernel/core_pattern',
                  target: '/proc/kcore',
                  options: ['bind'],
                },
              },
            ],
            // the "mask" is now the attacker's file, mounted read-write
            disables: ['masked-paths', 'read-only-paths'],
          },
        },
        {
          why: 'Write a |/path/to/payload handler through the masked path; AppArmor sees the mount point, /proc/kcore, which docker-default denies.',
          primitive: { kind: 'file', path: '/proc/kcore', access: 'w' },
        },
        {
          why: 'Crash a process so the host kernel runs the payload as root.',
          primitive: { kind: 'signal', signal: 'segv', peer: 'container' },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade runc to 1.2.8, 1.3.3, 1.4.0-rc.3 or later: it opens /dev/null once and verifies it is the 1:3 character device.',
    'Do not let untrusted users bind-mount /dev or share mounts between containers; user namespaces make the exposed files non-writable.',
    'An AppArmor profile that denies writes to masked /proc files (docker-default: deny @{PROC}/kcore and @{PROC}/* w) breaks the write.',
  ],
  references: [
    'https://github.com/opencontainers/runc/security/advisories/GHSA-9493-h29p-rfm2',
    'https://github.com/opencontainers/runc/releases/tag/v1.2.8',
    'https://nvd.nist.gov/vuln/detail/CVE-2025-31133',
  ],
} satisfies Technique;
