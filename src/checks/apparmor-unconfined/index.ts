import { type AuditCheck, eachContainer } from '../types.js';

export const apparmorUnconfined: AuditCheck<'unconfined'> = {
  meta: {
    id: 'apparmor-unconfined',
    description: 'A container runs without an AppArmor profile.',
    severity: 'high',
    remediation:
      'Use the runtime default profile, or a generated one (`breakwater harden`) loaded on every node.',
    techniques: [
      'writable-core-pattern',
      'sysrq-trigger-write',
      'docker-socket-mounted',
      'runc-proc-self-exe-overwrite',
    ],
    messages: {
      unconfined:
        '{{label}} runs AppArmor unconfined: nothing stops writes to /proc/sys, /sys, runtime sockets or mounts once another layer gives way',
    },
  },
  run(ctx, report) {
    for (const { c, label } of eachContainer(ctx.workload))
      if (!c.privileged?.value && c.apparmor?.value.type === 'unconfined')
        report({ messageId: 'unconfined', data: { label }, pos: c.apparmor.pos });
  },
};
