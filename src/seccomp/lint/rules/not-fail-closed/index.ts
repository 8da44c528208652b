import type { Check } from '../../types.js';

/** ALLOW and LOG both let the call run: a profile with either as default only blocks what it lists. */
const OPEN_DEFAULTS = new Set(['SCMP_ACT_ALLOW', 'SCMP_ACT_LOG']);

export const notFailClosed: Check<'denyList'> = {
  meta: {
    id: 'not-fail-closed',
    description: 'The profile allows every syscall it does not name (default action ALLOW or LOG).',
    severity: 'high',
    remediation:
      'Make the profile an allow-list: set defaultAction to SCMP_ACT_ERRNO (with defaultErrnoRet 1 or 38) and allow only the syscalls the workload needs.',
    messages: {
      denyList:
        'defaultAction {{action}} lets every syscall no rule names run, including ones added by future kernels; set defaultAction to SCMP_ACT_ERRNO and allow what the workload needs',
    },
  },
  run(ctx, report) {
    const action = ctx.profile.defaultAction;
    if (!OPEN_DEFAULTS.has(action)) return;
    report({ messageId: 'denyList', data: { action }, pos: ctx.defaultActionPos() });
  },
};
