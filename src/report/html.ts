/**
 * The simulation report as one self-contained HTML file (`breakwater simulate --format html`, and
 * report.html next to report.json with --out): inline CSS, no script, no external asset, so it can
 * be attached to a ticket or opened from a CI artifact offline. Expand/collapse is native
 * `<details>`.
 *
 * Sections: a red banner per benign workload that breaks under the `breakwater` defence (the
 * generated profile must never break an ordinary application), a summary card per defence, the
 * technique x defence matrix grouped by class, the benign workload matrix, then the evidence: every
 * chain step of every technique under every defence (primitive, decision, layer, rule, location).
 *
 * Every string taken from the report goes through `escapeHtml`, in text and in attributes alike:
 * rule text comes from profile files and reasons quote paths, so none of it may become markup.
 */
import type { TechniqueClass } from '../catalog/schema.js';
import type {
  BenignResult,
  ChainResult,
  SimulationReport,
  StepResult,
  TechniqueResult,
  Verdict,
} from '../simulate/types.js';

/** The defence whose benign breakages are called out at the top. */
export const BREAKWATER_DEFENCE = 'breakwater';

const CLASS_ORDER: readonly TechniqueClass[] = ['misconfiguration', 'container', 'kernel', 'runtime'];
const CLASS_TITLE: Readonly<Record<string, string>> = {
  misconfiguration: 'Misconfigurations',
  container: 'Container-side escapes',
  kernel: 'Kernel bugs reached from a container',
  runtime: 'Runtime-side (the runtime does the harm on the host; fixed by upgrading)',
};

const VERDICT_TEXT: Readonly<Record<Verdict | BenignResult['verdict'], string>> = {
  blocked: 'blocked',
  'not-blocked': 'not blocked',
  'not-applicable': 'upgrade',
  works: 'works',
  breaks: 'breaks',
};

