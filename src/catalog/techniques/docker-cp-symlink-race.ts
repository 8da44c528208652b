import { AT_FDCWD, RENAME_EXCHANGE } from '../constants.js';
import type { Step, Technique } from '../schema.js';

/** The daemon's part, the same whichever way the container swaps the path. */
const copyThroughSymlink: Step = {
  why: 'dockerd opens the already-resolved path after the swap and reads or writes the host.',
  primitive: {
    kind: 'runtime',
    component: 'moby',
    action: 'docker cp opens a container path after it was swapped for a symlink to the host',
    performs: [{ by: 'cp-helper', request: { class: 'file', path: '/etc/cron.d/escape', perms: 'w' } }],
  },
};

/**
 * CVE-2018-15664. The daemon resolved `docker cp` paths inside the container root and then used
 * them, so a container swapping a path for a symlink made the daemon read or write host paths.
 */
export const technique = {
  id: 'docker-cp-symlink-race',
  title: 'docker cp symlink-exchange race (CVE-2018-15664)',
  class: 'runtime',
  severity: 'high',
  cves: ['CVE-2018-15664'],
  summary:
    'The API behind `docker cp` resolves a path within the container filesystem (FollowSymlinkInScope) ' +
    'and then opens it. A container process that swaps a path component for a symlink to / in between ' +
    'makes dockerd, as host root, read arbitrary host files into the copy or write the copied files ' +
    'anywhere on the host.',
  affected: [
    {
      component: 'moby',
      // The fix (moby #39292, chroot to the container root for tar/untar) is first in v18.09.7 and
      // v19.03.0 (checked with git tag --contains 7279760 / 36324c3 in moby/moby). The NVD text says
      // "through 18.06.1-ce-rc2", the version current when it was reported.
      ranges: [{ fixed: '18.09.7', lastAffected: '18.09.6' }],
      fixReference: 'https://github.com/moby/moby/pull/39292',
    },
  ],
  preconditions: {
    // No noUserNamespace: the daemon's copy helper runs as host root whatever the container's
    // user namespace (measured in the lab: the attack reaches its canary with one).
    attackerControls: ['container-process'],
    needsHostAction: 'an operator runs `docker cp` against the container',
  },
  chains: [
    {
      id: 'swap-during-cp',
      description: 'Swap a directory with a symlink to / while dockerd copies.',
      steps: [
        {
          why: 'Create a symlink to / next to the directory the operator will copy.',
          primitive: { kind: 'file', path: '/w/sym', access: 'w' },
        },
        {
          why: 'Exchange the directory and the symlink in a loop (the published PoC uses renameat2 RENAME_EXCHANGE).',
          primitive: {
            kind: 'syscall',
            name: 'renameat2',
            args: [AT_FDCWD, 0n, AT_FDCWD, 0n, RENAME_EXCHANGE],
          },
        },
        copyThroughSymlink,
      ],
    },
    {
      id: 'swap-by-rename',
      description:
        'The same race where renameat2(RENAME_EXCHANGE) is refused: swap with plain renames (the lab wins it too).',
      steps: [
        {
          why: 'Create a symlink to / next to the directory the operator will copy.',
          primitive: { kind: 'file', path: '/w/sym', access: 'w' },
        },
        {
          why: 'Move the directory aside and the symlink in, and back, in a loop: rename(2) carries no flag a filter could single out.',
          primitive: { kind: 'syscall', name: 'renameat', args: [AT_FDCWD, 0n, AT_FDCWD, 0n] },
        },
        copyThroughSymlink,
      ],
    },
  ],
  mitigations: [
    'Upgrade Docker Engine to 18.09.7, 19.03.0 or later (the archive helper chroots into the container root).',
    'Do not `docker cp` to or from untrusted running containers; pause them first.',
  ],
  references: [
    'https://www.openwall.com/lists/oss-security/2019/05/28/1',
    'https://github.com/moby/moby/pull/39292',
    'https://nvd.nist.gov/vuln/detail/CVE-2018-15664',
  ],
} satisfies Technique;
