import { AT_FDCWD, RENAME_EXCHANGE } from '../constants.js';
import type { Technique } from '../schema.js';

/**
 * CVE-2019-19921. Two containers share a volume; one keeps swapping a directory in it with a
 * symlink to /proc while runc mounts the volume for the other, so the mount lands on /proc.
 */
export const technique = {
  id: 'runc-volume-proc-mount-race',
  title: 'Volume mount raced onto /proc through a swapped symlink (CVE-2019-19921)',
  class: 'runtime',
  severity: 'high',
  cves: ['CVE-2019-19921'],
  summary:
    'An attacker who can start two containers sharing a volume, with images they control, swaps a ' +
    'directory in the volume for a symlink while runc mounts the volume for the second container. runc ' +
    "follows the symlink and mounts over that container's /proc, so its LSM labels are written to a fake " +
    'file and the container runs without AppArmor or SELinux.',
  affected: [
    {
      component: 'runc',
      // Fix 2fc03cc1 (runc PR #2207, "fix-double-volume-attack") is first in v1.0.0-rc10.
      ranges: [{ fixed: '1.0.0-rc10', lastAffected: '1.0.0-rc9' }],
      fixReference: 'https://github.com/opencontainers/runc/commit/2fc03cc11c775b7a8b2e48d7ee447cb9bef32ad0',
    },
  ],
  preconditions: {
    attackerControls: ['pod-spec', 'image', 'container-process'],
  },
  chains: [
    {
      id: 'shared-volume-symlink-swap',
      description: 'The first container races the mount of the shared volume for the second one.',
      steps: [
        {
          why: 'Plant a symlink to /proc in the shared volume (seen by the first container at /shared).',
          primitive: { kind: 'file', path: '/shared/evil', access: 'w' },
        },
        {
          why: 'Atomically swap the symlink with a real directory in a loop, so runc checks a directory but mounts through the symlink.',
          primitive: {
            kind: 'syscall',
            name: 'renameat2',
            args: [AT_FDCWD, 0n, AT_FDCWD, 0n, RENAME_EXCHANGE],
          },
        },
        {
          why: 'runc resolves the mount destination after the swap and covers the second container /proc.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'mounts a shared volume over /proc through a swapped symlink',
          },
        },
        {
          why: 'runc writes the LSM label into the fake /proc, so the second container starts unconfined.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'writes the AppArmor exec label into a non-procfs file, leaving the container unconfined',
          },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade runc to 1.0.0-rc10 or later.',
    'Do not let untrusted users define pods whose containers share writable volumes with custom mount paths.',
    'Docker is not affected: it happens to create mount destinations in a way that blocks the race (per the NVD entry).',
  ],
  references: [
    'https://github.com/opencontainers/runc/issues/2197',
    'https://github.com/opencontainers/runc/pull/2207',
    'https://github.com/opencontainers/runc/security/advisories/GHSA-fh74-hm69-rqjw',
    'https://nvd.nist.gov/vuln/detail/CVE-2019-19921',
  ],
} satisfies Technique;