/** Escapes text for HTML element content and for double- or single-quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => {
    switch (ch) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&#39;';
    }
  });
}

const e = escapeHtml;
const key = (a: string, b: string) => `${a}\u0000${b}`;

/** Anchor ids: report ids are kebab-case, but anything else is still made safe for an id and a fragment. */
const anchor = (prefix: string, id: string) => `${prefix}-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;

const STYLE = `
:root { color-scheme: light dark; --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9;
  --na: #57606a; --na-bg: #eaeef2; --line: #d0d7de; --muted: #57606a; --card: #f6f8fa; }
@media (prefers-color-scheme: dark) {
  :root { --ok: #3fb950; --ok-bg: #12261e; --bad: #f85149; --bad-bg: #3c1618; --na: #8b949e;
    --na-bg: #21262d; --line: #30363d; --muted: #8b949e; --card: #161b22; }
}
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
  padding: 1.5rem; max-width: 1200px; }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.meta, .muted { color: var(--muted); }
.banner { background: var(--bad); color: #fff; font-weight: 600; padding: .6rem 1rem; border-radius: 6px;
  margin-bottom: .5rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: .75rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; }
.card h3 { margin: 0 0 .25rem; font-size: 1.05rem; }
.card .headline { font-weight: 600; margin: .25rem 0; }
.card ul { margin: .25rem 0 0; padding-left: 1.1rem; }
.card .desc { font-size: 12px; }
.bad-text { color: var(--bad); font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; background: var(--card); }
tr.group th { background: var(--card); font-size: 13px; }
td.cell { text-align: center; font-weight: 600; white-space: nowrap; cursor: help; }
.blocked, .works, .allow { background: var(--ok-bg); color: var(--ok); }
.not-blocked, .breaks, .deny { background: var(--bad-bg); color: var(--bad); }
.not-applicable, .missing { background: var(--na-bg); color: var(--na); }
.src { font-size: 10px; font-weight: 500; display: block; }
.src.real { color: #1a7f37; }
.tag { display: inline-block; border-radius: 4px; padding: 0 .35rem; font-size: 12px; font-weight: 600; }
.legend span { margin-right: .75rem; }
details { border: 1px solid var(--line); border-radius: 6px; margin: .4rem 0; padding: .3rem .75rem; }
details > summary { cursor: pointer; font-weight: 600; }
details[open] > summary { margin-bottom: .5rem; }
.defence-result { margin: .5rem 0 1rem; }
.defence-result h4 { margin: .5rem 0 .25rem; }
table.steps td { font-size: 12px; }
`;

/** `docker-default blocks 21/34 container-side techniques`. */
export function summaryHeadline(s: SimulationReport['summary'][number]): string {
  return `${s.defence} blocks ${s.blocked}/${s.total} container-side techniques`;
}

function verdictTag(v: Verdict | BenignResult['verdict']): string {
  return `<span class="tag ${v}">${e(VERDICT_TEXT[v])}</span>`;
}

function banners(r: SimulationReport): string {
  const broken = r.benign.filter((b) => b.defence === BREAKWATER_DEFENCE && b.verdict === 'breaks');
  return broken
    .map((b) => {
      const denied = b.steps.find((s) => s.decision === 'deny');
      const why = denied ? ` (${denied.primitive}: ${denied.layer}, ${denied.rule})` : '';
      return `<div class="banner" role="alert">benign workload ${e(b.workload)} breaks under ${e(BREAKWATER_DEFENCE)}${e(why)}</div>`;
    })
    .join('\n');
}

function cards(r: SimulationReport): string {
  const desc = new Map(r.defences.map((d) => [d.id, d.description]));
  const items = r.summary.map((s) => {
    const lines = [
      `<li>${s.notBlocked} not blocked</li>`,
      `<li>${s.notApplicable} need a runtime upgrade</li>`,
      s.benignBroken
        ? `<li class="bad-text">${s.benignBroken} benign workload(s) break</li>`
        : '<li>no benign workload breaks</li>',
    ];
    const d = desc.get(s.defence);
    return [
      '<div class="card">',
      `<h3>${e(s.defence)}</h3>`,
      `<p class="headline">${e(summaryHeadline(s))}</p>`,
      `<ul>${lines.join('')}</ul>`,
      d !== undefined ? `<p class="desc muted">${e(d)}</p>` : '',
      '</div>',
    ].join('\n');
  });
  return `<section class="cards">\n${items.join('\n')}\n</section>`;
}

function firstDeny(steps: readonly StepResult[]): StepResult | undefined {
  return steps.find((s) => s.decision === 'deny');
}

function resultTitle(x: TechniqueResult): string {
  if (x.verdict === 'not-applicable' && x.fix) return `fix: ${x.fix} — ${x.reason}`;
  return x.reason;
}

/** Where a verdict comes from: the model alone, or the model checked (or replaced) on a kernel. */
export function provenanceText(x: TechniqueResult): string {
  if (x.procedure)
    return `verified on kernel ${x.procedure.kernel} (lab VM, AppArmor on): the re-created procedure ${x.procedure.canary === 'reached' ? 'reached' : x.procedure.canary === 'safe' ? 'did not reach' : 'failed to run to'} its canary`;
  if (x.verified)
    return `verified on kernel ${x.verified.kernel} with ${x.verified.runtime}: ${x.verified.agreed}/${x.verified.compared} steps the lab can perform decided as the model said`;
  return 'model: decided by the evaluators on the profile text';
}

function techniqueCell(x: TechniqueResult | undefined): string {
  if (!x) return '<td class="cell missing" title="not simulated">—</td>';
  const real = x.procedure ?? x.verified;
  const agreed = x.verified ? x.verified.agreed === x.verified.compared : x.procedure?.canary !== 'error';
  const mark = real
    ? ` <span class="src ${agreed ? 'real' : 'bad-text'}">${agreed ? 'kernel ✓' : 'kernel ≠'}</span>`
    : '';
  return `<td class="cell ${x.verdict}" title="${e(`${resultTitle(x)} · ${provenanceText(x)}`)}">${e(VERDICT_TEXT[x.verdict])}${mark}</td>`;
}

function evidenceBlock(x: TechniqueResult): string {
  const lines: string[] = [`<p class="muted">${e(provenanceText(x))}</p>`];
  for (const d of x.verified?.disagreements ?? [])
    lines.push(`<p class="bad-text">disagreement: ${e(d)}</p>`);
  const p = x.procedure;
  if (p) {
    const items = [
      `canary: <strong>${e(p.canary)}</strong> — ${e(p.detail)}`,
      `stopped by: ${p.stoppedBy.length ? p.stoppedBy.map((l) => `<code>${e(l)}</code>`).join(', ') : p.canary === 'safe' ? 'only the layers together' : '—'}`,
      `with the fixed release's behaviour: canary ${e(p.upgrade)}`,
      `model verdict: ${verdictTag(p.modelVerdict)}`,
      ...p.refused.map((r) => `refused: <code>${e(r)}</code>`),
      ...p.denials.map((d) => `kernel log: <code>${e(d)}</code>`),
    ];
    lines.push(`<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`);
  }
  return lines.join('\n');
}

