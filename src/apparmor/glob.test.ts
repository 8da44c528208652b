import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, GlobError } from './glob.js';
import { referenceMatch } from './glob-reference.js';
import { processUnquoted } from './lexer.js';

/** Debian 12 tunables/kernelvars + tunables/proc (apparmor 3.0.8). */
const PID =
  '{[1-9],[1-9][0-9],[1-9][0-9][0-9],[1-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9][0-9],[1-4][0-9][0-9][0-9][0-9][0-9][0-9]}';
const TUNABLES = new Map<string, string[]>([
  ['pid', [PID]],
  ['tid', ['@{pid}']],
  ['PROC', ['/proc/']],
  ['run', ['/run/', '/var/run/']],
  ['HOME', ['@{HOMEDIRS}/*/', '/root/']],
  ['HOMEDIRS', ['/home/']],
]);

const match = (glob: string, path: string, isDirectory?: boolean) =>
  compileGlob(glob, { variables: TUNABLES }).test(
    path,
    isDirectory === undefined ? undefined : { isDirectory },
  );

describe('compileGlob: one case per rule (paths are kernel names: canonical, directories end in /)', () => {
  const cases: [glob: string, path: string, expected: boolean, why: string][] = [
    ['/a/b', '/a/b', true, 'literal'],
    ['/a/b', '/a/bc', false, 'anchored at the end'],
    ['/a/*', '/a/b', true, '* = run of non-/ bytes'],
    ['/a/*', '/a/b/c', false, '* does not cross /'],
    ['/a/*', '/a/', false, '/* as a whole component needs one non-/ byte (parser emits [^/][^/]*)'],
    ['/*/b', '//b', false, 'same in the middle: /*/ needs a non-empty component'],
    ['/a/*b', '/a/b', true, '* followed by more text may be empty (only a whole component is forced)'],
    ['/a/b*', '/a/b', true, '* after a non-/ may be empty'],
    ['/a/*.so', '/a/.so', true, '"/*.so": * is not the whole component, so may be empty'],
    ['/a/{*,x}', '/a/', true, '* after "(" in the emitted regex: no forced byte'],
    ['/a/**', '/a/b/c', true, '** crosses /'],
    ['/a/**', '/a/', false, '/** needs one non-/ byte ([^/][^\\x00]*)'],
    ['/a/**', '/a/x/', true, '** may end in /'],
    ['/a/**/b', '/a/b', false, '/**/ needs a non-empty middle'],
    ['/a/**/b', '/a/x/y/b', true, '/**/ spans components'],
    ['/a/**.ext', '/a/.ext', true, '"/**.ext" emits [^\\x00]*: may be empty'],
    ['/a/{,**}', '/a/', true, 'the idiom covering the empty case'],
    ['/a/{,**}', '/a/b/c', true, 'the idiom covering the rest'],
    ['/a/***', '/a/b/c', true, '*** = ** then *'],
    ['/?', '/a', true, '? = one non-/ byte'],
    ['/?', '/é', false, '? is one byte; é is two in UTF-8'],
    ['/??', '/é', true, 'two ? match the two bytes of é'],
    ['/a?b', '/a/b', false, '? never matches /'],
    ['/[ab]', '/b', true, 'class'],
    ['/[a-c]x', '/bx', true, 'range'],
    ['/[c-a]x', '/bx', true, 'a reversed range is swapped (parse.y insert_char_range)'],
    ['/[^h]', '/x', true, 'negated class'],
    ['/[^h]', '/h', false, 'negated class excludes its chars'],
    ['/a[^h]b', '/a/b', true, 'a class, even negated, can match /'],
    ['/[é]', '/é', false, 'a class holds bytes: [é] is one of 0xc3 0xa9'],
    ['/[*]', '/*', false, '* inside [] still expands: [*] is [[^/\\x00]*] then a literal ]'],
    ['/[*]', '/[/^]', true, '... which matches runs of [ ^ / and then ]'],
    ['/[\\,]', '/\\', true, '\\, inside a class reaches parse.y as \\, = the chars \\ and ,'],
    ['/{a,b}', '/b', true, 'alternation'],
    ['/{a,{b,c}}x', '/cx', true, 'nested alternation'],
    ['/x{,y}', '/x', true, 'empty alternative'],
    ['/{a,b/c}', '/b/c', true, 'alternatives may hold /'],
    ['/\\*', '/*', true, '\\* is a literal *'],
    ['/\\*', '/a', false, '\\* is not a glob'],
    ['/\\{a\\,b\\}', '/{a,b}', true, 'escaped braces and comma are literal'],
    ['/a\\\\b', '/a\\b', true, '\\\\ is a literal backslash'],
    ['/a\\ b', '/a b', true, '\\<space> is a space'],
    ['/\\q', '/q', true, 'an unnecessary escape is dropped'],
    ['/a.b+c|d(e)$^', '/a.b+c|d(e)$^', true, 'pcre metachars are literal'],
    ['/a.b', '/axb', false, '. is not "any char"'],
    ['/a//b', '/a/b', true, 'runs of / collapse (filter_slashes)'],
    ['///a', '/a', true, 'leading runs of 3+ collapse too'],
    ['//a', '/a', false, 'but a leading // before a name is kept (the Linux // namespace)'],
    ['@{PROC}/@{pid}/mem', '/proc/12/mem', true, '@{PROC}/ = /proc// collapses; @{pid} is 1-7 digits'],
    ['/proc/@{pid}/mem', '/proc/0/mem', false, '@{pid} starts at 1'],
    ['/proc/@{pid}/mem', '/proc/4194304/mem', true, '7 digits up to 4xxxxxx'],
    ['/proc/@{pid}/mem', '/proc/5000000/mem', false, 'but not 5xxxxxx'],
    ['/proc/@{tid}/mem', '/proc/9/mem', true, 'nested variable: @{tid}=@{pid}'],
    ['@{run}/x', '/var/run/x', true, 'multi-valued variable = alternation'],
    ['@{HOME}/.ssh/**', '/home/u/.ssh/id', true, 'nested variable with a glob inside'],
    // apparmor_parser -D rule-exprs: {/home/*,/root}/.ssh/** (the trailing / of the values is cut
    // because the suffix starts with /, so the * is no longer a whole component)
    ['@{HOME}/.ssh/**', '/home//.ssh/id', true, '@{HOME}/ loses the forced byte of @{HOMEDIRS}/*/'],
    ['/a/b/', '/a/b/', true, 'a trailing / names the directory'],
    ['/a/b/', '/a/b', false, 'not the file'],
    ['/a/*', '/a/b/', false, '/a/* does not cover the directory /a/b/ (kernel appends / to directories)'],
    ['/a/**', '/a/b/', true, '/a/** does'],
  ];
  it.each(cases)('%s vs %s → %s (%s)', (glob, path, expected) => {
    expect(match(glob, path)).toBe(expected);
  });

  it('directoryOnly and isDirectory', () => {
    const dir = compileGlob('/a/b/');
    expect(dir.directoryOnly).toBe(true);
    expect(dir.test('/a/b', { isDirectory: true })).toBe(true); // named /a/b/ by the kernel
    expect(dir.test('/a/b', { isDirectory: false })).toBe(false);
    expect(dir.test('/a/b/', { isDirectory: false })).toBe(false);
    const file = compileGlob('/a/*');
    expect(file.directoryOnly).toBe(false);
    expect(file.test('/a/b', { isDirectory: false })).toBe(true);
    expect(file.test('/a/b', { isDirectory: true })).toBe(false);
    expect(compileGlob('/a/*/').test('/a/b', { isDirectory: true })).toBe(true);
    expect(compileGlob('/').test('/', { isDirectory: true })).toBe(true);
    expect(compileGlob('@{PROC}', { variables: TUNABLES }).directoryOnly).toBe(true);
  });

  // each expected text below is what `apparmor_parser -D rule-exprs` printed for the same definitions
  it('expands variables as apparmor_parser does', () => {
    const v = new Map([
      ['A', ['/x/', '/y']],
      ['B', ['@{A}z']],
      ['one', ['/only/']],
    ]);
    // a multi-valued reference right after / drops the values' leading /, and before / their trailing /
    expect(compileGlob('/p/@{A}/q', { variables: v }).expanded).toBe('/p/{x,y}/q');
    expect(compileGlob('@{A}', { variables: v }).expanded).toBe('{/x/,/y}');
    expect(compileGlob('/@{B}', { variables: v }).expanded).toBe('/{x/z,yz}');
    // the second reference eats the first one's suffix: /x/@{at}{at} -> /x/@{at} -> /x/@
    expect(compileGlob('/x/@{at}{at}', { variables: new Map([['at', ['@']]]) }).expanded).toBe('/x/@');
    // a single value goes in verbatim; filter_slashes then collapses //
    expect(compileGlob('/p/@{one}/q', { variables: v }).expanded).toBe('/p/only/q');
    // \@ hides a reference; the braces then still read as an alternation
    expect(compileGlob('\\@\\{A\\}', { variables: v }).test('@{A}')).toBe(true);
    expect(() => compileGlob('\\@{A}', { variables: v })).toThrow(GlobError);
  });
});

