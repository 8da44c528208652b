import { PTRACE_ATTACH, PTRACE_POKETEXT } from '../constants.js';
import type { Technique } from '../schema.js';

/** With the host pid namespace and CAP_SYS_PTRACE a container can inject code into host processes. */
export const technique = {
  id: 'host-pid-ptrace-host-process',
  title: 'Host PID namespace plus ptrace of a host process',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'A container sharing the host pid namespace sees every host process. With CAP_SYS_PTRACE (needed ' +
    'because host root processes hold capabilities the container lacks) it attaches to a root process on ' +
    'the host and injects shellcode, which then runs in the host namespaces.',
  affected: [],
  preconditions: {
    hostPid: true,
    capabilities: ['sys_ptrace'],
    noUserNamespace: true,
  },
  chains: [
    {
      id: 'attach-and-inject',
      description: 'Attach to a host root process and overwrite its code.',
      steps: [
        {
          why: 'The target holds capabilities the container lacks, so the capability-subset check requires CAP_SYS_PTRACE.',
          primitive: { kind: 'capability', name: 'sys_ptrace' },
        },
        {
          why: 'Attach to the host process.',
          primitive: { kind: 'syscall', name: 'ptrace', args: [PTRACE_ATTACH] },
        },
        {
          why: 'The peer is a host process (unconfined or under a host profile), not the container label.',
          primitive: { kind: 'ptrace', access: 'trace', peer: 'host' },
        },
        {
          why: 'Write shellcode into its text.',
          primitive: { kind: 'syscall', name: 'ptrace', args: [PTRACE_POKETEXT] },
        },
      ],
    },
  ],
  mitigations: [
    'Do not share the host pid namespace (hostPID / --pid=host) and do not grant CAP_SYS_PTRACE.',
    'An AppArmor ptrace rule limited to the container peer (as in docker-default) and Yama ptrace_scope=2 or 3 break the attach.',
  ],
  references: [
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
    'https://man7.org/linux/man-pages/man2/ptrace.2.html',
  ],
} satisfies Technique;
