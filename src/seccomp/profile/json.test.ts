import { describe, expect, it } from 'vitest';
import { classifyJsonNumber, LineIndex, type LNode, objectFields, parseJson, UINT64_MAX } from './json.js';

const codes = (text: string) =>
  parseJson(text, 'f.json').diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);

describe('classifyJsonNumber', () => {
  it('keeps 64-bit integers exact', () => {
    expect(classifyJsonNumber('18446744073709551615')).toEqual({ uint: UINT64_MAX });
    expect(classifyJsonNumber('9007199254740993').uint).toBe(9007199254740993n);
    expect(classifyJsonNumber('0')).toEqual({ uint: 0n });
  });
  it.each([
    ['-1', 'negative'],
    ['-0', 'negative'],
    ['1.0', 'integer literal'],
    ['1e3', 'integer literal'],
    ['18446744073709551616', '64 bits'],
    ['01', 'valid JSON number'],
  ])('rejects %s', (raw, why) => {
    const r = classifyJsonNumber(raw);
    expect(r.uint).toBeUndefined();
    expect(r.problem).toContain(why);
  });
});

describe('LineIndex', () => {
  it('maps offsets to 1-based line/column for \\n, \\r\\n and \\r', () => {
    const li = new LineIndex('ab\ncd\r\nef\rg', 'x');
    expect(li.pos(0)).toEqual({ file: 'x', line: 1, column: 1 });
    expect(li.pos(4)).toEqual({ file: 'x', line: 2, column: 2 });
    expect(li.pos(7)).toEqual({ file: 'x', line: 3, column: 1 });
    expect(li.pos(10)).toEqual({ file: 'x', line: 4, column: 1 });
  });
});

describe('parseJson', () => {
  it('builds a located tree with exact numbers', () => {
    const { root, diagnostics } = parseJson('{\n  "a": [1, 18446744073709551615],\n  "b": "x"\n}', 'f.json');
    expect(diagnostics).toEqual([]);
    const obj = root as Extract<LNode, { kind: 'object' }>;
    expect(obj.entries.map((e) => e.key)).toEqual(['a', 'b']);
    expect(obj.entries[0]?.keyPos).toMatchObject({ line: 2, column: 3 });
    const arr = obj.entries[0]?.value as Extract<LNode, { kind: 'array' }>;
    expect(arr.items[1]).toMatchObject({ kind: 'number', raw: '18446744073709551615', uint: UINT64_MAX });
    expect(arr.items[1]?.pos).toMatchObject({ line: 2, column: 12 });
  });
  it('reports comments and trailing commas at the offending character, as recoverable', () => {
    expect(codes('{\n  /* c */ "a": 1\n}')).toEqual(['json-comment@2:3']);
    expect(codes('{"a": [1, 2 , ]}')).toEqual(['json-trailing-comma@1:13']);
    expect(codes('{"a": 1,\n}')).toEqual(['json-trailing-comma@1:8']);
    expect(parseJson('{"a": 1,}', 'f').recoverable).toBe(true);
  });
  it('reports other syntax errors as unrecoverable, with positions', () => {
    const r = parseJson('{"a" 1}', 'f.json');
    expect(r.recoverable).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'json-syntax', line: 1, column: 6, severity: 'error' });
    expect(codes('')).toEqual(['json-syntax@1:1']);
  });
  it('rejects a byte order mark but keeps columns', () => {
    const r = parseJson('\ufeff{"a": 1}', 'f.json');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['json-syntax']);
    const obj = r.root as Extract<LNode, { kind: 'object' }>;
    expect(obj.entries[0]?.keyPos.column).toBe(3);
  });
});

describe('objectFields', () => {
  it('matches keys case-insensitively like Go, last duplicate wins, unknown keys warned', () => {
    const { root } = parseJson('{"A": 1, "a": 2, "zz": 3}', 'f.json');
    const diags: Parameters<typeof objectFields>[3] = [];
    const f = objectFields(
      root as Extract<LNode, { kind: 'object' }>,
      ['a'],
      { where: 'x', caseInsensitive: true, unknownNote: 'ignored' },
      diags,
    );
    expect(f.get('a')?.value).toMatchObject({ raw: '2' });
    expect(diags.map((d) => d.code)).toEqual([
      'seccomp-key-case',
      'json-duplicate-key',
      'seccomp-unknown-key',
    ]);
  });
});
