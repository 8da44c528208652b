import { type AuditCheck, eachContainer } from '../types.js';

export const privileged: AuditCheck<'privileged'> = {
  meta: {
    id: 'privileged',
    description: 'A container runs privileged.',
    severity: 'critical',
    remediation:
      'Remove privileged; grant the one capability or device the workload needs, and keep the runtime default seccomp and AppArmor profiles.',
    techniques: ['privileged-mount-host-disk', 'binfmt-misc-register', 'uevent-helper-write'],
    messages: {
      privileged:
        '{{label}} is privileged: every capability, every host device, no seccomp, AppArmor unconfined, /proc and /sys writable — mounting the host disk is one command',
    },
  },
  run(ctx, report) {
    for (const { c, label } of eachContainer(ctx.workload))
      if (c.privileged?.value) report({ messageId: 'privileged', data: { label }, pos: c.privileged.pos });
  },
};
