/**
 * Table-driven evaluator tests: every `test/corpus/apparmor-eval/NAME.aa` has a `NAME.jsonl` of
 * `{"profile"?, "query", "expect"}` lines; `expect` lists the decision fields to check, with
 * rules named by their line in the .aa file. Adding a case = adding a line.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProfile } from './check.js';
import {
  AppArmorEvalError,
  type AppArmorQuery,
  type CompiledProfile,
  compileAppArmor,
  evaluate,
  parseQuery,
  parseQueryPerms,
} from './evaluate.js';
import { parseProfileText } from './parser.js';

const ROOT = join(import.meta.dirname, '../../test/corpus/apparmor-eval');

interface Expect {
  decision: 'allow' | 'deny';
  audited?: boolean;
  rule?: number | null;
  rules?: number[];
  missing?: string[];
  mode?: 'enforce' | 'complain';
  enforceDecision?: 'allow' | 'deny';
}

const parse = (text: string, file = 't.aa') => {
  const { ast, diagnostics } = parseProfileText(text, file);
  if (!ast) throw new Error(JSON.stringify(diagnostics));
  return ast;
};
const profile = (body: string, flags = '') => compileAppArmor(parse(`profile t ${flags}{\n${body}\n}\n`));
const q = (p: CompiledProfile, query: AppArmorQuery) => evaluate(p, query);

const fixtures = readdirSync(ROOT).filter((f) => f.endsWith('.aa'));

describe('apparmor-eval corpus', () => {
  it('has fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(5));
  for (const f of fixtures) {
    const text = readFileSync(join(ROOT, f), 'utf8');
    const ast = parse(text, f);
    const lines = readFileSync(join(ROOT, f.replace(/\.aa$/, '.jsonl')), 'utf8')
      .split('\n')
      .map((l, i) => ({ l, n: i + 1 }))
      .filter(({ l }) => l.trim() !== '');
    const cache = new Map<string, CompiledProfile>();
    describe(f, () => {
      it('is a valid policy', () => {
        const r = checkProfile(text, f, { includeDirs: [] });
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      });
      for (const { l, n } of lines) {
        const c = JSON.parse(l) as { profile?: string; query: unknown; expect: Expect };
        it(`line ${n}: ${JSON.stringify(c.query)}`, () => {
          const key = c.profile ?? '';
          let compiled = cache.get(key);
          if (!compiled) {
            compiled = compileAppArmor(ast, c.profile ? { profile: c.profile } : {});
            cache.set(key, compiled);
          }
          const d = evaluate(compiled, parseQuery(c.query));
          const got: Record<string, unknown> = { decision: d.decision };
          const e = c.expect;
          if (e.audited !== undefined) got.audited = d.audited;
          if (e.rule !== undefined) got.rule = d.rule?.line ?? null;
          if (e.rules !== undefined) got.rules = d.rules.map((r) => r.line);
          if (e.missing !== undefined) got.missing = d.missing;
          if (e.mode !== undefined) got.mode = d.mode;
          if (e.enforceDecision !== undefined) got.enforceDecision = d.enforceDecision;
          expect(got).toEqual(e);
          if (d.rule) expect(d.rule.file).toBe(f);
        });
      }
    });
  }
});

describe('evaluate', () => {
  it('matches paths with AppArmor glob semantics (compileGlob)', () => {
    const p = profile('/proc/*/mem r,\n/a/**/b r,\n/c/{,**} r,\n/d/[^x] r,\n/e/? r,');
    const ok = (path: string) => q(p, { class: 'file', path, perms: 'r' }).decision === 'allow';
    expect(ok('/proc/1/mem')).toBe(true);
    expect(ok('/proc/1/task/1/mem')).toBe(false); // * never crosses /
    expect(ok('/proc//mem')).toBe(false); // * needs one character
    expect(ok('/a/x/y/b')).toBe(true);
    expect(ok('/a/b')).toBe(false); // /** needs at least one non-/ character
    expect(ok('/c/')).toBe(true);
    expect(ok('/c/x/y')).toBe(true);
    expect(ok('/d//')).toBe(true); // a class matches /
    expect(ok('/d/x')).toBe(false);
    expect(ok('/e/é')).toBe(false); // ? is one byte
  });

  it('expands variables (Debian 12 tunables by default, profile variables, caller overrides)', () => {
    const ast = parse(
      '@{APP}=/opt/{a,b}\nprofile t {\n@{APP}/** r,\n@{HOME}/.ssh/** r,\n@{PROC}/@{pid}/maps r,\n}\n',
    );
    const p = compileAppArmor(ast);
    const ok = (c: CompiledProfile, path: string) =>
      q(c, { class: 'file', path, perms: 'r' }).decision === 'allow';
    expect(ok(p, '/opt/b/x')).toBe(true);
    expect(ok(p, '/home/u/.ssh/id_rsa')).toBe(true);
    expect(ok(p, '/root/.ssh/id_rsa')).toBe(true);
    expect(ok(p, '/proc/42/maps')).toBe(true);
    expect(ok(p, '/proc/self/maps')).toBe(false);
    const p2 = compileAppArmor(ast, { variables: { HOME: ['/srv/home/'] } });
    expect(ok(p2, '/home/u/.ssh/id_rsa')).toBe(false);
    expect(ok(p2, '/srv/home/.ssh/id_rsa')).toBe(true);
  });

  it('follows includes and takes if branches', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-aa-eval-'));
    try {
      writeFileSync(join(dir, 'frag'), '/inc/** r,\ndeny /inc/secret r,\n');
      const ast = parse(
        '$on = true\nprofile t {\ninclude <frag>\nif $on {\n/yes r,\n} else {\n/no r,\n}\n}\n',
      );
      const p = compileAppArmor(ast, { includeDirs: [dir] });
      const d = q(p, { class: 'file', path: '/inc/secret', perms: 'r' });
      expect(d).toMatchObject({ decision: 'deny', rule: { line: 2, file: join(dir, 'frag') } });
      expect(q(p, { class: 'file', path: '/inc/x', perms: 'r' }).decision).toBe('allow');
      expect(q(p, { class: 'file', path: '/yes', perms: 'r' }).decision).toBe('allow');
      expect(q(p, { class: 'file', path: '/no', perms: 'r' }).decision).toBe('deny');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a rule inside a qualifier block with the block qualifiers', () => {
    const p = profile('audit owner {\n/x r,\n}');
    const d = q(p, { class: 'file', path: '/x', perms: 'r', owner: true });
    expect(d).toMatchObject({
      decision: 'allow',
      audited: true,
      rule: { text: 'audit owner /x r,', line: 3 },
    });
  });

  it('treats w as implying a, not the reverse; deny w also denies a', () => {
    const p = profile('/w w,\n/a a,\n/both rw,\ndeny /both w,');
    expect(q(p, { class: 'file', path: '/w', perms: 'a' }).decision).toBe('allow');
    expect(q(p, { class: 'file', path: '/a', perms: 'w' }).decision).toBe('deny');
    expect(q(p, { class: 'file', path: '/both', perms: 'a' }).decision).toBe('deny');
    expect(q(p, { class: 'file', path: '/both', perms: 'r' }).decision).toBe('allow');
  });

  it('bare file, allows every path; link rules grant l', () => {
    const p = profile('file,\ndeny /etc/shadow w,\nlink /l1 -> /t,\n/l2 l -> /t,');
    expect(q(p, { class: 'file', path: '/anything', perms: 'rwlkmx' }).decision).toBe('allow');
    expect(q(p, { class: 'file', path: '/etc/shadow', perms: 'rw' }).decision).toBe('deny');
    const p2 = profile('link /l1 -> /t,\n/l2 l -> /t,');
    expect(q(p2, { class: 'file', path: '/l1', perms: 'l' }).decision).toBe('allow');
    expect(q(p2, { class: 'file', path: '/l2', perms: 'l' }).decision).toBe('allow');
    expect(q(p2, { class: 'file', path: '/l2', perms: 'r' }).decision).toBe('deny');
  });

  it('picks a profile by name (including children) and reports ambiguity', () => {
    const ast = parse('profile a {\n/a r,\nprofile kid {\n/kid r,\n}\n}\nprofile b {\n/b r,\n}\n');
    expect(() => compileAppArmor(ast)).toThrow(/several profiles/);
    expect(() => compileAppArmor(ast, { profile: 'zz' })).toThrow(AppArmorEvalError);
    const b = compileAppArmor(ast, { profile: 'b' });
    expect(q(b, { class: 'file', path: '/b', perms: 'r' }).decision).toBe('allow');
    const a = compileAppArmor(ast, { profile: 'a' });
    expect(q(a, { class: 'file', path: '/kid', perms: 'r' }).decision).toBe('deny');
    const kid = compileAppArmor(ast, { profile: 'a//kid' });
    expect(q(kid, { class: 'file', path: '/kid', perms: 'r' }).decision).toBe('allow');
    expect(() => compileAppArmor(parse('@{A}=/x\n', 'f'))).toThrow(/no profile/);
  });

  it('lists rule kinds it does not evaluate', () => {
    const p = profile('dbus send,\nchange_profile -> x,\nset rlimit nofile <= 10,');
    expect(p.unevaluated.sort()).toEqual(['change_profile', 'dbus', 'rlimit']);
  });
});

