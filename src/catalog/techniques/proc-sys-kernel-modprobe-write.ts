import type { Technique } from '../schema.js';

/** kernel.modprobe is the program the kernel runs as root to load modules on demand. */
export const technique = {
  id: 'proc-sys-kernel-modprobe-write',
  title: 'Writable /proc/sys/kernel/modprobe',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'With a writable /proc/sys, the container sets kernel.modprobe to a payload in its filesystem (by host ' +
    'path) and executes a file with an unknown binary format: the kernel calls request_module("binfmt-XXXX"), ' +
    'which runs the payload as root on the host.',
  affected: [],
  preconditions: {
    procUnmasked: true,
    noUserNamespace: true,
  },
  chains: [
    {
      id: 'modprobe-and-unknown-binary',
      description: 'Replace the modprobe path, then make the kernel request a module.',
      steps: [
        {
          why: 'Write the payload in the container filesystem.',
          primitive: { kind: 'file', path: '/cmd', access: 'w' },
        },
        {
          why: 'Point kernel.modprobe at the host path of the payload.',
          primitive: { kind: 'file', path: '/proc/sys/kernel/modprobe', access: 'w' },
        },
        {
          why: 'Create a file with an unknown 4-byte magic.',
          primitive: { kind: 'file', path: '/tmp/trigger', access: 'w' },
        },
        {
          why: 'Executing it makes the kernel look for a binfmt module and run "modprobe" as host root.',
          primitive: { kind: 'file', path: '/tmp/trigger', access: 'x' },
        },
      ],
    },
  ],
  mitigations: [
    'Keep /proc/sys read-only in containers; do not run privileged containers.',
    'docker-default denies writes under /proc/sys/kernel except shm*.',
  ],
  references: [
    'https://docs.kernel.org/admin-guide/sysctl/kernel.html#modprobe',
    'https://man7.org/linux/man-pages/man5/proc.5.html',
  ],
} satisfies Technique;
