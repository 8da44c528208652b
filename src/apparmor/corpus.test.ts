/**
 * Self-describing AppArmor corpus (STYLE.md point 8): every `test/corpus/apparmor/<area>/{ok,bad}_*.sd`
 * carries `#=DESCRIPTION`, `#=EXRESULT PASS|FAIL` and, for failures, `#=ERROR <code> <line>:<col>`
 * (the first error we report). Adding a case = adding a file. When apparmor_parser is installed
 * each case is also run through it with the same include dir: the expected result must be its
 * verdict too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeWithTools } from '../../test/helpers/tools.js';
import { checkProfile } from './check.js';
import { validateWithParser } from './validate.js';

const ROOT = join(import.meta.dirname, '../../test/corpus/apparmor');
const INCLUDES = join(ROOT, '_includes');

interface Case {
  path: string;
  name: string;
  description: string;
  expect: 'PASS' | 'FAIL';
  error?: { code: string; line: number; column: number };
  todo?: string;
  disabled?: boolean;
}

function loadCases(): Case[] {
  const out: Case[] = [];
  for (const area of readdirSync(ROOT, { withFileTypes: true })) {
    if (!area.isDirectory() || area.name.startsWith('_')) continue;
    for (const f of readdirSync(join(ROOT, area.name)).sort()) {
      if (!/^(ok|bad)_.*\.sd$/.test(f)) continue;
      const path = join(ROOT, area.name, f);
      const text = readFileSync(path, 'utf8');
      const header = (k: string) => new RegExp(`^#=${k}[ \\t]+(.*)$`, 'm').exec(text)?.[1]?.trim();
      const err = header('ERROR')?.split(/\s+/);
      const [line, column] = (err?.[1] ?? '').split(':').map(Number);
      out.push({
        path,
        name: `${area.name}/${f}`,
        description: header('DESCRIPTION') ?? '',
        expect: (header('EXRESULT') ?? 'PASS') as 'PASS' | 'FAIL',
        ...(err?.[0] ? { error: { code: err[0], line: line ?? 0, column: column ?? 0 } } : {}),
        ...(header('TODO') ? { todo: header('TODO') } : {}),
        ...(/^#=DISABLED/m.test(text) ? { disabled: true } : {}),
      });
    }
  }
  return out;
}

const cases = loadCases();

describe('AppArmor corpus: our verdict', () => {
  it('has enough cases, each self-described', () => {
    expect(cases.filter((c) => c.expect === 'FAIL').length).toBeGreaterThanOrEqual(25);
    expect(cases.filter((c) => c.expect === 'PASS').length).toBeGreaterThanOrEqual(5);
    for (const c of cases) {
      expect(c.description, c.name).not.toBe('');
      expect(c.name.includes('/bad_') === (c.expect === 'FAIL'), `${c.name}: name agrees with EXRESULT`).toBe(
        true,
      );
      if (c.expect === 'FAIL') expect(c.error, `${c.name} needs #=ERROR`).toBeDefined();
    }
  });

  for (const c of cases) {
    const test = c.disabled ? it.skip : c.todo ? it.fails : it;
    test(`${c.name}: ${c.description}`, () => {
      const r = checkProfile(readFileSync(c.path, 'utf8'), c.path, { includeDirs: [INCLUDES] });
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      if (c.expect === 'PASS') {
        expect(errors).toEqual([]);
        expect(r.valid).toBe(true);
        return;
      }
      expect(r.valid).toBe(false);
      const first = errors[0];
      expect(first && { code: first.code, line: first.line, column: first.column }).toEqual(c.error);
      expect(first?.file).toBe(c.path);
    });
  }
});

describeWithTools('AppArmor corpus: apparmor_parser agrees', ['apparmor_parser'], {}, () => {
  let agreements = 0;
  for (const c of cases) {
    if (c.disabled) continue;
    it(`${c.name} is ${c.expect} for apparmor_parser`, () => {
      const r = validateWithParser(c.path, { includeDirs: [INCLUDES] });
      expect(r.ok ? 'PASS' : 'FAIL', r.stderr).toBe(c.expect);
      agreements++;
    });
  }
  it('reports the count', () => {
    console.log(`[apparmor corpus] ${cases.length} cases, apparmor_parser agreed on ${agreements}`);
  });
});
