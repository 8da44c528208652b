import type { Technique } from '../schema.js';

/** binfmt_misc registers interpreters host-wide: every matching exec on the host runs the payload. */
export const technique = {
  id: 'binfmt-misc-register',
  title: 'binfmt_misc handler registered from the container',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'A privileged container (without user namespaces, whose binfmt_misc instance is the host one) mounts ' +
    'binfmt_misc and registers an interpreter for a common file type, pointing at a payload in its own ' +
    'filesystem by host path. The next host process that executes a matching file (e.g. a #! script) ' +
    'runs the payload, as root when root runs it; with the C flag it gets the credentials of setuid files.',
  affected: [],
  preconditions: {
    privileged: true,
    noUserNamespace: true,
  },
  chains: [
    {
      id: 'register-interpreter',
      description: 'Mount binfmt_misc and register a handler.',
      steps: [
        {
          why: 'Mounting binfmt_misc needs CAP_SYS_ADMIN.',
          primitive: { kind: 'capability', name: 'sys_admin' },
        },
        {
          why: 'Mount the host binfmt_misc instance.',
          primitive: {
            kind: 'mount',
            fstype: 'binfmt_misc',
            source: 'binfmt_misc',
            target: '/proc/sys/fs/binfmt_misc',
          },
        },
        {
          why: 'Write the payload in the container filesystem.',
          primitive: { kind: 'file', path: '/cmd', access: 'w' },
        },
        {
          why: 'Register :name:M::#!::<host path of /cmd>:C for scripts.',
          primitive: { kind: 'file', path: '/proc/sys/fs/binfmt_misc/register', access: 'w' },
        },
      ],
    },
  ],
  mitigations: [
    'Do not run privileged containers; on kernels 6.7+ use user namespaces, which get their own binfmt_misc instance.',
    'An AppArmor profile denying mount and writes under /proc/sys/fs breaks the chain.',
  ],
  references: [
    'https://docs.kernel.org/admin-guide/binfmt-misc.html',
    'https://man7.org/linux/man-pages/man5/proc.5.html',
  ],
} satisfies Technique;