describe("AppArmor's own convert_aaregex_to_pcre unit tests (parser_regex.c, v3.0.8)", () => {
  const ok: [string, string][] = [
    ['/most/basic/test', '/most/basic/test'],
    ['\\\\', '\\\\'],
    ['\\blort', 'blort'],
    ['\\\\blort', '\\\\blort'],
    ['blort\\\\', 'blort\\\\'],
    ['*', '[^/\\x00]*'],
    ['blort*', 'blort[^/\\x00]*'],
    ['*blort', '[^/\\x00]*blort'],
    ['\\*', '\\*'],
    ['blort\\*', 'blort\\*'],
    ['\\*blort', '\\*blort'],
    ['\\[', '\\['],
    ['\\]', '\\]'],
    ['\\?', '?'],
    ['\\{', '\\{'],
    ['\\}', '\\}'],
    ['\\,', ','],
    ['^', '\\^'],
    ['$', '\\$'],
    ['.', '\\.'],
    ['+', '\\+'],
    ['|', '\\|'],
    ['(', '\\('],
    [')', '\\)'],
    ['\\^', '\\^'],
    ['\\$', '\\$'],
    ['\\.', '\\.'],
    ['\\+', '\\+'],
    ['\\|', '\\|'],
    ['\\(', '\\('],
    ['\\)', '\\)'],
    ['[blort]', '[blort]'],
    ['b[lor]t', 'b[lor]t'],
    ['{alpha,beta}', '(alpha|beta)'],
    ['baz{alpha,beta}blort', 'baz(alpha|beta)blort'],
    ['{{alpha,blort,nested},beta}', '((alpha|blort|nested)|beta)'],
    ['{{alpha,{blort,nested}},beta}', '((alpha|(blort|nested))|beta)'],
    ['{{alpha,alpha{blort,nested}}beta,beta}', '((alpha|alpha(blort|nested))beta|beta)'],
    ['{{a,b{c,d}}e,{f,{g,{h{i,j,k},l}m},n}o}', '((a|b(c|d))e|(f|(g|(h(i|j|k)|l)m)|n)o)'],
    ['blor?t', 'blor[^/\\x00]t'],
    ['/*', '/[^/\\x00][^/\\x00]*'],
    ['/blort/*', '/blort/[^/\\x00][^/\\x00]*'],
    ['/*/blort', '/[^/\\x00][^/\\x00]*/blort'],
    ['/*/', '/[^/\\x00][^/\\x00]*/'],
    ['/**', '/[^/\\x00][^\\x00]*'],
    ['/blort/**', '/blort/[^/\\x00][^\\x00]*'],
    ['/**/blort', '/[^/\\x00][^\\x00]*/blort'],
    ['/**/', '/[^/\\x00][^\\x00]*/'],
    ['\\\\?', '\\\\[^/\\x00]'],
    ['\\\\,', '\\\\,'],
    ['\\\\^', '\\\\\\^'],
    ['\\\\$', '\\\\\\$'],
    ['\\\\.', '\\\\\\.'],
    ['\\\\+', '\\\\\\+'],
    ['\\\\|', '\\\\\\|'],
    ['\\\\(', '\\\\\\('],
    ['\\\\)', '\\\\\\)'],
    ['\\000', '\\000'],
    ['\\x00', '\\x00'],
    ['\\d000', '\\d000'],
    ['b[\\lor]t', 'b[lor]t'],
    ['b[{a,b}]t', 'b[{a,b}]t'],
    ['{alpha,b[{a,b}]t,gamma}', '(alpha|b[{a,b}]t|gamma)'],
    ['b[\\{a,b\\}]t', 'b[\\{a,b\\}]t'],
    ['{alpha,b[\\{a,b\\}]t,gamma}', '(alpha|b[\\{a,b\\}]t|gamma)'],
    ['{alpha,b[\\{a\\,b\\}]t,gamma}', '(alpha|b[\\{a\\,b\\}]t|gamma)'],
    ['/foo/**', '/foo/[^/\\x00][^\\x00]*'],
    ['/foo/f**', '/foo/f[^\\x00]*'],
    ['/foo/*', '/foo/[^/\\x00][^/\\x00]*'],
    ['/foo/f*', '/foo/f[^/\\x00]*'],
    ['/foo/**.ext', '/foo/[^\\x00]*\\.ext'],
    ['/foo/f**.ext', '/foo/f[^\\x00]*\\.ext'],
    ['/foo/*.ext', '/foo/[^/\\x00]*\\.ext'],
    ['/foo/f*.ext', '/foo/f[^/\\x00]*\\.ext'],
  ];
  it.each(ok)('%s -> %s', (glob, pcre) => {
    expect(compileGlob(glob).pcre).toBe(pcre);
  });

  const bad = [
    '\\',
    'blort\\',
    '[blort',
    'b[lort',
    'blort[',
    'blort]',
    'blo]rt',
    ']blort',
    '{beta}',
    'biz{beta',
  ];
  const bad2 = [
    'biz}beta',
    'biz{be,ta',
    'biz,be}ta',
    'biz{}beta',
    '{{alpha,blort,nested}beta}',
    '\\\\[',
    '\\\\]',
  ];
  const bad3 = ['\\\\{', '\\\\}'];
  it.each([...bad, ...bad2, ...bad3])('%s is invalid', (glob) => {
    expect(() => compileGlob(glob)).toThrow(GlobError);
  });

  it('nesting depth: 49 levels are fine, 50 are not (MAX_ALT_DEPTH)', () => {
    const nest = (n: number) => `${'{a'.repeat(n)}${',b}'.repeat(n)}`;
    expect(compileGlob(nest(49)).test('ab')).toBe(true);
    expect(() => compileGlob(nest(50))).toThrow(GlobError);
  });
});

