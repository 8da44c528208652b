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

export function renderMatrix(r: SimulationReport, opts: { color?: boolean } = {}): string {
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
  for (const cls of CLASS_ORDER) {
    const ts = r.techniques.filter((t) => t.class === cls);
    if (!ts.length) continue;
    lines.push('', c.bold(CLASS_TITLE[cls] ?? cls), header);
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
    lines.push(
      `${c.bold(s.defence)} blocks ${s.blocked}/${s.total} container-side techniques${upgrade}${benign}`,
    );
  }
  const runtime = r.techniques.filter((t) => t.class === 'runtime').length;
  if (runtime)
    lines.push(
      c.dim(
        `(${runtime} runtime-side techniques are listed separately: the runtime does the harm on the host)`,
      ),
    );
  return `${lines.join('\n')}\n`;
}
