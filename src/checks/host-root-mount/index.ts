import { hostMounts } from '../registry-helpers.js';
import { type AuditCheck, eachContainer } from '../types.js';

export const hostRootMount: AuditCheck<'root'> = {
  meta: {
    id: 'host-root-mount',
    description: "The host's root filesystem is mounted into the container.",
    severity: 'critical',
    remediation: 'Mount only the host directory the workload needs, read-only where it can be.',
    techniques: ['hostpath-root-mount'],
    messages: {
      root: '{{label}} mounts the host / at {{target}}{{ro}}: chroot into it and the host is yours',
    },
  },
  run(ctx, report) {
    for (const { c, label } of eachContainer(ctx.workload))
      for (const m of hostMounts(c))
        if (m.host === '/')
          report({
            messageId: 'root',
            data: {
              label,
              target: m.target.value,
              ro: m.readOnly?.value ? ' (read-only: still every secret on the host)' : '',
            },
            pos: m.source?.pos ?? m.target.pos,
          });
  },
};