describe('GlobError columns (1-based)', () => {
  const cases: [glob: string, column: number, message: RegExp][] = [
    ['/a/{b,c', 4, /unclosed '\{'/],
    ['/a/{b,{c,d}', 4, /unclosed '\{'/],
    ['/a/[bc', 4, /unclosed '\['/],
    ['/a/b]', 5, /unmatched '\]'/],
    ['/a/b}', 5, /unmatched '\}'/],
    ['/a/{b}', 4, /at least one ','/],
    ['/a/[]', 4, /invalid character class/],
    ['/a/[^]', 4, /invalid character class/],
    ['/a/[b-]', 4, /invalid character class/],
    ['/a/b\\', 5, /trailing/],
    ['/é/[', 4, /unclosed '\['/],
    ['/a/@{nope}/b', 4, /undefined variable @\{nope\}/],
    ['/a/@{}', 4, /empty variable name/],
    ['/x/@{loop}', 4, /referenced recursively/],
    ['/x/@{L2}', 4, /referenced recursively/],
    ['/x/@{bad}', 4, /undefined variable @\{missing\}/],
    ['/x/@{brace}', 4, /unclosed '\{'/],
  ];
  const vars = new Map([
    ['loop', ['a@{loop}']],
    ['L1', ['@{L2}']],
    ['L2', ['x', '@{L1}']],
    ['bad', ['@{missing}']],
    ['brace', ['{a']],
  ]);
  it.each(cases)('%s → column %i', (glob, column, message) => {
    let err: unknown;
    try {
      compileGlob(glob, { variables: vars });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GlobError);
    expect((err as GlobError).column).toBe(column);
    expect((err as GlobError).message).toMatch(message);
  });
});

