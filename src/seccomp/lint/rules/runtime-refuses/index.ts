import { ProfileLoadError } from '../../../evaluate.js';
import type { Check } from '../../types.js';

export const runtimeRefuses: Check<'flags' | 'conflict' | 'refused'> = {
  meta: {
    id: 'runtime-refuses',
    description: 'The container runtime refuses to load the profile, so the container does not start.',
    severity: 'critical',
    remediation:
      'Fix what the runtime rejects: drop `flags` for runc 1.1, give rules that overlap on the same arguments one action, or remove the unsupported setting.',
    messages: {
      flags:
        'runc 1.1 refuses seccomp profiles that set flags, so the container will not start; remove `flags`',
      conflict:
        '{{reason}} (libseccomp EEXIST), so the container will not start; give both rules the same action or make their conditions disjoint',
      refused: '{{reason}}; the container will not start until this is fixed',
    },
  },
  run(ctx, report) {
    const err = ctx.loadError();
    if (!err) return;
    const reason = err.message;
    const rule = err instanceof ProfileLoadError ? err.rule : undefined;
    if (/flags/.test(reason) && !rule) {
      report({ messageId: 'flags', data: { reason }, pos: ctx.flagsPos() ?? ctx.defaultActionPos() });
    } else if (/conflicts with an earlier rule/.test(reason)) {
      report({ messageId: 'conflict', data: { reason }, pos: rule?.pos });
    } else {
      report({ messageId: 'refused', data: { reason }, pos: rule?.pos ?? ctx.defaultActionPos() });
    }
  },
};
