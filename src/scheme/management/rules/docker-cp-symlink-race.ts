import type { ManagementRule } from '../types.js';

/**
 * CVE-2018-15664: dockerd's copy into a container (before 18.09.7) resolved the destination in the
 * container root, then wrote by path; a container swapping the directory for a symlink to a host
 * path made the daemon write there as host root. The copy helper's writes belong under container
 * storage (or a volume the operator bound into the container); it never needs to write the host's
 * system trees. These rules refuse the write that followed the symlink out; they cannot tell a
 * write into an operator's bind-mounted host directory from an escaped one, so such directories
 * stay exposed: cp-chroot (Docker 18.09.7 / 19.03.0) is the fix.
 */
const HOST_TREES = [
  '/etc/**',
  '/usr/**',
  '/bin/**',
  '/sbin/**',
  '/lib{,32,64,x32}/**',
  '/boot/**',
  '/root/**',
];

export const rules: ManagementRule[] = [
  ...HOST_TREES.map(
    (path): ManagementRule => ({
      component: 'cp-helper',
      techniques: ['docker-cp-symlink-race'],
      why: 'docker cp writing into the host system tree means the destination was swapped for a symlink out of the container root',
      rule: { kind: 'file', path, perms: 'w' },
    }),
  ),
];