describe('Debian tunables', () => {
  const dir = '/etc/apparmor.d/tunables';
  it.skipIf(!existsSync(`${dir}/kernelvars`))(
    'the real @{pid} and @{PROC} behave as the table assumes',
    () => {
      const vars = new Map<string, string[]>();
      for (const f of ['kernelvars', 'proc']) {
        for (const m of readFileSync(`${dir}/${f}`, 'utf8').matchAll(/^\s*@\{(\w+)\}\s*(\+?=)\s*(.*)$/gm)) {
          const vals = (m[3] as string).trim().split(/\s+/);
          if (m[2] === '+=') vars.get(m[1] as string)?.push(...vals);
          else vars.set(m[1] as string, vals);
        }
      }
      expect(vars.get('PROC')).toEqual(['/proc/']);
      const mem = compileGlob('@{PROC}/@{pid}/mem', { variables: vars });
      expect(mem.expanded.startsWith('/proc/{')).toBe(true);
      for (const [p, want] of [
        ['/proc/1/mem', true],
        ['/proc/12/mem', true],
        ['/proc/0/mem', false],
        ['/proc/012/mem', false],
        ['/proc/self/mem', false],
        ['/proc/1234567/mem', true],
        ['/proc/12345678/mem', false],
      ] as const)
        expect(mem.test(p), p).toBe(want);
    },
  );
});