describe('parseQuery / parseQueryPerms', () => {
  it('reads exec modes as x and rejects unknown letters', () => {
    expect(parseQueryPerms('rPix')).toEqual(['r', 'x']);
    expect(parseQueryPerms('ux')).toEqual(['x']);
    expect(parseQueryPerms('Cx')).toEqual(['x']);
    expect(() => parseQueryPerms('rz')).toThrow(AppArmorEvalError);
    expect(() => parseQueryPerms('')).toThrow(AppArmorEvalError);
  });
  it('validates queries', () => {
    expect(parseQuery({ class: 'capability', name: 'x' })).toEqual({ class: 'capability', name: 'x' });
    expect(() => parseQuery([])).toThrow(/JSON object/);
    expect(() => parseQuery({ class: 'bogus' })).toThrow(/"class"/);
    expect(() => parseQuery({ class: 'file', path: '/x' })).toThrow(/"perms"/);
    expect(() => parseQuery({ class: 'file', path: '/x', perms: 'r', owner: 'yes' })).toThrow(/"owner"/);
    expect(() => parseQuery({ class: 'mount', target: '/x', options: 'rw' })).toThrow(/"options"/);
  });
});

describe('file rule index', () => {
  it('finds rules by their literal first component, including non-ASCII ones, and keeps pattern-headed rules', () => {
    const { ast } = parseProfileText(
      'profile t {\n  /é/** r,\n  /{etc,usr}/** r,\n  deny /proc/*/mem rw,\n  /** w,\n}\n',
      'idx.sd',
    );
    if (!ast) throw new Error('does not parse');
    const c = compileAppArmor(ast);
    expect(evaluate(c, { class: 'file', path: '/é/x', perms: 'r' }).decision).toBe('allow');
    expect(evaluate(c, { class: 'file', path: '/usr/x', perms: 'r' }).decision).toBe('allow');
    expect(evaluate(c, { class: 'file', path: '/proc/1/mem', perms: 'w' }).decision).toBe('deny');
    expect(evaluate(c, { class: 'file', path: '/proc/1/mem', perms: 'w' }).rule?.line).toBe(4);
    expect(evaluate(c, { class: 'file', path: '/var/x', perms: 'r' }).decision).toBe('deny');
    expect(evaluate(c, { class: 'file', path: '/var/x', perms: 'w' }).decision).toBe('allow');
  });
});
