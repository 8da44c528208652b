import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithTools } from '../../test/helpers/tools.js';
import type { ProfileNode } from './ast.js';
import {
  type BuiltRule,
  capability,
  comment,
  file,
  fileAll,
  mount,
  network,
  ProfileBuilderError,
  pathGlob,
  pivotRoot,
  profileName,
  ptrace,
  quoted,
  renderProfile,
  signal,
  umount,
  unescapeGlob,
  unix,
} from './builder.js';
import { parseProfileText } from './parser.js';
import { validateWithParser } from './validate.js';

const NASTY = [
  'x { capability, }',
  '/a,\n  capability sys_admin,',
  '/a, capability sys_admin,',
  '/a" r,\n  capability,\n  "/b',
  '/a\\" r, capability, "/b',
  '/a\\',
  '/a\\\\',
  '/a#b',
  '/a # comment',
  '/@{PROC}/x',
  '/a{b,c}',
  '/a[^x]*?',
  '/a\0b',
  '/a\rb\tc\u000bd\u007f',
  '/é☃/𝄞',
  'docker-default',
  'a b',
  '"',
  '}',
  '/a} profile evil {',
  '/a\\012capability',
];

const strings = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({
    unit: fc.constantFrom(
      '/',
      'a',
      ' ',
      ',',
      '"',
      '\\',
      '{',
      '}',
      '[',
      ']',
      '*',
      '?',
      '#',
      '@',
      '\n',
      '\t',
      '^',
      '!',
      '=',
      '(',
      ')',
      'é',
    ),
    maxLength: 24,
  }),
);

interface Built {
  text: string;
  name: string;
  rules: BuiltRule[];
}

/** Build a profile out of one arbitrary string used everywhere the builder takes input. */
function build(s: string): Built {
  const rules: BuiltRule[] = [];
  const tryAdd = (f: () => BuiltRule) => {
    try {
      rules.push(f());
    } catch (e) {
      if (!(e instanceof ProfileBuilderError)) throw e;
    }
  };
  let name = 'fuzz';
  try {
    name = profileName(s).source;
  } catch (e) {
    if (!(e instanceof ProfileBuilderError)) throw e;
  }
  tryAdd(() => file(`/${s}`, 'r'));
  tryAdd(() => file(s, 'rw', { deny: true, owner: true }));
  tryAdd(() => file(`/x/${s}/y`, 'rwklx', { deny: true, audit: true }));
  tryAdd(() => capability(s));
  tryAdd(() => capability([s, 'sys_admin']));
  tryAdd(() => network(s));
  tryAdd(() => network('inet', s));
  tryAdd(() => signal(['send'], { peer: s }));
  tryAdd(() => ptrace(['trace'], { peer: s }));
  tryAdd(() => unix(['connect'], { peerLabel: s }));
  tryAdd(() => mount({ fstype: [s], source: `/${s}`, target: `/mnt/${s}` }));
  tryAdd(() => umount(`/${s}`));
  tryAdd(() => pivotRoot({ newRoot: `/${s}` }));
  tryAdd(() => comment(s));
  tryAdd(() => file(`/${s}`, s));
  tryAdd(() => fileAll({ deny: true }));
  tryAdd(() => fileAll({ owner: true }));
  const text = renderProfile({ name, flags: ['attach_disconnected'], rules });
  return { text, name, rules };
}

function ruleKindOf(kind: string): string {
  return kind === 'link' ? 'file' : kind;
}

/** Parse and check: same rule count and kinds, same paths after unescaping, same name. */
function checkOurs(b: Built): void {
  const r = parseProfileText(b.text, 'fuzz.profile');
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  expect(errors, b.text).toEqual([]);
  const top = (r.ast?.items ?? []).filter((i) => i.kind !== 'comment');
  expect(top.length, b.text).toBe(1);
  const p = top[0] as ProfileNode;
  expect(p.kind).toBe('profile');
  expect(p.name).toBe(b.name);
  const got = p.items.filter((i) => i.kind !== 'comment');
  const want = b.rules.filter((x) => x.kind !== 'comment');
  expect(
    got.map((g) => ruleKindOf(g.kind)),
    b.text,
  ).toEqual(want.map((w) => w.kind));
  const comments = p.items.filter((i) => i.kind === 'comment');
  expect(comments.length).toBe(b.rules.length - want.length);
  got.forEach((g, i) => {
    const w = want[i] as BuiltRule;
    const paths: string[] = [];
    if (g.kind === 'file' && g.path !== undefined) paths.push(g.path);
    if (g.kind === 'mount') {
      if (g.source !== undefined) paths.push(g.source);
      if (g.target !== undefined) paths.push(g.target);
    }
    if (g.kind === 'pivot_root' && g.newRoot !== undefined) paths.push(g.newRoot);
    expect(paths.map(unescapeGlob), b.text).toEqual(w.paths);
  });
}