// ---------------------------------------------------------------- random globs

type G = { glob: string; sample: fc.Arbitrary<string> };
const cat = (xs: fc.Arbitrary<string[]>) => xs.map((a) => a.join(''));

/** Random globs from a small alphabet, each with an arbitrary of paths built to often match it. */
function globArb(letters: [string, string]): fc.Arbitrary<G> {
  const [a, b] = letters;
  const any = (cs: string[], max: number) => cat(fc.array(fc.constantFrom(...cs), { maxLength: max }));
  const atom = (glob: string, sample: fc.Arbitrary<string>): G => ({ glob, sample });
  const atoms: G[] = [
    atom(a, fc.constant(a)),
    atom(b, fc.constant(b)),
    atom('/', fc.constant('/')),
    atom('//', fc.constant('/')),
    atom('*', any([a, b, '/'], 3)),
    atom('**', any([a, b, '/'], 4)),
    atom('?', fc.constantFrom(a, '/', 'é', '')),
    atom(`[${a}${b}]`, fc.constantFrom(a, b, '/')),
    atom(`[^${a}]`, fc.constantFrom(a, b, '/')),
    atom(`[${a}-${b}]`, fc.constantFrom(a, b, '/')),
    atom('\\*', fc.constantFrom('*', a)),
    atom('é', fc.constantFrom('é', a)),
    atom('.', fc.constantFrom('.', a)),
  ];
  const { seq } = fc.letrec<{ seq: G; alt: G; item: G }>((tie) => ({
    seq: fc.array(tie('item'), { maxLength: 6 }).map((items) => ({
      glob: items.map((g) => g.glob).join(''),
      sample: items.length ? cat(fc.tuple(...items.map((g) => g.sample))) : fc.constant(''),
    })),
    alt: fc.array(tie('seq'), { minLength: 2, maxLength: 3 }).map((alts) => ({
      glob: `{${alts.map((g) => g.glob).join(',')}}`,
      sample: fc.oneof(...alts.map((g) => g.sample)),
    })),
    item: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      ...atoms.map((g) => fc.constant(g)),
      tie('alt'),
    ),
  }));
  return seq;
}

