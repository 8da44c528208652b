import { actionValue } from '../../../evaluate.js';
import type { Check } from '../../types.js';

function spell(action: string, errno: number | undefined): string {
  return errno === undefined ? action : `${action}(${errno})`;
}

export const ruleEqualsDefault: Check<'equalsDefault'> = {
  meta: {
    id: 'rule-equals-default',
    description: 'A rule has the same action as the default action, so runc drops it and it does nothing.',
    severity: 'low',
    remediation:
      'Delete the rule, or change its action to the one you meant (usually SCMP_ACT_ALLOW in an allow-list).',
    messages: {
      equalsDefault:
        'rule for {{names}} has action {{action}}, the same as the default: runc skips it before libseccomp sees it; delete it or give it the action you meant',
    },
  },
  run(ctx, report) {
    const p = ctx.profile;
    // Compare the 32-bit SECCOMP_RET values runc computes: KILL and KILL_THREAD are one action, and
    // an ERRNO without errnoRet is EPERM on both sides.
    const def = actionValue(p.defaultAction, p.defaultErrnoRet);
    p.syscalls.forEach((rule, i) => {
      if (rule.names.length === 0 || actionValue(rule.action, rule.errnoRet) !== def) return;
      report({
        messageId: 'equalsDefault',
        data: { names: rule.names.join(', '), action: spell(rule.action, rule.errnoRet) },
        pos: ctx.namePos(i, 0),
      });
    });
  },
};
