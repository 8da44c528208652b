import type { Technique } from '../schema.js';

/** /proc/sysrq-trigger acts on the host kernel: crash, reboot, kill every process. */
export const technique = {
  id: 'sysrq-trigger-write',
  title: 'Writable /proc/sysrq-trigger',
  class: 'misconfiguration',
  severity: 'medium',
  cves: [],
  summary:
    'A container that can write /proc/sysrq-trigger (privileged, or /proc not read-only) sends magic ' +
    'SysRq commands to the host kernel: "c" crashes it, "b" reboots it, "i" kills every process. A ' +
    'denial of service of the whole host rather than code execution.',
  affected: [],
  preconditions: {
    procUnmasked: true,
    noUserNamespace: true,
  },
  chains: [
    {
      id: 'sysrq-crash',
      description: 'echo c > /proc/sysrq-trigger.',
      steps: [
        {
          why: 'Writing the trigger is checked as a write of /proc/sysrq-trigger (docker-default denies rwklx on it).',
          primitive: { kind: 'file', path: '/proc/sysrq-trigger', access: 'w' },
        },
      ],
    },
  ],
  mitigations: [
    'Keep /proc/sysrq-trigger read-only or masked (engine defaults); do not run privileged containers.',
    'Set kernel.sysrq=0 on hosts that do not need it.',
  ],
  references: [
    'https://docs.kernel.org/admin-guide/sysrq.html',
    'https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#readonly-paths',
  ],
} satisfies Technique;