const globAndPaths = (letters: [string, string], rooted: boolean) =>
  globArb(letters).chain((g) => {
    const glob = rooted ? `/${g.glob}` : g.glob;
    const sample = rooted ? g.sample.map((s) => `/${s}`) : g.sample;
    const random = cat(
      fc.array(fc.constantFrom(letters[0], letters[1], '/', 'é', '.', '*'), { maxLength: 8 }),
    );
    return fc.tuple(fc.constant(glob), fc.array(fc.oneof(sample, random), { minLength: 1, maxLength: 8 }));
  });

describe('property: compiled matcher agrees with the backtracking reference', () => {
  it('on random globs and paths', () => {
    let hits = 0;
    let total = 0;
    fc.assert(
      fc.property(globAndPaths(['a', 'b'], false), ([glob, paths]) => {
        const m = compileGlob(glob);
        for (const p of paths) {
          const want = referenceMatch(glob, p);
          expect(m.test(p), `${glob} vs ${p}`).toBe(want);
          hits += want ? 1 : 0;
          total++;
        }
      }),
      { numRuns: 3000 },
    );
    expect(hits / total).toBeGreaterThan(0.2); // the generator must produce matches, not only misses
  });
});

// ---------------------------------------------------------------- the real apparmor_parser

/**
 * Differential test against the installed apparmor_parser (Debian 12: 3.0.8). It compiles one
 * profile per glob and dumps each DFA (`-D dfa-states`); walking that DFA over a path's bytes is what
 * the kernel does. Letters k/m: not hex digits, so the dump's `\x..` escapes stay unambiguous.
 */
const parserVersion = spawnSync('apparmor_parser', ['--version'], { encoding: 'utf8' });
const haveParser = parserVersion.status === 0 && /version 3\.0\./.test(parserVersion.stdout);

interface Dfa {
  start: number;
  accept: Set<number>;
  trans: Map<number, { explicit: Map<number, number>; excluded: Set<number>; otherwise?: number }>;
}

