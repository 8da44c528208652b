import type { Technique } from '../schema.js';

/** /sys/kernel/uevent_helper names a program the kernel runs as root for every uevent. */
export const technique = {
  id: 'uevent-helper-write',
  title: 'Writable /sys/kernel/uevent_helper',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'With a writable /sys (privileged container), the container sets /sys/kernel/uevent_helper to a ' +
    'payload in its filesystem (by host path) and triggers a uevent by writing a uevent file; the kernel ' +
    'runs the helper as root on the host. Kernels built without CONFIG_UEVENT_HELPER (Debian) have no such ' +
    'file.',
  affected: [],
  preconditions: {
    privileged: true,
    noUserNamespace: true,
  },
  chains: [
    {
      id: 'helper-and-trigger',
      description: 'Set the helper, then trigger a uevent.',
      steps: [
        {
          why: 'Write the payload in the container filesystem.',
          primitive: { kind: 'file', path: '/cmd', access: 'w' },
        },
        {
          why: 'Point the helper at the host path of the payload.',
          primitive: { kind: 'file', path: '/sys/kernel/uevent_helper', access: 'w' },
        },
        {
          why: 'Writing "add" to a uevent file makes the kernel emit a uevent and run the helper as host root.',
          primitive: { kind: 'file', path: '/sys/class/mem/null/uevent', access: 'w' },
        },
      ],
    },
  ],
  mitigations: [
    'Keep /sys read-only in containers; do not run privileged containers.',
    'docker-default denies writes under /sys other than /sys/fs/cgroup; build kernels without CONFIG_UEVENT_HELPER.',
  ],
  references: [
    'https://docs.kernel.org/admin-guide/sysfs-rules.html',
    'https://blog.trailofbits.com/2019/07/19/understanding-docker-container-escapes/',
  ],
} satisfies Technique;
