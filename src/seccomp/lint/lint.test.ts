/**
 * One data-driven suite for every check: each `rules/<id>/fixtures/<case>.json` is linted with only
 * that check enabled and must produce exactly the findings in `<case>.expect.json` (check id,
 * messageId, line, column). Adding a test = adding two files.
 *
 * Plus the meta-tests that keep the registry, folders, READMEs and metadata in step.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SeccompProfile } from '../model.js';
import { parseDockerProfile } from '../profile/docker.js';
import type { CompileOptions } from '../types.js';
import { CHECKS, formatMessage, lintProfile, lintRuleInfo } from './index.js';
import { defineRegistry } from './registry.js';
import type { Check } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const rulesDir = join(here, 'rules');
const root = join(here, '..', '..', '..');

interface Expect {
  description: string;
  options?: CompileOptions & { baseline?: string; knownBy?: Array<{ label: string; names: string[] }> };
  expect: Array<{ checkId: string; messageId: string; line: number; column: number }>;
}

/** Parse a fixture with the real parser; its file name (relative to the repo) is what findings carry. */
function loadProfile(path: string): { profile: SeccompProfile; text: string } {
  const text = readFileSync(path, 'utf8');
  const rel = path.slice(root.length + 1);
  const r = parseDockerProfile(text, rel);
  if (!r.profile)
    throw new Error(`fixture ${rel} does not parse:\n${r.diagnostics.map((d) => d.message).join('\n')}`);
  return { profile: r.profile, text };
}

const folders = readdirSync(rulesDir).filter((f) => existsSync(join(rulesDir, f, 'index.ts')));

function fixtureCases(id: string): string[] {
  const dir = join(rulesDir, id, 'fixtures');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.expect.json'))
        .map((f) => f.slice(0, -'.expect.json'.length))
        .sort()
    : [];
}

describe.each(folders)('check %s: fixtures', (id) => {
  it.each(fixtureCases(id))('%s', (name) => {
    const dir = join(rulesDir, id, 'fixtures');
    const spec = JSON.parse(readFileSync(join(dir, `${name}.expect.json`), 'utf8')) as Expect;
    const { profile, text } = loadProfile(join(dir, `${name}.json`));
    const { baseline, knownBy, ...compile } = spec.options ?? {};
    const findings = lintProfile(profile, {
      checks: [id],
      text,
      compile,
      ...(baseline ? { baseline: loadProfile(join(dir, baseline)).profile } : {}),
      ...(knownBy ? { knownBy: knownBy.map((k) => ({ label: k.label, names: new Set(k.names) })) } : {}),
    });
    const got = findings.map((f) => ({
      checkId: f.checkId,
      messageId: f.messageId,
      line: f.line,
      column: f.column,
    }));
    expect(got, spec.description).toEqual(spec.expect);
    for (const f of findings) {
      // every finding names its file and has its template fully filled in
      expect(f.file).toBe(profile.source);
      expect(f.message).not.toMatch(/\{\{\w+\}\}/);
      expect(f.message.endsWith(`(${id})`)).toBe(true);
    }
  });
});

describe('lint registry and docs', () => {
  const checks = Object.entries(CHECKS) as Array<[string, Check]>;

  it('has one folder per registered check and no unregistered folder', () => {
    expect([...folders].sort()).toEqual(Object.keys(CHECKS).sort());
  });

  it.each(checks)('%s: metadata is complete', (key, check) => {
    expect(check.meta.id).toBe(key);
    expect(check.meta.id).toMatch(/^[a-z]+(-[a-z0-9.]+)*$/);
    expect(check.meta.remediation).toMatch(/\.$/);
    expect(check.meta.description).toMatch(/\.$/);
    expect(Object.keys(check.meta.messages).length).toBeGreaterThan(0);
  });

  it.each(checks)('%s: README first line is the description', (key, check) => {
    const readme = readFileSync(join(rulesDir, key, 'README.md'), 'utf8');
    expect(readme.split('\n')[0]).toBe(check.meta.description);
    expect(readme).toContain(`# ${key}`);
  });

  it.each(checks)('%s: has fixtures that fire and fixtures that stay silent', (key) => {
    const cases = fixtureCases(key);
    expect(cases.some((c) => c.startsWith('bad-'))).toBe(true);
    expect(cases.some((c) => c.startsWith('ok-'))).toBe(true);
    for (const c of cases) {
      const spec = JSON.parse(
        readFileSync(join(rulesDir, key, 'fixtures', `${c}.expect.json`), 'utf8'),
      ) as Expect;
      // ok-* must stay silent, bad-* must fire: the name states the expectation
      expect(spec.expect.length > 0, c).toBe(c.startsWith('bad-'));
      expect(spec.expect.every((e) => e.checkId === key)).toBe(true);
    }
  });

  it('refuses a duplicate id or a key that does not match its check', () => {
    const a = CHECKS['not-fail-closed'] as Check;
    expect(() => defineRegistry({ 'not-fail-closed': a, other: a })).toThrow(
      /key "other" holds check "not-fail-closed"/,
    );
    const twin: Check = { ...a, meta: { ...a.meta } };
    expect(() => defineRegistry({ 'not-fail-closed': a, x: twin })).toThrow();
  });

  it('exposes every check to SARIF with its severity and messages', () => {
    expect(lintRuleInfo().map((r) => r.id)).toEqual(Object.keys(CHECKS));
  });
});