function dumpDfas(globs: string[]): Dfa[] {
  const dir = mkdtempSync(join(tmpdir(), 'bw-glob-'));
  try {
    const file = join(dir, 'p');
    writeFileSync(
      file,
      globs.map((g, i) => `profile t${String(i).padStart(5, '0')} {\n  "${g}" r,\n}\n`).join(''),
    );
    const r = spawnSync('apparmor_parser', ['-Q', '-S', '-D', 'dfa-states', file], {
      encoding: 'latin1',
      maxBuffer: 1 << 28,
    });
    if (r.status !== 0) throw new Error(r.stderr);
    return parseDump(r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The DFA for one raw glob, or undefined when apparmor_parser rejects it. */
function tryDumpDfa(glob: string): Dfa | undefined {
  try {
    return dumpDfas([glob])[0];
  } catch {
    return undefined;
  }
}

function parseDump(text: string): Dfa[] {
  const dfas: Dfa[] = [];
  let dfa: Dfa | undefined;
  let cur: number | undefined;
  const escapes: Record<string, number> = { a: 7, e: 27, f: 12, n: 10, r: 13, t: 9 };
  for (const line of text.split('\n')) {
    if (line.includes('<==')) {
      dfa = { start: Number(/\{(\d+)\}/.exec(line)?.[1]), accept: new Set(), trans: new Map() };
      dfas.push(dfa);
      if (line.includes('(0x')) dfa.accept.add(dfa.start);
      continue;
    }
    if (!dfa) continue;
    const state = /^\{(\d+)\} perms:/.exec(line);
    const accept = /^\{(\d+)\} \(0x/.exec(line);
    const t = cur === undefined ? undefined : dfa.trans.get(cur);
    const otherwise = /^ {4}\[(\^?)(.*)\] -> \{(\d+)\}/.exec(line);
    const explicit = /^ {4}(?:.* )?0x([0-9a-f]+) -> \{(\d+)\}/.exec(line);
    if (state) {
      cur = Number(state[1]);
      dfa.trans.set(cur, { explicit: new Map(), excluded: new Set() });
    } else if (accept) dfa.accept.add(Number(accept[1]));
    else if (t && otherwise) {
      // `[^...] -> {n}`: every byte without its own line goes to n, except the listed ones
      t.otherwise = Number(otherwise[3]);
      const body = otherwise[2] as string;
      for (let i = 0; i < body.length; i++) {
        const c = body[i] as string;
        if (c !== '\\') t.excluded.add(c.charCodeAt(0));
        else if (body[i + 1] === 'x') {
          const h = /^[0-9a-f]{1,2}/.exec(body.slice(i + 2))?.[0] ?? '';
          t.excluded.add(Number.parseInt(h, 16));
          i += 1 + h.length;
        } else {
          i++;
          const e = body[i] as string;
          t.excluded.add(escapes[e] ?? e.charCodeAt(0));
        }
      }
    } else if (t && explicit) t.explicit.set(Number.parseInt(explicit[1] as string, 16), Number(explicit[2]));
  }
  return dfas;
}

function walk(dfa: Dfa, path: string): boolean {
  let s: number | undefined = dfa.start;
  for (const b of Buffer.from(path, 'utf8')) {
    const t = dfa.trans.get(s);
    if (!t) return false;
    s = t.explicit.get(b) ?? (t.excluded.has(b) ? undefined : t.otherwise);
    if (s === undefined) return false;
  }
  return dfa.accept.has(s);
}

describe.skipIf(!haveParser)('differential: apparmor_parser 3.0.8 DFA', () => {
  it('agrees on random globs and paths', () => {
    const cases = fc.sample(globAndPaths(['k', 'm'], true), { numRuns: 400, seed: 42 });
    const dfas = dumpDfas(cases.map(([g]) => g));
    expect(dfas.length).toBe(cases.length);
    let hits = 0;
    cases.forEach(([glob, paths], i) => {
      const m = compileGlob(glob);
      for (const p of paths) {
        const want = walk(dfas[i] as Dfa, p);
        expect(m.test(p), `${glob} vs ${p}`).toBe(want);
        hits += want ? 1 : 0;
      }
    });
    expect(hits).toBeGreaterThan(100);
  });

  it('accepts and rejects the same raw globs, then matches alike', () => {
    // raw profile text, so it goes through the lexer's escape processing first, as in the real parser
    const chars = ['k', 'm', '/', '{', '}', ',', '[', ']', '^', '-', '*', '?', '\\', 'é', '.', '@'];
    const raw = cat(fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 8 }))
      .map((s) => `/${s}`)
      .filter((s) => !/(^|[^\\])(\\\\)*\\$/.test(s)); // a trailing \ would escape the closing quote
    const paths = fc
      .sample(cat(fc.array(fc.constantFrom(...chars.slice(0, -2)), { maxLength: 6 })), {
        numRuns: 60,
        seed: 7,
      })
      .map((p) => `/${p}`);
    let valid = 0;
    for (const g of fc.sample(raw, { numRuns: 300, seed: 3 })) {
      let ours: ReturnType<typeof compileGlob> | undefined;
      try {
        ours = compileGlob(processUnquoted(g));
      } catch (e) {
        if (!(e instanceof GlobError)) throw e;
      }
      const dfa = tryDumpDfa(g);
      expect(ours !== undefined, `${g} valid?`).toBe(dfa !== undefined);
      if (!ours || !dfa) continue;
      valid++;
      for (const p of [...paths, g]) expect(ours.test(p), `${g} vs ${p}`).toBe(walk(dfa, p));
    }
    expect(valid).toBeGreaterThan(50);
  });

  it('agrees on the quirky hand-written globs', () => {
    const globs = [
      '/k/[*]',
      '/[\\,]',
      '/[\\^k]',
      '/[][k]',
      '/[k/*/]',
      '/{k,/*}',
      '/k/*.so',
      '/[é]',
      '/[m-k]',
    ];
    const paths = ['/k/[/^]', '/\\', '/,', '/k', '/m', '/]', '/[', '/k/.so', '/é', '/k/', '/*', '//', '/k/m'];
    const dfas = dumpDfas(globs);
    globs.forEach((g, i) => {
      for (const p of paths) expect(compileGlob(g).test(p), `${g} vs ${p}`).toBe(walk(dfas[i] as Dfa, p));
    });
  });
});
