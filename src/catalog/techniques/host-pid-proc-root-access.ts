import type { Technique } from '../schema.js';

/** /proc/<pid>/root of a host process is its root directory: the host filesystem. */
export const technique = {
  id: 'host-pid-proc-root-access',
  title: 'Host PID namespace plus /proc/1/root access to the host filesystem',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'With the host pid namespace, /proc/1/root is the root directory of host init. Following it needs ' +
    'only a ptrace read-mode check (CAP_SYS_PTRACE, since host init holds more capabilities), after which ' +
    'the container reads and writes the whole host filesystem as root.',
  affected: [],
  preconditions: {
    hostPid: true,
    capabilities: ['sys_ptrace'],
    noUserNamespace: true,
  },
  chains: [
    {
      id: 'proc-1-root',
      description: 'Walk /proc/1/root into the host filesystem.',
      steps: [
        {
          why: 'The ptrace access check on host init needs CAP_SYS_PTRACE: init holds capabilities the container lacks.',
          primitive: { kind: 'capability', name: 'sys_ptrace' },
        },
        {
          why: 'Following the /proc/1/root magic link is a ptrace read-mode check against a host peer.',
          primitive: { kind: 'ptrace', access: 'read', peer: 'host' },
        },
        {
          why: 'The file is on a host mount outside the container namespace; AppArmor (attach_disconnected) sees its host path.',
          primitive: { kind: 'file', path: '/etc/shadow', access: 'r' },
        },
        {
          why: 'Write a host cron entry the same way.',
          primitive: { kind: 'file', path: '/etc/cron.d/escape', access: 'w' },
        },
      ],
    },
  ],
  mitigations: [
    'Do not share the host pid namespace and do not grant CAP_SYS_PTRACE.',
    'An AppArmor ptrace rule limited to the container peer (docker-default) breaks the link traversal.',
  ],
  references: [
    'https://man7.org/linux/man-pages/man5/proc.5.html',
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
  ],
} satisfies Technique;
