import { describe, expect, it } from 'vitest';
import { Parser } from 'yaml';
import { cstDepth, guarded, sortDiagnostics, YAML_LIMITS, type YamlDocument, YamlFile } from './yaml.js';

const k8s = (text: string) => new YamlFile(text, 'f.yaml', { version: '1.1', codePrefix: 'k8s' });
const compose = (text: string) =>
  new YamlFile(text, 'f.yaml', { version: '1.2', codePrefix: 'compose', interpolation: true });
const root = (y: YamlFile, i = 0) => (y.docs[i] as YamlDocument).contents;
const codes = (y: YamlFile) => y.diagnostics.map((d) => d.code);

describe('YamlFile', () => {
  it('splits a stream into documents, skipping empty ones, with 1-based positions', () => {
    const y = k8s('# c\n---\na: 1\n---\n---\n# only a comment\n---\n  b: 2\n');
    expect(y.docs.map((d) => [d.index, d.pos.line, d.pos.column])).toEqual([
      [0, 3, 1],
      [3, 8, 3],
    ]);
  });

  it('reads typed values at the value node', () => {
    const y = k8s('a: "x"\nb: true\nc: 42\nd: ~\ne:\n');
    const m = root(y);
    expect(y.str(y.get(m, 'a'), 'a')).toEqual({ value: 'x', pos: { file: 'f.yaml', line: 1, column: 4 } });
    expect(y.bool(y.get(m, 'b'), 'b')?.value).toBe(true);
    expect(y.int(y.get(m, 'c'), 'c')?.value).toBe(42);
    expect([y.str(y.get(m, 'd'), 'd'), y.bool(y.get(m, 'e'), 'e'), y.get(m, 'missing')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(y.diagnostics).toEqual([]);
  });

  it('reports a wrong type with the field, the expectation and what was found', () => {
    const y = k8s('privileged: "yes"\nrunAsUser: "0"\nname: [a]\nport: 1.5\n');
    const m = root(y);
    expect(y.bool(y.get(m, 'privileged'), 'privileged')).toBeUndefined();
    expect(y.int(y.get(m, 'runAsUser'), 'runAsUser')).toBeUndefined();
    expect(y.str(y.get(m, 'name'), 'name')).toBeUndefined();
    expect(y.int(y.get(m, 'port'), 'port')).toBeUndefined();
    expect(y.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([
      '1:13 k8s-type privileged: expected a boolean, got string "yes"',
      '2:12 k8s-type runAsUser: expected an integer, got string "0"',
      '3:7 k8s-type name: expected a string, got a list',
      '4:7 k8s-type port: expected an integer, got number 1.5',
    ]);
  });

  it('reads YAML 1.1 for Kubernetes and 1.2 for compose', () => {
    const text = 'a: yes\nb: 0755\nc: off\nd: 2001-12-14\n';
    const y11 = k8s(text);
    expect(y11.bool(y11.get(root(y11), 'a'), 'a')?.value).toBe(true);
    expect(y11.int(y11.get(root(y11), 'b'), 'b')?.value).toBe(0o755);
    expect(y11.bool(y11.get(root(y11), 'c'), 'c')?.value).toBe(false);
    expect(y11.str(y11.get(root(y11), 'd'), 'd')?.value).toBe('2001-12-14');
    const y12 = new YamlFile(text, 'f', { version: '1.2', codePrefix: 'x' });
    expect(y12.str(y12.get(root(y12), 'a'), 'a')?.value).toBe('yes');
    expect(y12.int(y12.get(root(y12), 'b'), 'b')?.value).toBe(755);
  });

  it('casts compose string booleans and integers, and reports variables', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a compose variable, literally
    const y = compose('a: "Yes"\nb: "n"\nc: "8080"\nd: ${X:-1}\ne: maybe\n');
    const m = root(y);
    expect(y.bool(y.get(m, 'a'), 'a')?.value).toBe(true);
    expect(y.bool(y.get(m, 'b'), 'b')?.value).toBe(false);
    expect(y.int(y.get(m, 'c'), 'c')?.value).toBe(8080);
    expect(y.int(y.get(m, 'd'), 'd')).toBeUndefined();
    expect(y.bool(y.get(m, 'e'), 'e')).toBeUndefined();
    expect(codes(y)).toEqual(['compose-variable', 'compose-type']);
  });

  it('refuses integers beyond 2^53 instead of rounding them', () => {
    const y = k8s('a: 9007199254740992\nb: -9007199254740991\nc: 0x7fffffffffffffff\n');
    const m = root(y);
    expect(y.int(y.get(m, 'a'), 'a')).toBeUndefined();
    expect(y.int(y.get(m, 'b'), 'b')?.value).toBe(-9007199254740991);
    expect(y.int(y.get(m, 'c'), 'c')).toBeUndefined();
    expect(y.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['k8s-range', 1],
      ['k8s-range', 3],
    ]);
  });

  it('coerces scalars to strings only when asked, keeping their spelling', () => {
    const y = compose('user: 1000\nv: 1.50\n');
    expect(y.str(y.get(root(y), 'user'), 'user', { coerce: true })?.value).toBe('1000');
    expect(y.str(y.get(root(y), 'v'), 'v', { coerce: true })?.value).toBe('1.50');
    expect(y.str(y.get(root(y), 'user'), 'user')).toBeUndefined();
  });

  it('follows merge keys: explicit keys win, the first merge source wins', () => {
    const y = k8s(
      'a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n  y: 3\n---\nloop: &l\n  <<: *l\n',
    );
    const c = y.get(root(y), 'c');
    expect(['x', 'y', 'z'].map((k) => y.int(y.get(c, k), k)?.value)).toEqual([1, 3, 2]);
    expect(y.entries(c).map((e) => e.key)).toEqual(['y', 'x', 'z']);
    // A map merging itself is refused by the alias accounting before any lookup could loop.
    expect(y.docs).toHaveLength(1);
    expect(codes(y)).toEqual(['yaml-alias-limit']);
  });

  it('keeps __proto__ a plain key in lookups and entries', () => {
    const y = k8s('__proto__: {polluted: true}\nconstructor: 1\ntoString: 2\n');
    const m = root(y);
    expect(y.entries(m).map((e) => e.key)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(y.int(y.get(m, 'constructor'), 'c')?.value).toBe(1);
    expect(y.get(m, 'hasOwnProperty')).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports duplicate keys where the duplicate is, and the last one wins', () => {
    const y = k8s('a: 1\nb: 2\n"a": 3\n');
    expect(y.int(y.get(root(y), 'a'), 'a')?.value).toBe(3);
    expect(y.diagnostics).toMatchObject([
      {
        code: 'yaml-duplicate-key',
        severity: 'warning',
        line: 3,
        column: 1,
        message: expect.stringContaining('line 1'),
      },
    ]);
  });

  it('resolves an alias to the last anchor of that name before it', () => {
    const y = k8s('a: &x 1\nb: *x\nc: &x 2\nd: *x\n');
    expect(['b', 'd'].map((k) => y.int(y.get(root(y), k), k)?.value)).toEqual([1, 2]);
    expect(y.posOf(y.get(root(y), 'd'))).toMatchObject({ line: 3, column: 7 });
  });

  it('drops a document with an unknown alias or an alias bomb, keeps the others', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 6; i++)
      bomb.push(
        `${'b'.repeat(i)}: &${'a'.repeat(i + 1)} [${Array(10)
          .fill(`*${'a'.repeat(i)}`)
          .join(', ')}]`,
      );
    const y = k8s(`x: *nope\n---\n${bomb.join('\n')}\n---\nok: 1\n`);
    expect(codes(y)).toEqual(['yaml-alias', 'yaml-alias-limit']);
    expect(y.docs.map((d) => d.index)).toEqual([2]);
  });

  it('reports syntax errors and skips that document', () => {
    const y = k8s('a: [1\n---\nb: 1\n');
    expect(codes(y)).toContain('yaml-syntax');
    expect(y.docs.map((d) => d.index)).toEqual([1]);
  });

  it('drops a document nested past the limit without recursing into it', () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const ok = k8s(`a: ${deep(YAML_LIMITS.maxDepth - 2)}\n`);
    expect(ok.diagnostics).toEqual([]);
    const y = k8s(
      `a: 1\n---\nb: ${deep(500_000)}\n---\nc: 1\n...\nd:\n${'- '.repeat(200_000)}x\n...\ne: 1\n`,
    );
    expect(y.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['yaml-too-deep', 3],
      ['yaml-too-deep', 7],
    ]);
    expect(
      y.docs.map((d) => y.keyText((d.contents as { items: Array<{ key: unknown }> }).items[0]?.key)),
    ).toEqual(['a', 'c', 'e']);
    expect(y.docs.at(-1)?.pos.line).toBe(10);
  });

  it('replaces lexer control characters, keeping positions', () => {
    const y = k8s('a: x\u001fy\nb: 1\n');
    expect(codes(y)).toEqual(['yaml-control-char']);
    expect(y.int(y.get(root(y), 'b'), 'b')?.pos).toMatchObject({ line: 2, column: 4 });
  });

  it('reports U+FFFD once per line', () => {
    const y = k8s('a: \uFFFD\uFFFD\nb: ok\nc: x\uFFFD\n');
    expect(y.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['invalid-utf8', 1, 4],
      ['invalid-utf8', 3, 5],
    ]);
  });

  it('locates a character inside a literal one-line scalar', () => {
    const y = compose('a: /x:/y\nb: "/x:/y"\nc: "\\/x:/y"\n');
    const at = (k: string) => {
      const n = y.get(root(y), k);
      return n ? y.posIn(n, 3).column : 0;
    };
    expect([at('a'), at('b'), at('c')]).toEqual([7, 8, 4]);
  });
});

