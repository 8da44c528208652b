import { hexArgs } from '../../../diff.js';
import { syscallName, syscallTable } from '../../../syscalls/index.js';
import { permits, sampleDecisions } from '../../probe.js';
import type { Check } from '../../types.js';

export const allowsBeyondBaseline: Check<'always' | 'someArgs'> = {
  meta: {
    id: 'allows-beyond-baseline',
    description:
      'An allow-list profile allows a syscall that the baseline profile denies for every argument.',
    severity: 'medium',
    remediation:
      'Remove the syscall from the allow rule unless the workload needs it; if it does, narrow it with argument conditions and record why.',
    messages: {
      always:
        '{{syscall}} is allowed here but {{baseline}} denies it for all arguments; remove it unless the workload needs it',
      someArgs:
        '{{syscall}} is allowed here for some arguments (e.g. {{example}}) but {{baseline}} denies it for all arguments; remove it unless the workload needs it',
    },
  },
  run(ctx, report) {
    // A deny-list allows everything beyond any baseline; not-fail-closed says so once.
    if (ctx.profile.defaultAction === 'SCMP_ACT_ALLOW' || ctx.profile.defaultAction === 'SCMP_ACT_LOG')
      return;
    const arch = 'x86_64';
    const c = ctx.compiledFor(arch);
    const base = ctx.baselineFor(arch);
    if (!c || !base) return;
    const baseline = ctx.baselineLabel();
    for (const nr of new Set(syscallTable(arch).map((s) => s.nr))) {
      // Both trees' constants are sampled so both profiles are asked the same, discriminating questions.
      const mine = sampleDecisions(c, arch, nr, [base]);
      const allowed = mine.filter((s) => permits(s.decision));
      const first = allowed[0];
      if (!first) continue;
      if (sampleDecisions(base, arch, nr, [c]).some((s) => permits(s.decision))) continue;
      const syscall = syscallName(arch, nr) as string;
      const always = allowed.length === mine.length;
      const pos = first.decision.rule?.pos ?? ctx.defaultActionPos();
      const example = hexArgs(first.args)
        .map((v, i) => `arg${i}=${v}`)
        .join(' ');
      report({ messageId: always ? 'always' : 'someArgs', data: { syscall, baseline, example }, pos });
    }
  },
};
