/**
 * One data-driven suite for every check: each `rules/<id>/fixtures/<case>.json` is linted with only
 * that check enabled and must produce exactly the findings in `<case>.expect.json` (check id,
 * messageId, line, column). Adding a test = adding two files.
 *
 * Plus the meta-tests that keep the registry, folders, READMEs and metadata in step.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFolders, describeCheckRegistry, fixtureCases } from '../../../test/helpers/check-registry.js';
import type { SeccompProfile } from '../model.js';
import { parseDockerProfile } from '../profile/docker.js';
import type { CompileOptions } from '../types.js';
import { CHECKS, formatMessage, lintProfile, lintRuleInfo } from './index.js';

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

const folders = checkFolders(rulesDir);

describe.each(folders)('check %s: fixtures', (id) => {
  it.each(fixtureCases(rulesDir, id))('%s', (name) => {
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

describeCheckRegistry('seccomp', rulesDir, CHECKS, lintRuleInfo);

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
