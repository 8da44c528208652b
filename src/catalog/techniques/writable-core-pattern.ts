import type { Technique } from '../schema.js';

/** kernel.core_pattern is global: a `|program` value runs that program as host root on every crash. */
export const technique = {
  id: 'writable-core-pattern',
  title: 'Writable /proc/sys/kernel/core_pattern',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'When /proc/sys is writable in the container (privileged, or an unmasked and read-write /proc), the ' +
    'container sets kernel.core_pattern, which is not namespaced, to a pipe to a payload in its own ' +
    'filesystem (host path from the overlay upperdir) and crashes a process: the host kernel runs the ' +
    'payload as root in the initial namespaces.',
  affected: [],
  preconditions: {
    procUnmasked: true,
    noUserNamespace: true,
  },
  chains: [
    {
      id: 'pipe-core-handler',
      description: 'Install a pipe core handler and crash.',
      steps: [
        {
          why: 'Write the payload in the container filesystem.',
          primitive: { kind: 'file', path: '/cmd', access: 'w' },
        },
        {
          why: 'Set core_pattern to |<host path of /cmd> (host path from the overlay upperdir in /proc/self/mountinfo).',
          primitive: { kind: 'file', path: '/proc/sys/kernel/core_pattern', access: 'w' },
        },
        {
          why: 'Crash a process (kill -SEGV); the kernel pipes the core to the payload, run as host root.',
          primitive: { kind: 'signal', signal: 'segv', peer: 'container' },
        },
      ],
    },
  ],
  mitigations: [
    'Keep /proc/sys read-only in containers (the default outside privileged mode); do not use privileged containers.',
    'docker-default denies writes under /proc/sys/kernel except shm*.',
  ],
  references: [
    'https://man7.org/linux/man-pages/man5/core.5.html',
    'https://docs.kernel.org/admin-guide/sysctl/kernel.html#core-pattern',
  ],
} satisfies Technique;
