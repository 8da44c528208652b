import type { CapabilityQuery } from '../../../evaluate.js';
import { byRule } from '../../context.js';
import { DANGEROUS_CAPABILITIES } from '../../probes.js';
import { at, type Check } from '../../types.js';

export const dangerousCapability: Check<'capability'> = {
  meta: {
    id: 'dangerous-capability',
    description:
      'The profile allows a capability that is an escape on its own (sys_admin, sys_module, sys_ptrace, dac_read_search).',
    severity: 'high',
    remediation:
      'Add `deny capability sys_admin, deny capability sys_module, deny capability sys_ptrace, deny capability dac_read_search,` (AppArmor then stops them even when the runtime grants them) and drop them from the container.',
    messages: {
      capability:
        '`{{rule}}` allows capability {{capabilities}}: only the capability bounding set stands between the container and mount/modules/ptrace/open_by_handle_at; one --cap-add or --privileged and AppArmor does not stop them',
    },
  },
  run(ctx, report) {
    for (const g of byRule(DANGEROUS_CAPABILITIES.map((name) => ctx.allows({ class: 'capability', name })))) {
      const capabilities = g.allowed.map((a) => (a.query as CapabilityQuery).name).join(', ');
      report({ messageId: 'capability', data: { rule: g.rule.text, capabilities }, pos: at(g.rule) });
    }
  },
};
