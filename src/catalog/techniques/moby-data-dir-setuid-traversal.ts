import { AT_FDCWD } from '../constants.js';
import type { Technique } from '../schema.js';

/**
 * CVE-2021-41091. Docker's data directory subtrees were traversable by every host user, so an
 * unprivileged host user could run a setuid-root program that root in a container had created.
 */
export const technique = {
  id: 'moby-data-dir-setuid-traversal',
  title: 'Setuid programs in containers run by unprivileged host users (CVE-2021-41091)',
  class: 'runtime',
  severity: 'medium',
  cves: ['CVE-2021-41091'],
  summary:
    'Subdirectories of /var/lib/docker (overlay2 layers and merged roots) were mode 0701, so any host user ' +
    'could traverse into a container filesystem by its path. Root in a container (without user ' +
    'namespaces) creates a setuid-root copy of a shell; an unprivileged user on the host executes it ' +
    'through /var/lib/docker/overlay2/<id>/merged and becomes host root.',
  affected: [
    {
      component: 'moby',
      // Fixed in 20.10.9 (GHSA-3fwx-pjgw-3558 merge f0ab919f is first in v20.10.9). unverified: the
      // advisory gives no first affected version; the 0701 modes it names arrived with the
      // CVE-2021-21284 fix (19.03.15 / 20.10.3), and 19.03 never got a fix.
      ranges: [{ fixed: '20.10.9', lastAffected: '20.10.8' }],
      fixReference: 'https://github.com/moby/moby/releases/tag/v20.10.9',
    },
  ],
  preconditions: {
    noUserNamespace: true,
    attackerControls: ['container-process'],
    needsHostAction:
      "an unprivileged host user (the attacker's second foothold) runs the setuid program through /var/lib/docker/overlay2/<id>/merged",
  },
  chains: [
    {
      id: 'setuid-shell',
      description:
        'Root in the container makes a setuid-root shell; a host user runs it from the data directory.',
      steps: [
        {
          why: 'Copy a shell into the container filesystem.',
          primitive: { kind: 'file', path: '/tmp/rootsh', access: 'w' },
        },
        {
          why: 'Set the setuid bit: fchmodat(AT_FDCWD, "/tmp/rootsh", 04755); the owner needs no capability for this.',
          primitive: { kind: 'syscall', name: 'fchmodat', args: [AT_FDCWD, 0n, 0o4755n] },
        },
        {
          why: 'dockerd left the overlay2 directories traversable, so the host user executes the setuid shell and gets host root.',
          primitive: {
            kind: 'runtime',
            component: 'moby',
            action:
              'data directory lets unprivileged host users execute setuid programs from container filesystems',
          },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade Docker Engine to 20.10.9 or later, or restrict /var/lib/docker to mode 0700.',
    'Use user namespaces: a setuid file created by remapped root is not owned by host root. Mount container filesystems nosuid where possible.',
  ],
  references: [
    'https://github.com/moby/moby/security/advisories/GHSA-3fwx-pjgw-3558',
    'https://github.com/moby/moby/releases/tag/v20.10.9',
    'https://nvd.nist.gov/vuln/detail/CVE-2021-41091',
  ],
} satisfies Technique;
