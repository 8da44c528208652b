import type { UnixQuery } from '../../../evaluate.js';
import { byRule } from '../../context.js';
import { ABSTRACT_ADDRS } from '../../probes.js';
import { at, type Check } from '../../types.js';

const ACCESSES = ['connect', 'send'];

export const abstractUnixUnrestricted: Check<'noUnixRules' | 'allowed'> = {
  meta: {
    id: 'abstract-unix-unrestricted',
    description:
      'Abstract unix sockets are not restricted: a host-network container reaches host services on them.',
    severity: 'high',
    remediation:
      "Add `unix` rules that allow only the addresses the workload needs (e.g. `unix (connect, send, receive) peer=(label=@{profile_name}),`), or `deny unix addr=@**,` — and don't run containers with the host network.",
    messages: {
      noUnixRules:
        '`{{rule}}` allows unix sockets and the profile has no `unix` rules, so nothing restricts the address: abstract sockets live in the network namespace, and with the host network a container connects to host daemons on them (containerd-shim before 1.3.9/1.4.3: CVE-2020-15257). Only kernels with fine-grained af_unix mediation (upstream 6.17+, Ubuntu) enforce `unix` rules at all',
      allowed:
        '`{{rule}}` allows {{access}} to abstract address {{addr}}: with the host network that reaches host daemons (CVE-2020-15257)',
    },
  },
  run(ctx, report) {
    const p = ctx.profile;
    if (p.unix.length === 0) {
      const create = ctx.allows({ class: 'network', domain: 'unix', type: 'stream' });
      if (create?.decision.rule)
        report({
          messageId: 'noUnixRules',
          data: { rule: create.decision.rule.text },
          pos: at(create.decision.rule),
        });
      return;
    }
    const queries: UnixQuery[] = ACCESSES.flatMap((access) =>
      ABSTRACT_ADDRS.map((addr): UnixQuery => ({ class: 'unix', access, addr, peer_label: 'unconfined' })),
    );
    for (const g of byRule(queries.map((q) => ctx.allows(q)))) {
      const q = g.allowed[0]?.query as UnixQuery;
      report({
        messageId: 'allowed',
        data: { rule: g.rule.text, access: q.access, addr: q.addr ?? '' },
        pos: at(g.rule),
      });
    }
  },
};
