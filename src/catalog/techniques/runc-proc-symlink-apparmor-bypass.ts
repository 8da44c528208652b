import type { Technique } from '../schema.js';

/** CVE-2023-28642: an image whose /proc is a symlink makes runc mount procfs elsewhere and mislabel the container. */
export const technique = {
  id: 'runc-proc-symlink-apparmor-bypass',
  title: 'AppArmor bypass with a symlinked /proc in the image (CVE-2023-28642)',
  class: 'runtime',
  severity: 'medium',
  cves: ['CVE-2023-28642'],
  summary:
    'An image ships /proc as a symlink. With a matching mount configuration runc follows it, procfs ends ' +
    'up somewhere else, and the write of the AppArmor (or SELinux) label for the container process goes ' +
    'to a file that is not procfs, so the container runs unconfined.',
  affected: [
    {
      component: 'runc',
      // unverified: the advisory gives "introduced 0, fixed 1.1.5" (every release before 1.1.5); the
      // regression behind it (shared with CVE-2023-27561) dates from 1.0.0-rc95, so releases before
      // rc95 may not be exploitable this way. Kept as the advisory states it.
      ranges: [{ fixed: '1.1.5', lastAffected: '1.1.4' }],
      fixReference: 'https://github.com/opencontainers/runc/pull/3785',
    },
  ],
  preconditions: {
    attackerControls: ['image'],
  },
  chains: [
    {
      id: 'image-proc-symlink',
      description: 'runc follows the symlinked /proc of the image and writes the label into the wrong place.',
      steps: [
        {
          why: 'The image rootfs has /proc as a symlink; runc mounts procfs through it, away from /proc.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'mounts procfs through a symlinked /proc in the image',
          },
        },
        {
          why: 'runc writes the exec label to /proc/self/attr/exec as the container sees it, which is not procfs, so no profile is applied.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'writes the AppArmor exec label into a non-procfs file, leaving the container unconfined',
            performs: [
              { by: 'runtime', request: { class: 'file', path: '/proc/self/attr/exec', perms: 'w' } },
            ],
          },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade runc to 1.1.5 or later, which prohibits a symlinked /proc.',
    'Only run trusted images.',
  ],
  references: [
    'https://github.com/opencontainers/runc/security/advisories/GHSA-g2j6-57v7-gm8c',
    'https://github.com/opencontainers/runc/pull/3785',
    'https://nvd.nist.gov/vuln/detail/CVE-2023-28642',
  ],
} satisfies Technique;
