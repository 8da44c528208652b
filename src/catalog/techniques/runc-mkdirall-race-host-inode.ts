import { AT_FDCWD, RENAME_EXCHANGE } from '../constants.js';
import type { Technique } from '../schema.js';

/**
 * CVE-2024-45310. While creating missing mount destinations runc used os.MkdirAll on a path a
 * sibling container could swap for a symlink, so it created empty files or directories on the host.
 */
export const technique = {
  id: 'runc-mkdirall-race-host-inode',
  title: 'Empty files and directories created on the host via a mount-destination race (CVE-2024-45310)',
  class: 'runtime',
  severity: 'low',
  cves: ['CVE-2024-45310'],
  summary:
    'Two containers share a volume; one swaps a directory in it for a symlink to a host path while runc ' +
    'creates the mount destinations of the other with os.MkdirAll. runc follows the symlink and creates ' +
    'empty files or directories anywhere on the host (existing files are not truncated), which can be ' +
    'enough to switch on host behaviour keyed on a file existing.',
  affected: [
    {
      component: 'runc',
      // Advisory GHSA-jfvp-7x6p-h2pv: "runc 1.1.13 and earlier as well as 1.2.0-rc2 and earlier";
      // fixed in 1.1.14 and 1.2.0-rc.3 (OSV ranges: <1.1.14, and 1.2.0-rc.1 to <1.2.0-rc.3).
      ranges: [
        { fixed: '1.1.14', lastAffected: '1.1.13' },
        { introduced: '1.2.0-rc.1', fixed: '1.2.0-rc.3', lastAffected: '1.2.0-rc.2' },
      ],
      fixReference: 'https://github.com/opencontainers/runc/pull/4359',
    },
  ],
  preconditions: {
    attackerControls: ['pod-spec', 'container-process'],
  },
  chains: [
    {
      id: 'shared-volume-mkdirall',
      description:
        'Swap a shared-volume directory for a symlink while runc creates the second container mounts.',
      steps: [
        {
          why: 'Create a symlink in the shared volume that points at the host path to create.',
          primitive: { kind: 'file', path: '/shared/link', access: 'w' },
        },
        {
          why: 'Exchange it with a real directory in a loop to win the race against os.MkdirAll.',
          primitive: {
            kind: 'syscall',
            name: 'renameat2',
            args: [AT_FDCWD, 0n, AT_FDCWD, 0n, RENAME_EXCHANGE],
          },
        },
        {
          why: 'runc, as host root, creates the missing destination through the symlink on the host.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'creates an empty file or directory at a host path through a swapped symlink',
          },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade runc to 1.1.14, 1.2.0-rc.3 or later.',
    'User namespaces restrict the created inodes to directories the remapped root can write.',
  ],
  references: [
    'https://github.com/opencontainers/runc/security/advisories/GHSA-jfvp-7x6p-h2pv',
    'https://github.com/opencontainers/runc/pull/4359',
    'https://nvd.nist.gov/vuln/detail/CVE-2024-45310',
  ],
} satisfies Technique;
