import { hostMounts, within } from '../registry-helpers.js';
import { type AuditCheck, eachContainer } from '../types.js';

export const varLogMount: AuditCheck<'varLog'> = {
  meta: {
    id: 'var-log-mount',
    description:
      "The host's /var/log is mounted writable: the kubelet follows symlinks planted in pod log files.",
    severity: 'high',
    remediation:
      'Mount /var/log read-only (log shippers only read it), or only the directory the workload writes.',
    techniques: ['var-log-symlink-kubelet'],
    messages: {
      varLog:
        '{{label}} mounts {{path}} writable: a symlink from a pod log file to /etc/shadow is read back by the kubelet as root (`kubectl logs`)',
    },
  },
  run(ctx, report) {
    for (const { c, label } of eachContainer(ctx.workload))
      for (const m of hostMounts(c))
        if (
          m.host !== '/' &&
          (within('/var/log', m.host) || within(m.host, '/var/log')) &&
          !m.readOnly?.value
        )
          report({ messageId: 'varLog', data: { label, path: m.host }, pos: m.source?.pos ?? m.target.pos });
  },
};
