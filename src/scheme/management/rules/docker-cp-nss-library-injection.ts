import type { ManagementRule } from '../types.js';

/**
 * CVE-2019-14271: docker-tar (Docker 19.03.0) chrooted into the container root before glibc's NSS
 * was initialised, so the first user lookup dlopen()ed libnss_*.so.2 from the container and ran
 * its constructor as host root. The copy helper never needs to map a container's file as code:
 * denying `m` (mmap with PROT_EXEC) on container roots makes that dlopen fail, the lookup falls
 * back to numeric ids, and the copy still completes. A chrooted process's paths are mediated as
 * seen from its namespace root (the host path of the container root), hence host patterns here.
 */
export const rules: ManagementRule[] = [
  {
    component: 'cp-helper',
    techniques: ['docker-cp-nss-library-injection'],
    why: 'docker-tar loading a library from an overlay2 container root runs container code as host root',
    rule: { kind: 'file', path: '/var/lib/docker/overlay2/*/merged/**', perms: 'm' },
  },
  {
    component: 'cp-helper',
    techniques: ['docker-cp-nss-library-injection'],
    why: 'docker-tar loading a library from a containerd snapshot runs container code as host root',
    rule: {
      kind: 'file',
      path: '/var/lib/containerd/io.containerd.snapshotter.v1.*/snapshots/*/fs/**',
      perms: 'm',
    },
  },
];
