import { chainNodes } from '../../../diff.js';
import type { CompiledProfile } from '../../../evaluate.js';
import type { SysEntry } from '../../../libseccomp/tree.js';
import { syscallNumber } from '../../../syscalls/index.js';
import type { RuleRef } from '../../../types.js';
import type { Check } from '../../types.js';

/** Origins (indexes into compiled.refs) that decide at least one leaf of one syscall entry. */
function entryOrigins(e: SysEntry): Set<number> {
  if (e.chains === null) return new Set([e.action.origin]);
  const out = new Set<number>();
  for (const n of chainNodes(e)) {
    if (n.actTFlg) out.add(n.actT.origin);
    if (n.actFFlg) out.add(n.actF.origin);
  }
  return out;
}

/** Every origin that survived libseccomp's merging on some arch. */
function survivingOrigins(c: CompiledProfile): Set<number> {
  const out = new Set<number>();
  for (const db of c.filter.dbs) for (const e of db.syscalls) for (const o of entryOrigins(e)) out.add(o);
  return out;
}

const where = (r: RuleRef | undefined): string =>
  r?.pos ? `line ${r.pos.line}:${r.pos.column}` : r ? `rule #${r.index + 1}` : 'another rule';

export const shadowedRule: Check<'unconditional' | 'merged'> = {
  meta: {
    id: 'shadowed-rule',
    description:
      'A rule never decides anything: libseccomp merged it away behind another rule for the same syscall.',
    severity: 'medium',
    remediation:
      'Delete the shadowed rule, or change the rule that shadows it (an unconditional rule for a syscall overrides every conditional rule for it, whichever comes first).',
    messages: {
      unconditional:
        'rule for {{name}} never takes effect: the unconditional rule for {{name}} at {{by}} ({{byAction}}) decides every call; delete this rule or add conditions to that one',
      merged:
        'rule for {{name}} never takes effect: libseccomp merged it into the rules at {{by}}, which decide every call it would match; delete it or rewrite the conditions',
    },
  },
  run(ctx, report) {
    const c = ctx.compiled();
    if (!c) return; // runtime-refuses reports why there is no filter
    const alive = survivingOrigins(c);
    c.refs.forEach((ref, origin) => {
      if (alive.has(origin)) return;
      // Only a rule that reached some arch's BPF can be shadowed; a name absent from every arch
      // in the filter is unknown-syscall-for-arch's finding, not this one.
      const db = c.filter.dbs.find((d) => syscallNumber(d.arch.name, ref.name) !== undefined);
      const nr = db ? syscallNumber(db.arch.name, ref.name) : undefined;
      const entry = db && nr !== undefined ? db.byNr.get(nr >>> 0)?.entry : undefined;
      if (!entry) return;
      const rule = c.profile.syscalls[ref.index];
      const data = { name: ref.name, action: rule?.action ?? '' };
      if (entry.chains === null) {
        const by = c.refs[entry.action.origin];
        const byAction = by ? (c.profile.syscalls[by.index]?.action ?? '') : '';
        report({ messageId: 'unconditional', data: { ...data, by: where(by), byAction }, pos: ref.pos });
        return;
      }
      const others = [...entryOrigins(entry)].filter((o) => o !== origin).map((o) => c.refs[o]);
      report({ messageId: 'merged', data: { ...data, by: others.map(where).join(', ') }, pos: ref.pos });
    });
  },
};
