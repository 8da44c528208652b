import { CLONE_NEWNS } from '../constants.js';
import type { Technique } from '../schema.js';

/** nsenter -t 1 -m: join the mount namespace of host init through /proc/1/ns/mnt. */
export const technique = {
  id: 'host-pid-nsenter-host-init',
  title: 'Host PID namespace plus setns into host init namespaces (nsenter)',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'With the host pid namespace, /proc/1 is host init. A container with CAP_SYS_ADMIN (and ' +
    'CAP_SYS_PTRACE to pass the ptrace check on /proc/1/ns) opens /proc/1/ns/mnt and calls setns, ' +
    'landing in the host mount namespace with a root shell: `nsenter -t 1 -m -u -i -n -p sh`.',
  affected: [],
  preconditions: {
    hostPid: true,
    capabilities: ['sys_admin', 'sys_ptrace', 'sys_chroot'],
    noUserNamespace: true,
  },
  chains: [
    {
      id: 'setns-mnt',
      description: 'Open host init mount namespace and join it.',
      steps: [
        {
          why: 'Host init holds every capability; opening its ns files passes the ptrace capability check only with CAP_SYS_PTRACE.',
          primitive: { kind: 'capability', name: 'sys_ptrace' },
        },
        {
          why: 'Opening /proc/1/ns/mnt is a ptrace read-mode check against host init, an unconfined host peer (the nsfs inode itself has no path AppArmor matches).',
          primitive: { kind: 'ptrace', access: 'read', peer: 'host' },
        },
        {
          why: 'setns into a mount namespace needs CAP_SYS_ADMIN.',
          primitive: { kind: 'capability', name: 'sys_admin' },
        },
        {
          why: '...and CAP_SYS_CHROOT, since it changes the root directory.',
          primitive: { kind: 'capability', name: 'sys_chroot' },
        },
        {
          why: 'Join host init mount namespace (fd 3 = /proc/1/ns/mnt).',
          primitive: { kind: 'syscall', name: 'setns', args: [3n, CLONE_NEWNS] },
        },
      ],
    },
  ],
  mitigations: [
    'Do not share the host pid namespace and do not grant CAP_SYS_ADMIN.',
    'Seccomp (Docker default allows setns only with CAP_SYS_ADMIN) and an AppArmor ptrace rule limited to the container peer break the chain.',
  ],
  references: [
    'https://man7.org/linux/man-pages/man1/nsenter.1.html',
    'https://man7.org/linux/man-pages/man2/setns.2.html',
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
  ],
} satisfies Technique;
