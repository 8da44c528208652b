/**
 * The terminal matrix of a simulation: techniques (grouped by class) x defences, then the benign
 * workloads, then one summary line per defence ("docker-default blocks 21/34 container-side
 * techniques"). Colour only when asked (TTY); the words carry the meaning without it.
 */
import pc from 'picocolors';
import type { SimulationReport, Verdict } from '../simulate/types.js';

const CLASS_ORDER = ['misconfiguration', 'container', 'kernel', 'runtime'] as const;
const CLASS_TITLE: Record<string, string> = {
  misconfiguration: 'misconfigurations',
  container: 'container-side escapes',
  kernel: 'kernel bugs reached from a container',
  runtime: 'runtime-side (the runtime does the harm on the host; fixed by upgrading)',
};

export interface MatrixOptions {
  color?: boolean;
  /** The procedures suite: every technique counts, and real runs list the layers that stopped each. */
  suite?: 'techniques' | 'procedures';
}

export function renderMatrix(r: SimulationReport, opts: MatrixOptions = {}): string {
  const procedures = opts.suite === 'procedures';
  const c = pc.createColors(opts.color ?? false);
  // Pad the plain word, then colour it: escape codes must not count towards the width.
  const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length));
  const defs = r.defences.map((d) => d.id);
  const colW = Math.max(9, ...defs.map((d) => d.length + 2));
  const cell = (v: Verdict | 'works' | 'breaks'): string => {
    switch (v) {
      case 'blocked':
        return c.green(pad('blocked', colW));
      case 'not-blocked':
        return c.red(pad('OPEN', colW));
      case 'not-applicable':
        return c.yellow(pad('upgrade', colW));
      case 'works':
        return c.green(pad('works', colW));
      case 'breaks':
        return c.bold(c.red(pad('BREAKS', colW)));
    }
  };
  const nameW = Math.max(
    20,
    ...r.techniques.map((t) => t.id.length + 2),
    ...r.benign.map((b) => b.workload.length + 2),
  );
  const verdict = new Map(r.results.map((x) => [`${x.technique}\u0000${x.defence}`, x.verdict]));
  const lines: string[] = [];
  const header = pad('', nameW) + defs.map((d) => c.bold(pad(d, colW))).join('');
  // The procedures suite is one group whatever the techniques' classes.
  const groups: readonly string[] = procedures ? ['procedures'] : CLASS_ORDER;
  for (const cls of groups) {
    const ts = r.techniques.filter((t) => procedures || t.class === cls);
    if (!ts.length) continue;
    const title = procedures
      ? 'management procedures (the runtime, shim or copy helper does the harm on the host)'
      : (CLASS_TITLE[cls] ?? cls);
    lines.push('', c.bold(title), header);
    for (const t of ts)
      lines.push(
        pad(t.id, nameW) + defs.map((d) => cell(verdict.get(`${t.id}\u0000${d}`) ?? 'not-blocked')).join(''),
      );
  }
  if (r.benign.length) {
    const works = new Map(r.benign.map((b) => [`${b.workload}\u0000${b.defence}`, b.verdict]));
    const names = [...new Set(r.benign.map((b) => b.workload))];
    lines.push('', c.bold('benign workloads (must keep working)'), header);
    for (const w of names)
      lines.push(pad(w, nameW) + defs.map((d) => cell(works.get(`${w}\u0000${d}`) ?? 'breaks')).join(''));
  }
  lines.push('');
  for (const s of r.summary) {
    const upgrade = s.notApplicable ? `, ${s.notApplicable} need a runtime upgrade` : '';
    const benign = s.benignBroken ? c.bold(c.red(`; ${s.benignBroken} benign workload(s) BREAK`)) : '';
    const noun = procedures ? 'management procedures' : 'container-side techniques';
    lines.push(`${c.bold(s.defence)} blocks ${s.blocked}/${s.total} ${noun}${upgrade}${benign}`);
  }
  const real = r.results.filter((x) => x.procedure);
  if (real.length) {
    lines.push(
      '',
      c.bold(
        `verified on kernel ${real[0]?.procedure?.kernel} (lab VM, AppArmor on): what stopped each attack`,
      ),
    );
    for (const x of real) {
      const p = x.procedure as NonNullable<typeof x.procedure>;
      const what =
        p.canary === 'reached'
          ? c.red(`canary reached${x.fix ? ` (upgrade: ${x.fix})` : ''}`)
          : p.canary === 'safe'
            ? c.green(`stopped by ${p.stoppedBy.join(', ') || 'the layers together'}`)
            : c.bold(c.red('lab run failed'));
      const differs = p.canary !== 'error' && (x.verdict === 'blocked') !== (p.modelVerdict === 'blocked');
      lines.push(
        `  ${pad(x.technique, nameW)}${pad(x.defence, 24)}${what}${differs ? c.yellow(` (model: ${p.modelVerdict})`) : ''}`,
      );
    }
  }
  const runtime = r.techniques.filter((t) => t.class === 'runtime').length;
  if (runtime && !procedures)
    lines.push(
      c.dim(
        `(${runtime} runtime-side techniques are listed separately: the runtime does the harm on the host)`,
      ),
    );
  return `${lines.join('\n')}\n`;
}
