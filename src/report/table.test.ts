import { describe, expect, it } from 'vitest';
import type { Finding } from './finding.js';
import { colorByDefault, formatTable } from './table.js';

const findings: Finding[] = [
  {
    checkId: 'not-fail-closed',
    severity: 'high',
    message: 'default allows',
    file: 'p.json',
    line: 2,
    column: 20,
  },
  {
    checkId: 'rule-equals-default',
    severity: 'low',
    message: 'redundant',
    file: 'p.json',
    line: 10,
    column: 5,
  },
];
const ESC = '\u001b[';

describe('formatTable', () => {
  it('aligns columns and ends with a summary, with no escape codes when colour is off', () => {
    const out = formatTable(findings, { color: false });
    expect(out).not.toContain(ESC);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SEVERITY\s+LOCATION\s+CHECK\s+MESSAGE$/);
    // every row's LOCATION column starts where the header's does
    const col = lines[0]?.indexOf('LOCATION');
    expect(lines[1]?.indexOf('p.json:2:20')).toBe(col);
    expect(lines[2]?.indexOf('p.json:10:5')).toBe(col);
    expect(lines.at(-1)).toBe('2 findings (1 high, 1 low)');
  });

  it('colours severities when asked, without changing the visible text', () => {
    const colored = formatTable(findings, { color: true });
    expect(colored).toContain(ESC);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes on purpose
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatTable(findings, { color: false }));
  });

  it('says so when there is nothing to report', () => {
    expect(formatTable([], { color: false })).toBe('No findings.\n');
  });

  it('defaults to no colour for a non-TTY stream', () => {
    expect(colorByDefault({ isTTY: false })).toBe(false);
    expect(colorByDefault({})).toBe(false);
  });
});