function benignCell(x: BenignResult | undefined): string {
  if (!x) return '<td class="cell missing" title="not simulated">—</td>';
  const d = firstDeny(x.steps);
  const title = d ? `${d.primitive}: denied by ${d.layer} (${d.rule})` : 'every step is allowed';
  return `<td class="cell ${x.verdict}" title="${e(title)}">${e(VERDICT_TEXT[x.verdict])}</td>`;
}

function headerRow(r: SimulationReport, first: string): string {
  return `<tr><th scope="col">${e(first)}</th>${r.defences.map((d) => `<th scope="col" title="${e(d.description)}">${e(d.id)}</th>`).join('')}</tr>`;
}

function classesInOrder(r: SimulationReport): string[] {
  const present = [...new Set(r.techniques.map((t) => t.class as string))];
  return [
    ...CLASS_ORDER.filter((c) => present.includes(c)),
    ...present.filter((c) => !(CLASS_ORDER as readonly string[]).includes(c)),
  ];
}

function techniqueMatrix(r: SimulationReport, prefix = 't'): string {
  const results = new Map(r.results.map((x) => [key(x.technique, x.defence), x]));
  const cols = r.defences.length + 1;
  const body: string[] = [];
  for (const cls of classesInOrder(r)) {
    body.push(`<tr class="group"><th colspan="${cols}">${e(CLASS_TITLE[cls] ?? cls)}</th></tr>`);
    for (const t of r.techniques.filter((x) => x.class === cls)) {
      const cves = t.cves.length ? ` <span class="muted">${e(t.cves.join(', '))}</span>` : '';
      body.push(
        `<tr><th scope="row"><a href="#${e(anchor(prefix, t.id))}"><code>${e(t.id)}</code></a>${cves}<br><span class="muted">${e(t.title)}</span></th>${r.defences.map((d) => techniqueCell(results.get(key(t.id, d.id)))).join('')}</tr>`,
      );
    }
  }
  return `<table class="matrix">\n<thead>${headerRow(r, 'technique')}</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
}

function benignNames(r: SimulationReport): string[] {
  return [...new Set(r.benign.map((b) => b.workload))];
}

function benignMatrix(r: SimulationReport): string {
  if (!r.benign.length) return '<p class="muted">No benign workloads were simulated.</p>';
  const results = new Map(r.benign.map((b) => [key(b.workload, b.defence), b]));
  const rows = benignNames(r).map(
    (w) =>
      `<tr><th scope="row"><a href="#${e(anchor('b', w))}"><code>${e(w)}</code></a></th>${r.defences.map((d) => benignCell(results.get(key(w, d.id)))).join('')}</tr>`,
  );
  return `<table class="matrix benign">\n<thead>${headerRow(r, 'workload')}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function location(s: StepResult): string {
  return s.location ? `${s.location.file}:${s.location.line}:${s.location.column}` : '';
}

function stepsTable(steps: readonly StepResult[]): string {
  if (!steps.length) return '<p class="muted">No steps.</p>';
  const rows = steps.map(
    (s) =>
      `<tr><td><code>${e(s.primitive)}</code> <span class="muted">(${e(s.kind)})</span></td><td class="${s.decision}">${e(s.decision)}</td><td>${e(s.layer)}</td><td><code>${e(s.rule)}</code></td><td class="mono">${e(location(s))}</td></tr>`,
  );
  return `<table class="steps">\n<thead><tr><th>primitive</th><th>decision</th><th>layer</th><th>rule</th><th>location</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function chainBlock(c: ChainResult): string {
  const state = c.blocked
    ? '<span class="tag blocked">chain broken</span>'
    : '<span class="tag not-blocked">chain open</span>';
  return `<p>chain <code>${e(c.chain)}</code> ${state}</p>\n${stepsTable(c.steps)}`;
}

function techniqueEvidence(r: SimulationReport, prefix = 't'): string {
  const byTechnique = new Map<string, TechniqueResult[]>();
  for (const x of r.results) {
    const list = byTechnique.get(x.technique) ?? [];
    list.push(x);
    byTechnique.set(x.technique, list);
  }
  const order = new Map(r.defences.map((d, i) => [d.id, i]));
  const sections: string[] = [];
  for (const cls of classesInOrder(r)) {
    for (const t of r.techniques.filter((x) => x.class === cls)) {
      const results = [...(byTechnique.get(t.id) ?? [])].sort(
        (a, b) => (order.get(a.defence) ?? 0) - (order.get(b.defence) ?? 0),
      );
      const verdicts = results.map((x) => `${verdictTag(x.verdict)}`).join(' ');
      const cves = t.cves.length ? ` · ${e(t.cves.join(', '))}` : '';
      const perDefence = results.map((x) => {
        const fix = x.fix ? `<p>fix: <code>${e(x.fix)}</code></p>` : '';
        const chains = x.chains.length ? x.chains.map(chainBlock).join('\n') : stepsTable(x.steps);
        return `<div class="defence-result">\n<h4>${e(x.defence)}: ${verdictTag(x.verdict)}</h4>\n<p>${e(x.reason)}</p>\n${fix}\n${evidenceBlock(x)}\n${chains}\n</div>`;
      });
      sections.push(
        `<details id="${e(anchor(prefix, t.id))}">\n<summary><code>${e(t.id)}</code> — ${e(t.title)} <span class="muted">(${e(t.class)}, ${e(t.severity)}${cves})</span> ${verdicts}</summary>\n${perDefence.join('\n') || '<p class="muted">No results.</p>'}\n</details>`,
      );
    }
  }
  return sections.join('\n');
}

function benignEvidence(r: SimulationReport): string {
  const order = new Map(r.defences.map((d, i) => [d.id, i]));
  return benignNames(r)
    .map((w) => {
      const results = r.benign
        .filter((b) => b.workload === w)
        .sort((a, b) => (order.get(a.defence) ?? 0) - (order.get(b.defence) ?? 0));
      const verdicts = results.map((b) => verdictTag(b.verdict)).join(' ');
      const perDefence = results.map(
        (b) =>
          `<div class="defence-result">\n<h4>${e(b.defence)}: ${verdictTag(b.verdict)}</h4>\n${stepsTable(b.steps)}\n</div>`,
      );
      return `<details id="${e(anchor('b', w))}">\n<summary><code>${e(w)}</code> ${verdicts}</summary>\n${perDefence.join('\n')}\n</details>`;
    })
    .join('\n');
}

/**
 * The management-procedures suite (runtime-side techniques re-created in the lab) under none,
 * docker-default, breakwater and breakwater+management, when the report includes it.
 */
function proceduresSection(p: SimulationReport | undefined): string {
  if (!p) return '';
  const cards = p.summary
    .map(
      (s) =>
        `<li><strong>${e(s.defence)}</strong>: ${s.blocked}/${s.total} blocked, ${s.notApplicable} need an upgrade, ${s.notBlocked} not blocked</li>`,
    )
    .join('');
  return `<h2>Management procedures × defences</h2>
<p class="meta">generated by ${e(p.generatedBy)} · the runtime-side escapes that ride on exec, cp, mount, sysctl and masked-path setup, with the management-plane profiles (breakwater+management)</p>
<ul>${cards}</ul>
${techniqueMatrix(p, 'p')}
<h2>Evidence: management procedures</h2>
${techniqueEvidence(p, 'p')}`;
}

export interface HtmlOptions {
  /** The procedures suite's report (model or real), shown after the technique matrix. */
  procedures?: SimulationReport;
}

export function renderHtml(report: SimulationReport, opts: HtmlOptions = {}): string {
  const r = report;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>breakwater simulation report</title>
<style>${STYLE}</style>
</head>
<body>
${banners(r)}
<header>
<h1>breakwater simulation report</h1>
<p class="meta">generated by ${e(r.generatedBy)} · schema version ${e(String(r.schemaVersion))} · ${r.techniques.length} techniques, ${benignNames(r).length} benign workloads, ${r.defences.length} defences</p>
</header>
<h2>Summary</h2>
${cards(r)}
<h2>Techniques × defences</h2>
<p class="legend"><span class="tag blocked">blocked</span><span class="tag not-blocked">not blocked</span><span class="tag not-applicable">upgrade: fixed by a runtime version, not by a profile</span> Hover a cell for the reason or the fix.</p>
${techniqueMatrix(r)}
<h2>Benign workloads × defences</h2>
<p class="legend"><span class="tag works">works</span><span class="tag breaks">breaks</span> A defence must not break these.</p>
${benignMatrix(r)}
${proceduresSection(opts.procedures)}
<h2>Evidence: techniques</h2>
${techniqueEvidence(r)}
<h2>Evidence: benign workloads</h2>
${benignEvidence(r)}
</body>
</html>
`;
}