describe('builder escaping', () => {
  it('escapes glob metacharacters, quotes and controls in literal paths', () => {
    expect(pathGlob('/a b').text).toBe('"/a b"');
    expect(pathGlob('/a*?[]{}^,#@\\"').text).toBe('"/a\\*\\?\\[\\]\\{\\}\\^\\,\\#\\@\\134\\042"');
    expect(pathGlob('/a\tb\rc\u0001\u007f').text).toBe('"/a\\tb\\rc\\001\\177"');
    expect(pathGlob('/é☃').text).toBe('"/é☃"');
  });

  it('refuses NUL, newline and relative paths with a typed error', () => {
    for (const bad of ['/a\0', '/a\nb', 'a', '']) expect(() => pathGlob(bad)).toThrow(ProfileBuilderError);
    try {
      pathGlob('/a\nb');
    } catch (e) {
      expect((e as ProfileBuilderError).code).toBe('apparmor-builder-newline');
    }
  });

  it('accepts plain profile names and refuses the rest', () => {
    expect(profileName('docker-default').text).toBe('"docker-default"');
    for (const bad of ['', 'a b', 'a{b', 'a,b', 'a\nb', 'a#b', 'a"b', 'a\0b', '-x', 'a/b', ':ns:x', 'a*'])
      expect(() => profileName(bad), bad).toThrow(ProfileBuilderError);
  });

  it('quoted() escapes backslash and quote', () => {
    expect(quoted('a"b\\c').text).toBe('"a\\042b\\134c"');
    expect(() => quoted('a\nb')).toThrow(ProfileBuilderError);
  });

  it('validates capabilities, network, perms and flags', () => {
    expect(capability('sys_admin').text).toBe('capability sys_admin,');
    expect(capability().text).toBe('capability,');
    expect(() => capability('sys_admin, file')).toThrow(ProfileBuilderError);
    expect(network('inet', 'stream', { deny: true }).text).toBe('deny network inet stream,');
    expect(() => network('inet', 'stream,')).toThrow(ProfileBuilderError);
    expect(() => file('/a', 'x')).toThrow(ProfileBuilderError);
    expect(file('/a', 'x', { deny: true }).text).toBe('deny "/a" x,');
    expect(() => file('/a', 'r, capability')).toThrow(ProfileBuilderError);
    expect(() => renderProfile({ name: 'p', flags: ['complain,enforce'], rules: [] })).toThrow(
      ProfileBuilderError,
    );
    expect(() => signal(['send'], { signals: ['term)'] })).toThrow(ProfileBuilderError);
  });

  it('renders a profile that our parser reads back', () => {
    const text = renderProfile({
      name: 'demo',
      flags: ['attach_disconnected', 'mediate_deleted'],
      imports: ['tunables/global'],
      includes: ['abstractions/base'],
      rules: [
        comment('demo'),
        file('/srv/data dir/*literal*', 'rw', { owner: true }),
        capability(['chown', 'kill']),
        network('inet', 'stream'),
        mount({ fstype: ['tmpfs'], options: ['ro', 'nosuid'], target: '/mnt' }),
        umount(),
        pivotRoot({ newRoot: '/new', profile: 'child' }),
        ptrace(['trace', 'read'], { peer: 'demo' }),
        signal(['send', 'receive'], { signals: ['term', 'kill'], peer: 'demo' }),
        unix(['connect', 'send'], { type: 'stream', peerLabel: 'demo' }),
      ],
    });
    const r = parseProfileText(text, 'demo');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(build('/tmp/x').rules.length).toBeGreaterThan(5);
  });
});

describe('builder fuzz (our parser)', () => {
  it('never renders an extra or changed rule (2000 runs)', () => {
    fc.assert(
      fc.property(strings, (s) => {
        checkOurs(build(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('handles every hand-picked nasty input', () => {
    for (const s of NASTY) checkOurs(build(s));
  });
});

describeWithTools('builder fuzz (apparmor_parser)', ['apparmor_parser'], {}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-builder-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const accept = (b: Built) => {
    const f = join(dir, `p${n++}`);
    writeFileSync(f, b.text);
    const r = validateWithParser(f, { includeDirs: ['/etc/apparmor.d'] });
    expect(r.ok, `${b.text}\n${r.stderr}`).toBe(true);
  };

  it('accepts every rendered profile (200 runs + nasty inputs)', () => {
    for (const s of NASTY) accept(build(s));
    fc.assert(
      fc.property(strings, (s) => {
        const b = build(s);
        checkOurs(b);
        accept(b);
      }),
      { numRuns: 200 },
    );
  });
});
