import { AT_FDCWD, RENAME_EXCHANGE } from '../constants.js';
import type { Step, Technique } from '../schema.js';

/** runc's part and the payoff, the same whichever way the container swaps the path. */
const mountAndUse: Step[] = [
  {
    why: 'runc validates the destination, then mounts through the swapped symlink, outside the rootfs.',
    primitive: {
      kind: 'runtime',
      component: 'runc',
      action: 'bind-mounts a volume at a destination resolved through a container-controlled symlink',
      // The swapped destination resolves to the pod's volumes directory on the host (the PoC's first stage).
      performs: [
        {
          by: 'runtime',
          request: {
            class: 'mount',
            source: '/var/lib/kubelet/pods/1a2b3c/volumes/kubernetes.io~empty-dir/test2/',
            target: '/var/lib/kubelet/pods/1a2b3c/volumes/',
            options: ['bind'],
          },
        },
      ],
    },
  },
  {
    why: 'The container that lost the race now sees host files under its volume path.',
    primitive: { kind: 'file', path: '/test2/etc/shadow', access: 'r' },
  },
];

/**
 * CVE-2021-30465. runc checked a mount destination and then mounted on the path again; a
 * container sharing a volume could swap a path component for a symlink in between, so the mount
 * was placed outside the rootfs and the host filesystem became visible in the container.
 */
export const technique = {
  id: 'runc-mount-destination-symlink-exchange',
  title: 'Mount destination swapped via symlink exchange (CVE-2021-30465)',
  class: 'runtime',
  severity: 'high',
  cves: ['CVE-2021-30465'],
  summary:
    'A pod has several containers sharing volumes, with mount paths nested in one another. The first ' +
    'container swaps a directory in a shared volume with a symlink (renameat2 RENAME_EXCHANGE) in a loop ' +
    'while runc sets up the next container, so runc resolves a mount destination through the symlink, ' +
    'outside the container rootfs, and the host filesystem ends up bind-mounted into the container.',
  affected: [
    {
      component: 'runc',
      // Fix 0ca91f44 ("rootfs: add mount destination validation") is first in v1.0.0-rc95.
      ranges: [{ fixed: '1.0.0-rc95', lastAffected: '1.0.0-rc94' }],
      fixReference: 'https://github.com/opencontainers/runc/commit/0ca91f44f1664da834bc61115a849b56d22f595f',
    },
  ],
  preconditions: {
    // What the exposed host tree yields is bounded by the container's ids: measured in the lab, a
    // user-namespaced container cannot write the host directory it reaches (EACCES).
    noUserNamespace: true,
    attackerControls: ['pod-spec', 'container-process'],
  },
  chains: [
    {
      id: 'shared-volume-exchange',
      description: 'Race the mount of a nested volume from a sibling container in the same pod.',
      steps: [
        {
          why: 'Create the symlink that will replace the mount destination; it points at / so it resolves on the host side.',
          primitive: { kind: 'file', path: '/test1/mnt-tmp', access: 'w' },
        },
        {
          why: 'Exchange the real directory and the symlink atomically, over and over, while the next container is created.',
          primitive: {
            kind: 'syscall',
            name: 'renameat2',
            args: [AT_FDCWD, 0n, AT_FDCWD, 0n, RENAME_EXCHANGE],
          },
        },
        ...mountAndUse,
      ],
    },
    {
      id: 'shared-volume-rename',
      description:
        'The same race where renameat2(RENAME_EXCHANGE) is refused: swap with three plain renames (not atomic; the lab wins it too).',
      steps: [
        {
          why: 'Create the symlink that will replace the mount destination.',
          primitive: { kind: 'file', path: '/test1/mnt-tmp', access: 'w' },
        },
        {
          why: 'Move the directory aside, the symlink in, and back, in a loop: rename(2) needs no flag a filter could single out.',
          primitive: { kind: 'syscall', name: 'renameat', args: [AT_FDCWD, 0n, AT_FDCWD, 0n] },
        },
        ...mountAndUse,
      ],
    },
  ],
  mitigations: [
    'Upgrade runc to 1.0.0-rc95 or later (containerd 1.4.6 / 1.5.2 ship it).',
    'Refuse pods from untrusted users that share volumes between containers with nested mount paths.',
    'User namespaces and LSM policies limit what the mounted host tree exposes, but do not block the mount.',
  ],
  references: [
    'https://github.com/opencontainers/runc/security/advisories/GHSA-c3xm-pvg7-gh7r',
    'http://www.openwall.com/lists/oss-security/2021/05/19/2',
    'https://github.com/opencontainers/runc/commit/0ca91f44f1664da834bc61115a849b56d22f595f',
    'https://nvd.nist.gov/vuln/detail/CVE-2021-30465',
  ],
} satisfies Technique;
