import type { Technique } from '../schema.js';

/**
 * CVE-2021-32760. containerd's archive package applied a layer's file modes after following
 * symlinks, so a crafted image could chmod files outside the unpack directory on the host.
 */
export const technique = {
  id: 'containerd-archive-chmod-host-file',
  title: 'Host file permissions changed while unpacking an image (CVE-2021-32760)',
  class: 'runtime',
  severity: 'medium',
  cves: ['CVE-2021-32760'],
  summary:
    'A crafted image has a symlink in one layer and a file entry through it in another. When containerd ' +
    'pulls and unpacks it, the mode change follows the symlink and chmods an existing host file (for ' +
    'example making /etc/shadow world-readable or setting the setuid bit), as root on the host. Reading, ' +
    'writing or running the file afterwards needs a cooperating process on the host.',
  affected: [
    {
      component: 'containerd',
      // Fixed in 1.4.8 and 1.5.4 (OSV GO-2022-0921; GHSA merges 22e9a70c / 7ad08c69 are first there).
      ranges: [
        { fixed: '1.4.8', lastAffected: '1.4.7' },
        { introduced: '1.5.0', fixed: '1.5.4', lastAffected: '1.5.3' },
      ],
      fixReference: 'https://github.com/containerd/containerd/releases/tag/v1.5.4',
    },
  ],
  preconditions: {
    attackerControls: ['image'],
    needsHostAction:
      'someone pulls the image with containerd (ctr, nerdctl, Kubernetes, Docker with the containerd image store)',
  },
  chains: [
    {
      id: 'unpack-chmod',
      description: 'The unpacker, on the host, follows a layer symlink when applying modes.',
      steps: [
        {
          why: 'containerd applies the mode of a layer entry through a symlink planted by an earlier layer, on a host file.',
          primitive: {
            kind: 'runtime',
            component: 'containerd',
            action: 'chmods a host file while unpacking an image layer through a symlink',
          },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade containerd to 1.4.8, 1.5.4 or later.',
    'Pull only trusted images; AppArmor or SELinux confinement of containerd limits which host files it may chmod.',
  ],
  references: [
    'https://github.com/containerd/containerd/security/advisories/GHSA-c72p-9xmj-rx3w',
    'https://github.com/containerd/containerd/releases/tag/v1.4.8',
    'https://nvd.nist.gov/vuln/detail/CVE-2021-32760',
  ],
} satisfies Technique;
