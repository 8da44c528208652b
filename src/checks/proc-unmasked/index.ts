import { type AuditCheck, eachContainer } from '../types.js';

export const procUnmasked: AuditCheck<'unmasked'> = {
  meta: {
    id: 'proc-unmasked',
    description: '/proc is unmasked: /proc/sys, sysrq-trigger and kcore are writable or readable.',
    severity: 'high',
    remediation: 'Remove procMount: Unmasked / systempaths=unconfined.',
    techniques: ['writable-core-pattern', 'sysrq-trigger-write', 'proc-sys-kernel-modprobe-write'],
    messages: {
      unmasked:
        '{{label}} unmasks /proc: /proc/sys/kernel/core_pattern and modprobe run host programs as root, sysrq-trigger reboots the host — only AppArmor is left in the way',
    },
  },
  run(ctx, report) {
    for (const { c, label } of eachContainer(ctx.workload))
      if (!c.privileged?.value && c.procMount?.value === 'Unmasked')
        report({ messageId: 'unmasked', data: { label }, pos: c.procMount.pos });
  },
};
