import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FileRule, PermCondRule, ProfileNode } from './ast.js';
import { processUnquoted } from './lexer.js';
import { parseFileMode, parseProfileText } from './parser.js';

const parse = (text: string) => parseProfileText(text, 't.sd');
const profileOf = (text: string): ProfileNode => {
  const r = parse(text);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const p = r.ast?.items.find((i) => i.kind === 'profile');
  if (p?.kind !== 'profile') throw new Error('no profile');
  return p;
};
const ruleOf = <T>(body: string): T => profileOf(`profile t {\n${body}\n}\n`).items[0] as T;
const firstError = (text: string) => parse(text).diagnostics.find((d) => d.severity === 'error');

describe('parseFileMode (parse_sub_mode)', () => {
  it.each([
    ['rw', 'rw', undefined],
    ['wr', 'rw', undefined],
    ['rrrw', 'rw', undefined],
    ['klmrwa'.replace('a', ''), 'mrwlk', undefined],
    ['Pix', '', 'Pix'],
    ['pUx', '', 'pux'],
    ['Pux', '', 'PUx'],
    ['Ix', '', 'ix'],
    ['RW', 'rw', undefined],
    ['xix', '', 'ix'],
    ['ixix', '', 'ix'],
    ['pxx', '', 'px'],
    ['mrix', 'mr', 'ix'],
  ])('%s -> access %s exec %s', (raw, access, exec) => {
    const m = parseFileMode(raw);
    expect(m.errors).toEqual([]);
    expect(m.access).toBe(access);
    expect(m.exec).toBe(exec);
  });
  it.each(['ixpx', 'pxix', 'xpx', 'aw', 'wa', 'pxux', 'Pxcx'])('%s is an error', (raw) => {
    expect(parseFileMode(raw).errors.length).toBeGreaterThan(0);
  });
});

describe('parser', () => {
  it('reads both file rule orders into the same node', () => {
    const a = ruleOf<FileRule>('  /etc/passwd rw,');
    const b = ruleOf<FileRule>('  wr /etc/passwd,');
    expect({ ...a, span: undefined }).toEqual({ ...b, span: undefined });
  });

  it('keeps positions on nodes', () => {
    const r = ruleOf<FileRule>('  owner /etc/passwd r,');
    expect(r.span).toMatchObject({ file: 't.sd', line: 2, column: 3, endLine: 2, endColumn: 23 });
  });

  it('reads profile headers', () => {
    const p = profileOf('profile foo /usr/bin/foo flags=(complain,attach_disconnected) {\n}\n');
    expect(p).toMatchObject({
      keyword: 'profile',
      name: 'foo',
      attachment: '/usr/bin/foo',
      flags: ['complain', 'attach_disconnected'],
      flagsKeyword: true,
    });
    expect(profileOf('/usr/bin/foo {\n}\n')).toMatchObject({ name: '/usr/bin/foo' });
    expect(profileOf('profile t {\n ^hat {\n }\n hat h2 {\n }\n}\n').items).toMatchObject([
      { kind: 'profile', keyword: '^', name: 'hat' },
      { kind: 'profile', keyword: 'hat', name: 'h2' },
    ]);
  });

  it('reads exec transitions, links and link pairs', () => {
    expect(ruleOf<FileRule>('  /usr/bin/x Cix -> child,')).toMatchObject({ exec: 'Cix', target: 'child' });
    expect(ruleOf<FileRule>('  l subset /a -> /b,')).toMatchObject({
      access: 'l',
      subset: true,
      linkTarget: '/b',
    });
    expect(ruleOf('  link /a -> /b,')).toMatchObject({
      kind: 'link',
      path: '/a',
      target: '/b',
      subset: false,
    });
  });

  it('reads rules with conditionals', () => {
    const r = ruleOf<PermCondRule>('  signal (send, receive) set=(kill, term) peer=foo,');
    expect(r).toMatchObject({
      kind: 'signal',
      perms: ['send', 'receive'],
      conds: [
        { name: 'set', values: ['kill', 'term'], paren: true },
        { name: 'peer', values: ['foo'], paren: false },
      ],
    });
    const d = ruleOf<PermCondRule>('  dbus send bus=session peer=(name=org.x label=unconfined),');
    expect(d.peer?.conds.map((c) => c.name)).toEqual(['name', 'label']);
    expect(ruleOf('  mount fstype in (ext4 xfs) /dev/sd* -> /mnt/,')).toMatchObject({
      kind: 'mount',
      conds: [{ name: 'fstype', op: 'in', values: ['ext4', 'xfs'] }],
      source: '/dev/sd*',
      target: '/mnt/',
    });
  });

  it('keeps variables, includes, abi and comments', () => {
    const r = parse(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${B} is AppArmor boolean syntax
      '# head\nabi <abi/3.0>,\n@{A} = /a "/b c"\n@{A} += /d\n${B} = true\n#include <x>\ninclude if exists "y"\n',
    );
    expect(r.ast?.items.map((i) => i.kind)).toEqual([
      'comment',
      'abi',
      'variable',
      'variable',
      'boolean',
      'include',
      'include',
    ]);
    expect(r.ast?.items[2]).toMatchObject({ name: 'A', op: '=', values: ['/a', '/b c'] });
    expect(r.ast?.items[6]).toMatchObject({ path: 'y', search: false, ifExists: true });
  });

  it('resolves escapes as processid() does', () => {
    expect(processUnquoted('a\\ b')).toBe('a\\ b');
    expect(processUnquoted('a\\"b\\x41\\101\\*')).toBe('a"bAA\\*');
    expect(ruleOf<FileRule>('  "/a b\\"c" r,').path).toBe('/a b"c');
  });

  it.each([
    ['profile t {\n  /a r\n  /b r,\n}\n', 'apparmor-missing-comma', 2, 7],
    ['profile t {\n  /a rwz,\n}\n', 'apparmor-unknown-permission', 2, 6],
    ['profile t {\n  "/a r,\n}\n', 'apparmor-unterminated-string', 2, 3],
    ['profile t {\n  /a r,\n', 'apparmor-unterminated-block', 3, 1],
    ['profile t {\n  /a ixpx,\n}\n', 'apparmor-bad-exec-mode', 2, 6],
    ['profile t {\n  capability foo,\n}\n', 'apparmor-unknown-capability', 2, 14],
    ['profile t flags=(nope) {\n}\n', 'apparmor-unknown-flag', 1, 18],
  ])('reports %j as %s at %i:%i', (text, code, line, column) => {
    expect(firstError(text)).toMatchObject({ code, line, column, file: 't.sd' });
  });

  it('never throws, whatever the input', () => {
    const alphabet = fc.constantFrom(
      ...'profile t{}/@$^,()=+-><"\\#\n \tabcrwxpiu:&'.split(''),
      'include ',
      'dbus ',
      'mount ',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (parts) => {
        const r = parse(parts.join(''));
        expect(Array.isArray(r.diagnostics)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
