/**
 * The meta-tests every family of checks gets (seccomp lint, AppArmor lint, audit): folders =
 * registry, complete metadata, README first line = description, fixtures that fire and that stay
 * silent (the `bad-`/`ok-` name states the expectation). One definition, so the families cannot drift.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Check, defineRegistry } from '../../src/report/checks.js';

export interface FixtureExpect {
  description: string;
  expect: Array<{ checkId: string; messageId: string; line: number; column: number }>;
}

/** Check folders under `rulesDir` (those with an index.ts). */
export function checkFolders(rulesDir: string): string[] {
  return readdirSync(rulesDir).filter((f) => existsSync(join(rulesDir, f, 'index.ts')));
}

/** Fixture case names of one check (`fixtures/<case>.expect.json`), sorted. */
export function fixtureCases(rulesDir: string, id: string): string[] {
  const dir = join(rulesDir, id, 'fixtures');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.expect.json'))
        .map((f) => f.slice(0, -'.expect.json'.length))
        .sort()
    : [];
}

export function readExpect<T extends FixtureExpect = FixtureExpect>(
  rulesDir: string,
  id: string,
  name: string,
): T {
  return JSON.parse(readFileSync(join(rulesDir, id, 'fixtures', `${name}.expect.json`), 'utf8')) as T;
}

export function describeCheckRegistry(
  family: string,
  rulesDir: string,
  checks: Readonly<Record<string, Check<never>>>,
  sarifRules: () => Array<{ id: string }>,
  /** Per check: fixture name and whether it fires. Default: the `<case>.expect.json` files. */
  fixtureOutcomes: (id: string) => Array<[string, boolean]> = (id) =>
    fixtureCases(rulesDir, id).map((c) => {
      const spec = readExpect(rulesDir, id, c);
      expect(spec.expect.every((e) => e.checkId === id)).toBe(true);
      return [c, spec.expect.length > 0];
    }),
): void {
  const entries = Object.entries(checks);
  const folders = checkFolders(rulesDir);

  describe(`${family} check registry and docs`, () => {
    it('has one folder per registered check and no unregistered folder', () => {
      expect([...folders].sort()).toEqual(Object.keys(checks).sort());
    });

    it.each(entries)('%s: metadata is complete', (key, check) => {
      expect(check.meta.id).toBe(key);
      expect(check.meta.id).toMatch(/^[a-z]+(-[a-z0-9.]+)*$/);
      expect(check.meta.remediation).toMatch(/\.$/);
      expect(check.meta.description).toMatch(/\.$/);
      expect(Object.keys(check.meta.messages).length).toBeGreaterThan(0);
    });

    it.each(entries)('%s: README first line is the description', (key, check) => {
      const readme = readFileSync(join(rulesDir, key, 'README.md'), 'utf8');
      expect(readme.split('\n')[0]).toBe(check.meta.description);
      expect(readme).toContain(`# ${key}`);
    });

    it.each(entries)('%s: has fixtures that fire and fixtures that stay silent', (key) => {
      const cases = fixtureOutcomes(key);
      expect(cases.some(([c]) => c.startsWith('bad-'))).toBe(true);
      expect(cases.some(([c]) => c.startsWith('ok-'))).toBe(true);
      // ok-* must stay silent, bad-* must fire: the name states the expectation
      for (const [c, fires] of cases) expect(fires, c).toBe(c.startsWith('bad-'));
    });

    it('refuses a duplicate id or a key that does not match its check', () => {
      const [key, a] = entries[0] as [string, Check<never>];
      expect(() => defineRegistry({ [key]: a, other: a })).toThrow(`key "other" holds check "${key}"`);
    });

    it('exposes every check to SARIF', () => {
      expect(sarifRules().map((r) => r.id)).toEqual(Object.keys(checks));
    });
  });
}
