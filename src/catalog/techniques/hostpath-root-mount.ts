import type { Technique } from '../schema.js';

/** A hostPath (or -v) of / gives the container the whole host filesystem. */
export const technique = {
  id: 'hostpath-root-mount',
  title: 'Host root filesystem mounted into the container (hostPath /)',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'With the host / bind-mounted (Kubernetes hostPath "/", docker -v /:/host) and root in the container ' +
    'being host root, the container writes host files directly (cron, SSH keys, systemd units, sudoers) ' +
    'or chroots into the host tree.',
  affected: [],
  preconditions: {
    hostPaths: ['/'],
    noUserNamespace: true,
  },
  chains: [
    {
      id: 'write-host-cron',
      description: 'Write a host cron entry through the mount.',
      steps: [
        {
          why: 'The host / is mounted at /host; AppArmor sees paths under the mount point.',
          primitive: { kind: 'file', path: '/host/etc/cron.d/escape', access: 'w' },
        },
      ],
    },
    {
      id: 'chroot-host',
      description: 'chroot /host sh.',
      steps: [
        {
          why: 'chroot(2) needs CAP_SYS_CHROOT (in Docker default set).',
          primitive: { kind: 'capability', name: 'sys_chroot' },
        },
        {
          why: 'Change root to the host tree.',
          primitive: { kind: 'syscall', name: 'chroot' },
        },
        {
          why: 'Run the host shell; AppArmor resolves paths against the mount namespace root, not the chroot, so it sees /host/bin/sh.',
          primitive: { kind: 'file', path: '/host/bin/sh', access: 'x' },
        },
      ],
    },
  ],
  mitigations: [
    'Do not mount the host root into containers; restrict hostPath with admission policy (Pod Security "baseline" forbids it).',
    'Mount host paths read-only and use user namespaces where a host path is needed.',
  ],
  references: [
    'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
  ],
} satisfies Technique;
