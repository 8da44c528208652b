import type { Technique } from '../schema.js';

/** CAP_SYS_MODULE loads code into the one kernel all containers share. */
export const technique = {
  id: 'cap-sys-module-load-module',
  title: 'CAP_SYS_MODULE loads a kernel module',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'A container with CAP_SYS_MODULE loads a kernel module built for the host kernel; the module runs in ' +
    'kernel mode with no namespace or profile, for instance starting a reverse shell with ' +
    'call_usermodehelper as host root.',
  affected: [],
  preconditions: {
    capabilities: ['sys_module'],
    noUserNamespace: true,
  },
  chains: [
    {
      id: 'finit-module',
      description: 'insmod from a file: finit_module(2).',
      steps: [
        {
          why: 'Loading modules needs CAP_SYS_MODULE in the initial user namespace.',
          primitive: { kind: 'capability', name: 'sys_module' },
        },
        {
          why: 'Open the module file to pass its descriptor.',
          primitive: { kind: 'file', path: '/tmp/escape.ko', access: 'r' },
        },
        {
          why: 'Load it (fd 3, no parameters, no flags).',
          primitive: { kind: 'syscall', name: 'finit_module', args: [3n, 0n, 0n] },
        },
      ],
    },
    {
      id: 'init-module',
      description: 'Load a module image from memory: init_module(2).',
      steps: [
        {
          why: 'Loading modules needs CAP_SYS_MODULE in the initial user namespace.',
          primitive: { kind: 'capability', name: 'sys_module' },
        },
        {
          why: 'Load the module image from a buffer.',
          primitive: { kind: 'syscall', name: 'init_module' },
        },
      ],
    },
  ],
  mitigations: [
    'Never grant CAP_SYS_MODULE to containers.',
    'Seccomp (Docker default: init_module/finit_module only with CAP_SYS_MODULE), kernel lockdown or module signing enforcement block the load.',
  ],
  references: [
    'https://man7.org/linux/man-pages/man7/capabilities.7.html',
    'https://man7.org/linux/man-pages/man2/init_module.2.html',
  ],
} satisfies Technique;
