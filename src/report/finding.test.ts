import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import {
  compareSeverity,
  countBySeverity,
  FAIL_ON,
  type Finding,
  type FindingSeverity,
  meetsThreshold,
  parseFailOn,
  SEVERITIES,
  shouldFail,
  sortFindings,
} from './finding.js';

const f = (severity: FindingSeverity, extra: Partial<Finding> = {}): Finding => ({
  checkId: 'x',
  severity,
  message: 'm',
  file: 'a.json',
  line: 1,
  column: 1,
  ...extra,
});

describe('severity order', () => {
  it('ranks each severity above the previous one', () => {
    for (let i = 1; i < SEVERITIES.length; i++) {
      expect(
        compareSeverity(SEVERITIES[i] as FindingSeverity, SEVERITIES[i - 1] as FindingSeverity),
      ).toBeGreaterThan(0);
    }
  });
});

describe('--fail-on', () => {
  // Each row: threshold, then which severities must trip it. Written out rather than derived from
  // the ordering so that a mistake in the ordering itself shows up here.
  const table: Array<[string, FindingSeverity[]]> = [
    ['none', []],
    ['low', ['low', 'medium', 'high', 'critical']],
    ['medium', ['medium', 'high', 'critical']],
    ['high', ['high', 'critical']],
    ['critical', ['critical']],
  ];
  it.each(table)('--fail-on %s trips on %j', (threshold, tripping) => {
    const failOn = parseFailOn(threshold);
    for (const s of SEVERITIES) {
      expect(meetsThreshold(s, failOn), `${s} vs ${threshold}`).toBe(tripping.includes(s));
      expect(shouldFail([f('info'), f(s)], failOn)).toBe(tripping.includes(s));
    }
  });

  it('covers every accepted value in the table above', () => {
    expect(table.map(([t]) => t)).toEqual([...FAIL_ON]);
  });

  it('accepts any case and rejects unknown values with a usage error naming the choices', () => {
    expect(parseFailOn(' HIGH ')).toBe('high');
    expect(() => parseFailOn('error')).toThrow(UsageError);
    expect(() => parseFailOn('error')).toThrow(/none, low, medium, high, critical/);
  });

  it('never fails on an empty list', () => {
    expect(shouldFail([], 'low')).toBe(false);
  });
});

describe('sortFindings / countBySeverity', () => {
  it('orders by file, line, column, then check id, without mutating the input', () => {
    const input = [
      f('low', { file: 'b.json', line: 1 }),
      f('low', { file: 'a.json', line: 9, column: 2 }),
      f('low', { file: 'a.json', line: 9, column: 1, checkId: 'z' }),
      f('low', { file: 'a.json', line: 9, column: 1, checkId: 'y' }),
    ];
    const copy = [...input];
    const sorted = sortFindings(input);
    expect(sorted.map((x) => `${x.file}:${x.line}:${x.column}:${x.checkId}`)).toEqual([
      'a.json:9:1:y',
      'a.json:9:1:z',
      'a.json:9:2:x',
      'b.json:1:1:x',
    ]);
    expect(input).toEqual(copy);
  });

  it('counts most severe first and omits absent severities', () => {
    expect(countBySeverity([f('low'), f('critical'), f('low')])).toEqual([
      ['critical', 1],
      ['low', 2],
    ]);
  });
});
