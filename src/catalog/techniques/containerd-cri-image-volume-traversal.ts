import type { Technique } from '../schema.js';

/**
 * CVE-2022-23648. The CRI plugin copied image-declared volume contents into the container volume
 * from a path joined with the image's VOLUME string, which could climb out of the rootfs.
 */
export const technique = {
  id: 'containerd-cri-image-volume-traversal',
  title: 'Host files copied into a container through image volume path traversal (CVE-2022-23648)',
  class: 'runtime',
  severity: 'high',
  cves: ['CVE-2022-23648'],
  summary:
    'A container image declares a VOLUME whose path climbs out of the image rootfs (../../../../). When ' +
    "Kubernetes starts it through containerd's CRI plugin, containerd copies the host directory at that " +
    'path into the new volume, so the container can read host files such as kubelet credentials; no ' +
    'profile can stop the copy because containerd does it before the container starts.',
  affected: [
    {
      component: 'containerd',
      // Fixed in 1.4.13, 1.5.10 and 1.6.1 (OSV GO-2022-0344; GHSA merges 9cc61520 / 5296045d / 075cfdff
      // are first in those tags).
      ranges: [
        { fixed: '1.4.13', lastAffected: '1.4.12' },
        { introduced: '1.5.0', fixed: '1.5.10', lastAffected: '1.5.9' },
        { introduced: '1.6.0', fixed: '1.6.1', lastAffected: '1.6.0' },
      ],
      fixReference:
        'https://github.com/containerd/containerd/commit/10f428dac7cec44c864e1b830a4623af27a9fc70',
    },
  ],
  preconditions: {
    attackerControls: ['image'],
  },
  chains: [
    {
      id: 'volume-copy-up',
      description: 'containerd copies a host directory into the volume, the container reads it.',
      steps: [
        {
          why: 'containerd resolves VOLUME /../../../../../var/lib/kubelet/pki against the rootfs and copies the host directory into the volume.',
          primitive: {
            kind: 'runtime',
            component: 'containerd',
            action: 'copies a host directory named by an image VOLUME path into the container volume',
          },
        },
        {
          why: 'The container reads the copied host secret from its own volume.',
          primitive: { kind: 'file', path: '/var/lib/kubelet/pki/kubelet-client-current.pem', access: 'r' },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade containerd to 1.4.13, 1.5.10, 1.6.1 or later.',
    'Only run trusted images; admission policies can reject images whose volumes contain "..".',
  ],
  references: [
    'https://github.com/containerd/containerd/security/advisories/GHSA-crp2-qrr5-8pq7',
    'https://github.com/containerd/containerd/releases/tag/v1.6.1',
    'https://nvd.nist.gov/vuln/detail/CVE-2022-23648',
  ],
} satisfies Technique;
