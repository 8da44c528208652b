import { at, type Check } from '../../types.js';

export const complainMode: Check<'complain' | 'unconfined'> = {
  meta: {
    id: 'complain-mode',
    description: 'The profile does not enforce: it is in complain (or unconfined) mode.',
    severity: 'high',
    remediation: 'Remove `complain`/`unconfined` from the profile flags once the profile has been tested.',
    messages: {
      complain:
        'profile {{profile}} is in complain mode: every rule, deny rules included, only logs; nothing is blocked',
      unconfined: 'profile {{profile}} has the `unconfined` flag: it confines nothing',
    },
  },
  run(ctx, report) {
    const p = ctx.profile;
    for (const flag of ['complain', 'unconfined'] as const) {
      if (p.flags.includes(flag))
        report({ messageId: flag, data: { profile: p.name }, pos: at({ ...p.pos, text: p.name }) });
    }
  },
};
