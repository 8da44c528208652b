import { type AuditCheck, eachContainer } from '../types.js';

export const writableRootFilesystem: AuditCheck<'writable'> = {
  meta: {
    id: 'writable-root-filesystem',
    description: "The container's root filesystem is writable.",
    severity: 'low',
    remediation:
      'Set readOnlyRootFilesystem: true (--read-only) and mount writable volumes where the workload writes.',
    techniques: ['runc-proc-self-exe-overwrite', 'runc-masked-path-dev-null-symlink'],
    messages: {
      writable:
        '{{label}} has a writable root filesystem: an attacker can replace /bin/sh (the CVE-2019-5736 trap) or /dev/null (CVE-2025-31133)',
    },
  },
  run(ctx, report) {
    const w = ctx.workload;
    if (w.source === 'dockerfile') return;
    for (const { c, label } of eachContainer(w))
      if (!c.privileged?.value && !c.readOnlyRootFilesystem?.value)
        report({ messageId: 'writable', data: { label }, pos: c.readOnlyRootFilesystem?.pos ?? c.pos });
  },
};