describe('cstDepth', () => {
  it('counts collection nesting without recursion', () => {
    const depth = (text: string) => {
      const doc = [...new Parser().parse(text)].find((t) => t.type === 'document');
      return doc ? cstDepth(doc, 1000) : -1;
    };
    expect(depth('a: 1\n')).toBe(1);
    expect(depth('a: [b, {c: [d]}]\n')).toBe(4);
    expect(depth('- - - x\n')).toBe(3);
    expect(depth('x\n')).toBe(0);
  });
});

describe('sortDiagnostics and guarded', () => {
  it('sorts by position, stably', () => {
    const d = (line: number, column: number, code: string) => ({
      file: 'f',
      line,
      column,
      code,
      severity: 'info' as const,
      message: '',
    });
    expect(
      sortDiagnostics([d(2, 1, 'a'), d(1, 5, 'b'), d(1, 5, 'c'), d(1, 1, 'd')]).map((x) => x.code),
    ).toEqual(['d', 'b', 'c', 'a']);
  });

  it('turns a reader bug into one diagnostic', () => {
    const r = guarded(
      'f',
      () => ({ workloads: [] as unknown[], diagnostics: [] as never[] }),
      () => {
        throw new Error('boom');
      },
    );
    expect(r.workloads).toEqual([]);
    expect(r.diagnostics).toMatchObject([{ code: 'reader-internal', severity: 'error', line: 1 }]);
  });
});
