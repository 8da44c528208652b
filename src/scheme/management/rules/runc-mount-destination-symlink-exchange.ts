import type { ManagementRule } from '../types.js';

/**
 * CVE-2021-30465: runc (before 1.0.0-rc95) resolved a volume's destination inside the rootfs and
 * then mounted by path; a sibling container swapped the destination for a symlink in between, so
 * the volume was mounted over the pod's volumes directory on the host (in the new container's
 * mount namespace), and the next volume's source then resolved inside the attacker's volume. A
 * runtime's mount targets are always inside a container rootfs, never a volume's host directory:
 * denying mounts onto the volumes directories refuses the first stage. The patterns name the
 * volumes directory itself as well as everything below it (`/dir/**` does not match `/dir/`, and
 * an escaped mount may cover the volumes directory itself). Mounts over a further ancestor of the
 * volume sources (/var/lib, say) are not covered here: mount-fd (runc 1.0.0-rc95) is the fix.
 */
export const rules: ManagementRule[] = [
  {
    component: 'runtime',
    techniques: ['runc-mount-destination-symlink-exchange'],
    why: 'the runtime mounting onto a pod volume directory of the kubelet means the mount destination was swapped for a symlink out of the rootfs',
    rule: { kind: 'mount', target: '/var/lib/kubelet/pods/*/volumes/{,**}' },
  },
  {
    component: 'runtime',
    techniques: ['runc-mount-destination-symlink-exchange'],
    why: 'the runtime mounting onto a Docker named volume directory means the mount destination was swapped for a symlink out of the rootfs',
    rule: { kind: 'mount', target: '/var/lib/docker/volumes/{,**}' },
  },
];
