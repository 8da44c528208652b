/**
 * One data-driven suite for every AppArmor check: each `rules/<id>/fixtures/<case>.aa` is linted
 * with only that check enabled and must produce exactly the findings in `<case>.expect.json`
 * (check id, messageId, line, column). `options.baseline` names another fixture to compare against.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkFolders,
  describeCheckRegistry,
  type FixtureExpect,
  fixtureCases,
  readExpect,
} from '../../../test/helpers/check-registry.js';
import { describeWithTools } from '../../../test/helpers/tools.js';
import { formatMessage } from '../../report/checks.js';
import { type CompiledProfile, compileAppArmor } from '../evaluate.js';
import { parseProfileText } from '../parser.js';
import { validateWithParser } from '../validate.js';
import { apparmorLintRuleInfo, CHECKS, dockerDefaultBaseline, lintAppArmor } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const rulesDir = join(here, 'rules');
const root = join(here, '..', '..', '..');

interface Expect extends FixtureExpect {
  options?: { baseline?: string };
}

function compileFixture(path: string): CompiledProfile {
  const rel = path.slice(root.length + 1);
  const { ast, diagnostics } = parseProfileText(readFileSync(path, 'utf8'), rel);
  if (!ast || diagnostics.some((d) => d.severity === 'error'))
    throw new Error(`fixture ${rel} does not parse:\n${diagnostics.map((d) => d.message).join('\n')}`);
  return compileAppArmor(ast, { includeDirs: [] });
}

describe.each(checkFolders(rulesDir))('apparmor check %s: fixtures', (id) => {
  it.each(fixtureCases(rulesDir, id))('%s', (name) => {
    const dir = join(rulesDir, id, 'fixtures');
    const spec = readExpect<Expect>(rulesDir, id, name);
    const profile = compileFixture(join(dir, `${name}.aa`));
    const baseline = spec.options?.baseline ? compileFixture(join(dir, spec.options.baseline)) : undefined;
    const findings = lintAppArmor([profile], { checks: [id], ...(baseline ? { baseline } : {}) });
    const got = findings.map((f) => ({
      checkId: f.checkId,
      messageId: f.messageId,
      line: f.line,
      column: f.column,
    }));
    expect(got, spec.description).toEqual(spec.expect);
    for (const f of findings) {
      expect(f.file).toBe(join(dir, `${name}.aa`).slice(root.length + 1));
      expect(f.message).not.toMatch(/\{\{\w+\}\}/);
      expect(f.message.endsWith(`(${id})`)).toBe(true);
      expect(f.data?.profile).toBe(profile.name);
    }
  });
});

describeCheckRegistry('apparmor', rulesDir, CHECKS, apparmorLintRuleInfo);

describe('lintAppArmor', () => {
  it('rejects an unknown check id', () => {
    expect(() => lintAppArmor([dockerDefaultBaseline()], { checks: ['nope'] })).toThrow(
      /unknown apparmor check "nope"/,
    );
  });

  it('fills message templates', () => {
    expect(formatMessage('{{a}}', { a: 1 })).toBe('1');
  });

  it('docker-default: what its AppArmor layer leaves to other layers', () => {
    // Measured from the rule text: docker-default relies on the capability set, on read-only /proc/sys
    // and cgroup mounts, and on not mounting runtime sockets. These findings document exactly that.
    const ids = lintAppArmor([dockerDefaultBaseline()]).map((f) => f.checkId);
    expect([...new Set(ids)].sort()).toEqual([
      'abstract-unix-unrestricted',
      'dangerous-capability',
      'runtime-socket-reachable',
      'writable-proc-mem',
      'writable-proc-sys',
      'writable-release-agent',
    ]);
  });

  it('a profile compared with itself allows nothing beyond it', () => {
    const p = dockerDefaultBaseline();
    expect(lintAppArmor([p], { baseline: p, checks: ['allows-beyond-baseline'] })).toEqual([]);
  });

  it('removing one deny rule from docker-default surfaces exactly what it protected', () => {
    const text = readFileSync(
      join(root, 'src/apparmor/lint/rules/writable-proc-sys/fixtures/ok-all-denied.aa'),
      'utf8',
    );
    const without = text.replace(/^\s*deny @\{PROC\}\/sys\/\*\* w,\n/m, '');
    expect(without).not.toBe(text);
    const { ast } = parseProfileText(without, 'x.aa');
    const p = compileAppArmor(ast as NonNullable<typeof ast>, { includeDirs: [] });
    const ids = new Set(lintAppArmor([p]).map((f) => f.checkId));
    for (const id of ['writable-proc-sys', 'writable-core-pattern', 'writable-modprobe'])
      expect(ids.has(id), id).toBe(true);
  });
});

describeWithTools('AppArmor lint fixtures are real policy', ['apparmor_parser'], {}, () => {
  // A fixture apparmor_parser rejects would test the checks on text no kernel ever loads.
  const all = checkFolders(rulesDir).flatMap((id) =>
    readdirSync(join(rulesDir, id, 'fixtures'))
      .filter((f) => f.endsWith('.aa'))
      .map((f) => join(rulesDir, id, 'fixtures', f)),
  );
  it.each(all.map((p) => [p.slice(rulesDir.length + 1), p]))('%s', (_, path) => {
    const r = validateWithParser(path, { includeDirs: [] });
    expect(r.ok, r.stderr).toBe(true);
  });
});
