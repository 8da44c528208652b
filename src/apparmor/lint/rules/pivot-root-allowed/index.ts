import type { PivotRootQuery } from '../../../evaluate.js';
import { byRule } from '../../context.js';
import { PIVOT_ROOT_QUERIES } from '../../probes.js';
import { at, type Check } from '../../types.js';

export const pivotRootAllowed: Check<'pivotRoot'> = {
  meta: {
    id: 'pivot-root-allowed',
    description: 'The profile allows pivot_root.',
    severity: 'high',
    remediation:
      'Remove the pivot_root rule: a container process never needs to change its root after the runtime has set it up.',
    messages: {
      pivotRoot:
        '`{{rule}}` allows pivot_root {{newRoot}} {{putOld}}: with mount rights it swaps the root the runtime set up for another one',
    },
  },
  run(ctx, report) {
    for (const g of byRule(PIVOT_ROOT_QUERIES.map((q) => ctx.allows(q)))) {
      const q = g.allowed[0]?.query as PivotRootQuery;
      report({
        messageId: 'pivotRoot',
        data: { rule: g.rule.text, newRoot: q.new_root, putOld: q.put_old ?? '' },
        pos: at(g.rule),
      });
    }
  },
};
