/**
 * Human output: one aligned row per finding, then a summary line. Colour only helps a person at a
 * terminal; in a pipe or a CI log the escape codes would be noise, so they are off unless asked for.
 */
import pc from 'picocolors';
import { countBySeverity, type Finding, type FindingSeverity, sortFindings } from './finding.js';

export interface TableOptions {
  /** Default: on only when stdout is a TTY and NO_COLOR is unset. */
  color?: boolean;
}

export function colorByDefault(stream: { isTTY?: boolean } = process.stdout): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR;
}

type Paint = (s: string) => string;

function severityPaint(colors: ReturnType<typeof pc.createColors>, s: FindingSeverity): Paint {
  switch (s) {
    case 'critical':
      return (x) => colors.bold(colors.red(x));
    case 'high':
      return colors.red;
    case 'medium':
      return colors.yellow;
    case 'low':
      return colors.cyan;
    default:
      return colors.dim;
  }
}

export function formatTable(findings: readonly Finding[], opts: TableOptions = {}): string {
  const colors = pc.createColors(opts.color ?? colorByDefault());
  if (findings.length === 0) return `${colors.green('No findings.')}\n`;
  const rows = sortFindings(findings).map((f) => ({
    severity: f.severity,
    cells: [f.severity.toUpperCase(), `${f.file}:${f.line}:${f.column}`, f.checkId, f.message],
  }));
  const header = ['SEVERITY', 'LOCATION', 'CHECK', 'MESSAGE'];
  // Pad on the raw text, then colour: escape codes must not count towards the column width.
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r.cells[i] as string).length)));
  const pad = (cells: string[], paint?: Paint): string =>
    cells
      .map((c, i) => {
        const last = i === cells.length - 1;
        const text = last ? c : c.padEnd(widths[i] as number);
        return i === 0 && paint ? paint(text) : text;
      })
      .join('  ')
      .trimEnd();
  const lines = [
    colors.bold(pad(header)),
    ...rows.map((r) => pad(r.cells, severityPaint(colors, r.severity))),
  ];
  const summary = countBySeverity(findings)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  lines.push('', `${findings.length} finding${findings.length === 1 ? '' : 's'} (${summary})`);
  return `${lines.join('\n')}\n`;
}
