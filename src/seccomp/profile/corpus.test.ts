/**
 * Data-driven corpus: every test/corpus/seccomp/{ok,bad}_<what>.{json,yaml} has a sibling
 * <same>.expect.json giving the format to parse with and the exact diagnostics (code, line, column, and
 * severity when given). ok_ cases must yield a profile (warnings allowed); bad_ cases must report something,
 * and no profile when anything is an error.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectFormat, parseProfile, VALIDATE_CODES } from './index.js';

const DIR = fileURLToPath(new URL('../../../test/corpus/seccomp/', import.meta.url));

interface Expect {
  format: 'docker' | 'oci' | 'spo' | 'auto';
  diagnostics: Array<{ code: string; line: number; column: number; severity?: string }>;
}

const cases = readdirSync(DIR)
  .filter((f) => /^(ok|bad)_.+\.(json|yaml)$/.test(f) && !f.endsWith('.expect.json'))
  .sort();

describe('seccomp profile corpus', () => {
  it('has enough cases, each with an expectation', () => {
    expect(cases.filter((c) => c.startsWith('bad_')).length).toBeGreaterThanOrEqual(20);
    for (const c of cases)
      expect(existsSync(`${DIR}${c.replace(/\.(json|yaml)$/, '.expect.json')}`), c).toBe(true);
  });

  it.each(cases)('%s', (name) => {
    const text = readFileSync(`${DIR}${name}`, 'utf8');
    const want = JSON.parse(
      readFileSync(`${DIR}${name.replace(/\.(json|yaml)$/, '.expect.json')}`, 'utf8'),
    ) as Expect;
    const { profile, diagnostics } = parseProfile(text, name, want.format);
    const got = diagnostics.map((d) => ({
      code: d.code,
      line: d.line,
      column: d.column,
      ...(want.diagnostics.some((w) => w.severity !== undefined) ? { severity: d.severity } : {}),
    }));
    expect(got).toEqual(
      want.diagnostics.map((w) => ({
        code: w.code,
        line: w.line,
        column: w.column,
        ...(w.severity ? { severity: w.severity } : {}),
      })),
    );
    for (const d of diagnostics) expect(d.file).toBe(name);
    const hasError = diagnostics.some((d) => d.severity === 'error');
    expect(profile === undefined).toBe(hasError);
    if (name.startsWith('ok_')) {
      expect(hasError).toBe(false);
      // Auto-detection reads every valid case just as well (a Docker file using only OCI fields is read as
      // OCI: same model, same diagnostics).
      const auto = parseProfile(text, name, 'auto');
      expect(auto.diagnostics).toEqual(diagnostics);
      if (want.format === 'spo') expect(detectFormat(text)).toBe('spo');
      else expect(['docker', 'oci']).toContain(detectFormat(text));
    } else {
      expect(diagnostics.length).toBeGreaterThan(0);
    }
  });

  it('covers every diagnostic code the parsers can emit', () => {
    const seen = new Set<string>();
    for (const c of cases) {
      const want = JSON.parse(
        readFileSync(`${DIR}${c.replace(/\.(json|yaml)$/, '.expect.json')}`, 'utf8'),
      ) as Expect;
      for (const d of want.diagnostics) seen.add(d.code);
    }
    // Every semantic code (the validator's own list) plus the structural ones the readers emit.
    for (const code of [
      ...VALIDATE_CODES,
      'seccomp-missing-field',
      'seccomp-bad-type',
      'seccomp-unknown-key',
      'seccomp-key-case',
      'seccomp-name-and-names',
      'seccomp-archmap-and-architectures',
      'seccomp-errno-name-mismatch',
      'json-syntax',
      'json-comment',
      'json-trailing-comma',
      'json-bad-integer',
      'json-duplicate-key',
      'yaml-syntax',
      'oci-no-seccomp',
      'oci-docker-only-key',
      'spo-no-seccomp-profile',
      'spo-multiple-profiles',
      'spo-base-profile',
      'profile-unknown-format',
    ]) {
      expect(seen, code).toContain(code);
    }
  });
});