describe('lintProfile', () => {
  it('rejects an unknown check id', () => {
    const { profile } = loadProfile(join(root, 'data/baselines/docker-default.json'));
    expect(() => lintProfile(profile, { checks: ['nope'] })).toThrow(/unknown seccomp check "nope"/);
  });

  it('formats templates from data and leaves unknown placeholders visible', () => {
    expect(formatMessage('{{a}} and {{b}}', { a: 'x' })).toBe('x and {{b}}');
  });

  it('reads positions from profile.source when no text is given', () => {
    const path = join(rulesDir, 'not-fail-closed', 'fixtures', 'bad-allow-default.json');
    const r = parseDockerProfile(readFileSync(path, 'utf8'), path);
    const [f] = lintProfile(r.profile as SeccompProfile, { checks: ['not-fail-closed'] });
    expect([f?.line, f?.column]).toEqual([2, 20]);
  });

  it("Docker's default profile is fail-closed, refused by nobody, and shadows nothing", () => {
    const { profile, text } = loadProfile(join(root, 'data/baselines/docker-default.json'));
    const ids = new Set(lintProfile(profile, { text }).map((f) => f.checkId));
    for (const id of [
      'not-fail-closed',
      'runtime-refuses',
      'shadowed-rule',
      'rule-equals-default',
      'allows-beyond-baseline',
    ]) {
      expect(ids.has(id), id).toBe(false);
    }
  });

  it('podman allows what Docker denies: mount, and CLONE_NEWUSER through clone', () => {
    const { profile, text } = loadProfile(join(root, 'data/baselines/podman-default.json'));
    const findings = lintProfile(profile, {
      text,
      checks: ['escape-syscall-open', 'allows-beyond-baseline'],
    });
    const names = (id: string) =>
      new Set(findings.filter((f) => f.checkId === id).map((f) => f.data?.syscall));
    expect(names('allows-beyond-baseline').has('mount')).toBe(true);
    expect(names('escape-syscall-open').has('clone')).toBe(true);
    // every finding points at a rule name in the file: the line holds that syscall's name
    const lines = text.split('\n');
    for (const f of findings)
      expect(lines[f.line - 1]?.slice(f.column - 1)).toMatch(new RegExp(`^"${f.data?.syscall}"`));
  });
});

describe('unknown-syscall-for-arch on hand-built models', () => {
  // The parser rejects names no arch knows, so only a model built in code (or by another reader)
  // reaches the check with one; it must still say so, with a suggestion.
  it('reports a name that exists on no arch and suggests the closest', () => {
    const { profile, text } = loadProfile(
      join(rulesDir, 'unknown-syscall-for-arch', 'fixtures', 'ok-excluded-rule.json'),
    );
    const typo: SeccompProfile = {
      ...profile,
      syscalls: profile.syscalls.map((r, i) => (i === 0 ? { ...r, names: ['opneat', 'read'] } : r)),
    };
    const [f, ...rest] = lintProfile(typo, { text, checks: ['unknown-syscall-for-arch'] });
    expect(rest).toEqual([]);
    expect(f?.messageId).toBe('unknown');
    expect(f?.message).toContain('did you mean openat?');
    expect([f?.line, f?.column]).toEqual([4, 17]);
  });
});
