import type { Technique } from '../schema.js';

/**
 * CVE-2019-16884. runc let an image-declared volume be mounted over /proc, so the write that
 * asks the kernel to apply the container's AppArmor profile on exec landed in a plain file.
 */
export const technique = {
  id: 'runc-proc-volume-apparmor-bypass',
  title: 'AppArmor bypass through a volume mounted over /proc (CVE-2019-16884)',
  class: 'runtime',
  severity: 'high',
  cves: ['CVE-2019-16884'],
  summary:
    'A malicious image declares a volume at /proc. runc mounts it over the container /proc, then writes ' +
    "the container's AppArmor label to /proc/self/attr/exec, which is now a file in the volume, so the " +
    'container process starts unconfined and every AppArmor rule of the profile is void.',
  affected: [
    {
      component: 'runc',
      // Fix cad42f6e (runc PR #2130, "apparmor-verify-procfs") is first in v1.0.0-rc9.
      ranges: [{ fixed: '1.0.0-rc9', lastAffected: '1.0.0-rc8' }],
      fixReference: 'https://github.com/opencontainers/runc/commit/cad42f6e0932db0ce08c3a3d9e89e6063ec283e4',
    },
  ],
  preconditions: {
    attackerControls: ['image'],
  },
  chains: [
    {
      id: 'image-volume-on-proc',
      description: 'The runtime mounts the image volume over /proc and writes the LSM label into it.',
      steps: [
        {
          why: 'The image declares VOLUME /proc; the engine asks runc to mount a volume there after procfs.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'mounts an image-declared volume over the container /proc',
          },
        },
        {
          why: 'runc writes the exec label to /proc/self/attr/exec without checking it is on procfs, so the write goes to a regular file and the container runs unconfined.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'writes the AppArmor exec label into a non-procfs file, leaving the container unconfined',
            // The label file is a plain file named .../self/attr/exec; real procfs files are /proc/<pid>/attr/...
            performs: [
              { by: 'runtime', request: { class: 'file', path: '/proc/self/attr/exec', perms: 'w' } },
            ],
          },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade runc to 1.0.0-rc9 or later: it refuses to write LSM labels to anything but procfs.',
    'Only run trusted images; reject images that declare volumes under /proc.',
  ],
  references: [
    'https://github.com/opencontainers/runc/issues/2128',
    'https://github.com/opencontainers/runc/pull/2130',
    'https://github.com/advisories/GHSA-fgv8-vj5c-2ppq',
    'https://nvd.nist.gov/vuln/detail/CVE-2019-16884',
  ],
} satisfies Technique;
