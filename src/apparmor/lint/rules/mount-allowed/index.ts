import type { MountQuery } from '../../../evaluate.js';
import { byRule, sample } from '../../context.js';
import { MOUNT_QUERIES } from '../../probes.js';
import { at, type Check } from '../../types.js';

function describe(q: MountQuery): string {
  const opts = q.options?.length ? ` -o ${q.options.join(',')}` : '';
  const fs = q.fstype ? ` -t ${q.fstype}` : '';
  return `mount${fs}${opts}${q.source ? ` ${q.source}` : ''} ${q.target}`;
}

export const mountAllowed: Check<'mount'> = {
  meta: {
    id: 'mount-allowed',
    description: 'The profile allows mount operations.',
    severity: 'high',
    remediation:
      'Remove the mount rule (docker-default has `deny mount,`); a workload that must mount gets one exact rule (fstype, source, target, options).',
    messages: {
      mount:
        "`{{rule}}` allows {{examples}}: mounting cgroup (release_agent), proc or sysfs again, or re-binding masked paths, undoes the container's isolation",
    },
  },
  run(ctx, report) {
    for (const g of byRule(MOUNT_QUERIES.map((q) => ctx.allows(q)))) {
      const examples = sample(g.allowed.map((a) => describe(a.query as MountQuery)));
      report({ messageId: 'mount', data: { rule: g.rule.text, examples }, pos: at(g.rule) });
    }
  },
};
