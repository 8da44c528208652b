import { AT_FDCWD, RENAME_EXCHANGE } from '../constants.js';
import type { Technique } from '../schema.js';

/** CVE-2023-27561: the CVE-2019-19921 protection regressed in runc 1.0.0-rc95 and came back in 1.1.5. */
export const technique = {
  id: 'runc-proc-symlink-regression',
  title: 'Regression of the /proc mount-race protection (CVE-2023-27561)',
  class: 'runtime',
  severity: 'high',
  cves: ['CVE-2023-27561'],
  summary:
    'The CVE-2021-30465 rework in runc 1.0.0-rc95 dropped the check that the /proc and /sys mount ' +
    'destinations are not symlinks, re-opening CVE-2019-19921: with two containers sharing a volume and ' +
    'images the attacker controls, a volume can be raced onto /proc and the container starts without its ' +
    'AppArmor or SELinux label.',
  affected: [
    {
      component: 'runc',
      // runc 1.1.5 release notes: "This regression was present from v1.0.0-rc95 to v1.1.4".
      ranges: [{ introduced: '1.0.0-rc95', fixed: '1.1.5', lastAffected: '1.1.4' }],
      fixReference: 'https://github.com/opencontainers/runc/pull/3785',
    },
  ],
  preconditions: {
    attackerControls: ['pod-spec', 'image', 'container-process'],
  },
  chains: [
    {
      id: 'shared-volume-symlink-swap',
      description: 'The CVE-2019-19921 race, working again on 1.0.0-rc95 to 1.1.4.',
      steps: [
        {
          why: 'Plant a symlink to /proc in the shared volume (seen by the first container at /shared).',
          primitive: { kind: 'file', path: '/shared/evil', access: 'w' },
        },
        {
          why: 'Swap the symlink with a real directory in a loop while the second container is created.',
          primitive: {
            kind: 'syscall',
            name: 'renameat2',
            args: [AT_FDCWD, 0n, AT_FDCWD, 0n, RENAME_EXCHANGE],
          },
        },
        {
          why: 'runc mounts the volume through the symlink over the second container /proc.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'mounts a shared volume over /proc through a swapped symlink',
          },
        },
        {
          why: 'The LSM label write goes to the fake /proc; the second container runs unconfined.',
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
    'Upgrade runc to 1.1.5 or later, which refuses symlinked /proc and /sys destinations.',
    'Do not let untrusted users define containers that share writable volumes.',
  ],
  references: [
    'https://github.com/advisories/GHSA-vpvm-3wq2-2wvm',
    'https://github.com/opencontainers/runc/releases/tag/v1.1.5',
    'https://github.com/opencontainers/runc/issues/3751',
    'https://nvd.nist.gov/vuln/detail/CVE-2023-27561',
  ],
} satisfies Technique;
