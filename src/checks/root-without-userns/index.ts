import { type AuditCheck, eachContainer } from '../types.js';

export const rootWithoutUserns: AuditCheck<'root'> = {
  meta: {
    id: 'root-without-userns',
    description: 'The container runs as root without a user namespace: root inside is root on the host.',
    severity: 'medium',
    remediation:
      'Run as a non-root user (runAsNonRoot: true, runAsUser > 0, USER in the image) or in a user namespace (hostUsers: false, userns-remap).',
    techniques: [
      'runc-proc-self-exe-overwrite',
      'moby-data-dir-setuid-traversal',
      'containerd-shim-abstract-socket',
      'writable-core-pattern',
      'shocker-open-by-handle-at',
    ],
    messages: {
      root: '{{label}} runs as root ({{why}}) and shares the host user namespace: any escape lands as host root',
    },
  },
  run(ctx, report) {
    const w = ctx.workload;
    if (w.userNamespace?.value) return;
    for (const { c, label } of eachContainer(w)) {
      if (c.privileged?.value || c.runAsNonRoot?.value) continue;
      if (c.runAsUser && c.runAsUser.value !== 0) continue;
      const u = c.user?.value.split(':')[0];
      if (u !== undefined && u !== '' && u !== 'root' && u !== '0') continue;
      const why = c.runAsUser
        ? 'runAsUser: 0'
        : c.user
          ? `user ${c.user.value}`
          : 'no user is set; images default to root';
      report({ messageId: 'root', data: { label, why }, pos: c.runAsUser?.pos ?? c.user?.pos ?? c.pos });
    }
  },
};
