/**
 * Lexer for the AppArmor profile language, modelled on AppArmor 3.0.8 `parser/parser_lex.l`.
 *
 * The real lexer is a flex scanner with ~20 start conditions: what a character sequence means
 * depends on the rule being parsed (`rw` is a permission after a path but a plain value inside a
 * dbus list; `#` starts a comment only between rules). Instead of a token stream, this lexer
 * exposes one scanning method per flex start condition and the recursive-descent parser calls
 * the one that applies at each grammar position. Character classes (ID, INC_ID, LIST_VALUE_ID,
 * ID_NOEQ, POST_VAR_ID, QUOTED_ID, QUOTED_LABEL, MODES) follow the flex definitions; where flex
 * picks the longest match (trailing context included) the methods test the longer forms first.
 *
 * Errors throw `LexError` (caught by the parser, which turns it into a diagnostic): like the
 * real scanner, an unexpected character ends the parse.
 */

export type TokenKind =
  | 'open' // {
  | 'close' // }
  | 'comma' // ,  (TOK_END_OF_RULE)
  | 'lparen'
  | 'rparen'
  | 'caret' // ^
  | 'arrow' // ->
  | 'eq' // =
  | 'addeq' // +=
  | 'le' // <=
  | 'setvar' // @{NAME} or @NAME
  | 'boolvar' // ${NAME} or $NAME
  | 'id' // TOK_ID: a label, a quoted label, a sub-id, a non-keyword word
  | 'value' // TOK_VALUE
  | 'mode' // TOK_MODE: file permission letters, followed by space or ','
  | 'word' // [A-Za-z][A-Za-z0-9_]* in the main state: a keyword or (if not one) an id
  | 'condid' // NAME followed by '=' or 'in ('
  | 'condlistid' // peer or xattrs followed by '=('
  | 'include' // include / #include / include if exists
  | 'in'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  raw: string;
  /** Processed value: quotes removed, escapes resolved as AppArmor's processid() does. */
  value: string;
  start: number;
  end: number;
  /** include tokens: `include if exists`. */
  ifExists?: boolean;
}

export class LexError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export interface Comment {
  text: string;
  start: number;
  end: number;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
const isAlpha = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z]$/.test(c);
const isAlnumUnderscore = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9_]$/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** ID_CHARS: [^ \t\r\n"!,] */
const isIdChar = (c: string | undefined): boolean =>
  c !== undefined &&
  c !== ' ' &&
  c !== '\t' &&
  c !== '\r' &&
  c !== '\n' &&
  c !== '"' &&
  c !== '!' &&
  c !== ',';
/** The base of LIST_VALUE_ID_CHARS, ID_CHARS_NOEQ, POST_VAR_ID_CHARS: [^ \t\n"!,] (note: \r allowed). */
const isBaseChar = (c: string | undefined): boolean =>
  c !== undefined && c !== ' ' && c !== '\t' && c !== '\n' && c !== '"' && c !== '!' && c !== ',';

/** The permission-letter alphabet of the MODES rule. */
const SINGLE_MODE = new Set(['R', 'r', 'W', 'w', 'a', 'L', 'l', 'M', 'm', 'k', 'X', 'x']);

/** Words the main state turns into keyword tokens (parser_misc.c keyword_table, 3.0.8). */
export const KEYWORDS = new Set([
  'network',
  'unix',
  'capability',
  'if',
  'else',
  'not',
  'defined',
  'change_profile',
  'unsafe',
  'safe',
  'link',
  'owner',
  'user',
  'other',
  'subset',
  'audit',
  'deny',
  'allow',
  'set',
  'rlimit',
  'alias',
  'rewrite',
  'ptrace',
  'file',
  'mount',
  'remount',
  'umount',
  'unmount',
  'pivot_root',
  'in',
  'dbus',
  'signal',
  'send',
  'receive',
  'bind',
  'read',
  'write',
  'eavesdrop',
  'peer',
  'trace',
  'tracedby',
  'readby',
  'abi',
]);

/** Escapes as in parser_misc.c processunquoted() + lib.c strn_escseq(). */
export function processUnquoted(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (c === '\\' && i + 1 < s.length) {
      const r = escSeq(s, i + 1);
      if (r) {
        if (r.code === 0) {
          out += s.slice(i, r.next); // \0 would end a C string: kept verbatim, as the real parser does
        } else {
          const ch = String.fromCharCode(r.code);
          // characters special to AppArmor globs stay escaped for the regex backend
          out += '*?[]{}^,\\'.includes(ch) ? `\\${ch}` : ch;
        }
        i = r.next;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

function escSeq(s: string, p: number): { code: number; next: number } | undefined {
  const c = s[p];
  if (c !== undefined && c >= '0' && c <= '7') {
    let j = p;
    let v = 0;
    while (j < s.length && j < p + 3 && (s[j] as string) >= '0' && (s[j] as string) <= '7') {
      const nv = v * 8 + Number(s[j]);
      if (nv > 255) break;
      v = nv;
      j++;
    }
    return { code: v, next: j };
  }
  const num = (base: number, max: number, re: RegExp) => {
    let j = p + 1;
    let v = 0;
    while (j < s.length && j < p + 1 + max && re.test(s[j] as string)) {
      const nv = v * base + Number.parseInt(s[j] as string, base);
      if (nv > 255) break;
      v = nv;
      j++;
    }
    return j === p + 1 ? undefined : { code: v, next: j };
  };
  switch (c) {
    case '\\':
      return { code: 92, next: p + 1 };
    case '"':
      return { code: 34, next: p + 1 };
    case 'd':
      return num(10, 3, /[0-9]/);
    case 'x':
      return num(16, 2, /[0-9a-fA-F]/);
    case 'a':
      return { code: 7, next: p + 1 };
    case 'e':
      return { code: 27, next: p + 1 };
    case 'f':
      return { code: 12, next: p + 1 };
    case 'n':
      return { code: 10, next: p + 1 };
    case 'r':
      return { code: 13, next: p + 1 };
    case 't':
      return { code: 9, next: p + 1 };
    default:
      return undefined;
  }
}

export function processId(raw: string): string {
  if (raw.startsWith('"') && raw.length >= 2 && raw.endsWith('"')) return processUnquoted(raw.slice(1, -1));
  return processUnquoted(raw);
}

export class Lexer {
  pos = 0;
  readonly comments: Comment[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(readonly src: string) {
    for (let i = 0; i < src.length; i++) if (src[i] === '\n') this.lineStarts.push(i + 1);
  }

  /** 1-based line and column of an offset. */
  lineCol(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.lineStarts[lo] as number) + 1 };
  }

  private ch(o = 0): string | undefined {
    return this.src[this.pos + o];
  }

  private tok(kind: TokenKind, start: number, value?: string): Token {
    const raw = this.src.slice(start, this.pos);
    return { kind, raw, value: value ?? raw, start, end: this.pos };
  }

  private unexpected(state: string): never {
    const c = this.ch();
    if (c === '"') {
      // A quote that no rule of this state accepts: almost always a string that never ends.
      const close = this.src.indexOf('"', this.pos + 1);
      if (close < 0)
        throw new LexError('unterminated quoted string', 'apparmor-unterminated-string', this.pos);
    }
    throw new LexError(
      `unexpected character ${JSON.stringify(c)} (while scanning ${state})`,
      'apparmor-unexpected-character',
      this.pos,
    );
  }

  /** WS+ and newlines (most states); the main state also drops comments. */
  private skip(opts: { newlines: boolean; comments: boolean }): void {
    for (;;) {
      const c = this.ch();
      if (isBlank(c)) this.pos++;
      else if (opts.newlines && c === '\n') this.pos++;
      else if (opts.newlines && c === '\r' && this.ch(1) === '\n') this.pos += 2;
      else if (opts.comments && c === '#' && !this.src.startsWith('#include', this.pos)) {
        // flex: `#.*\r?\n` — a comment needs its newline; at end of file without one the real
        // lexer reports '#' as unexpected, and so do we (by not consuming it).
        const nl = this.src.indexOf('\n', this.pos);
        if (nl < 0) return;
        let end = nl;
        if (this.src[end - 1] === '\r') end--;
        this.comments.push({ text: this.src.slice(this.pos, end), start: this.pos, end });
        this.pos = nl + 1;
      } else return;
    }
  }

  atEof(): boolean {
    return this.pos >= this.src.length;
  }

  /** Scan {IDS}: ID chars, `,x` pairs and the escapes `\ `, `\t`, `\"`, `\!`, `\,`. Returns end. */
  private scanIds(from: number, charOk: (c: string | undefined) => boolean, parenEsc = false): number {
    let p = from;
    for (;;) {
      const c = this.src[p];
      const n = this.src[p + 1];
      if (c === '\\' && n !== undefined && (' \t"!,'.includes(n) || (parenEsc && '()'.includes(n)))) p += 2;
      else if (c === ',' && charOk(n)) p += 2;
      else if (charOk(c)) p++;
      else return p;
    }
  }

  /** QUOTED_ID: "([^\0"]|\\")*" — may span lines. Returns end or throws when unterminated. */
  private scanQuoted(from: number): number {
    let p = from + 1;
    while (p < this.src.length) {
      const c = this.src[p];
      if (c === '\\' && this.src[p + 1] === '"') p += 2;
      else if (c === '"') return p + 1;
      else p++;
    }
    throw new LexError('unterminated quoted string', 'apparmor-unterminated-string', from);
  }

  private scanVarName(from: number): number {
    if (!isAlpha(this.src[from])) return from;
    let p = from + 1;
    while (isAlnumUnderscore(this.src[p])) p++;
    return p;
  }

  /** SET_VARIABLE / BOOL_VARIABLE after the sigil: {NAME} or NAME. Returns end or -1. */
  private scanVarRef(from: number): number {
    if (this.src[from] === '{') {
      const e = this.scanVarName(from + 1);
      if (e === from + 1 || this.src[e] !== '}') return -1;
      return e + 1;
    }
    const e = this.scanVarName(from);
    return e === from ? -1 : e;
  }

  /** MODES followed by [[:space:],]; returns end or -1. */
  private scanModes(from: number, allowed: (s: string) => boolean = () => true): number {
    let p = from;
    for (;;) {
      const c = this.src[p];
      const n = this.src[p + 1];
      const n2 = this.src[p + 2];
      if (c === undefined) break;
      if ((c === 'P' || c === 'p' || c === 'C' || c === 'c') && (n === 'X' || n === 'x')) p += 2;
      else if (
        (c === 'P' || c === 'p' || c === 'C' || c === 'c') &&
        n !== undefined &&
        'IiUu'.includes(n) &&
        (n2 === 'X' || n2 === 'x')
      )
        p += 3;
      else if ('IiUu'.includes(c) && (n === 'X' || n === 'x')) p += 2;
      else if (SINGLE_MODE.has(c)) p++;
      else break;
    }
    if (p === from) return -1;
    const next = this.src[p];
    if (!(isSpace(next) || next === ',')) return -1;
    return allowed(this.src.slice(from, p)) ? p : -1;
  }

  /** LABEL: (/|SET_VARIABLE POST_VAR_ID|:|&) ID*; returns end or -1. */
  private scanLabel(from: number): number {
    const c = this.src[from];
    let p: number;
    if (c === '/' || c === ':' || c === '&') p = from + 1;
    else if (c === '@') {
      const e = this.scanVarRef(from + 1);
      if (e < 0) return -1;
      // POST_VAR_ID: [^ \t\n"!,]{-}[=+] | ,that | \\[ \t"!,()]
      const a = this.src[e];
      const b = this.src[e + 1];
      const postOk = (x: string | undefined) => isBaseChar(x) && x !== '=' && x !== '+';
      if (a === '\\' && b !== undefined && ' \t"!,()'.includes(b)) p = e + 2;
      else if (a === ',' && postOk(b)) p = e + 2;
      else if (postOk(a)) p = e + 1;
      else return -1;
    } else return -1;
    return this.scanIds(p, isIdChar);
  }

  /** Lookahead for `{VARIABLE_NAME}/{WS}*=` and `/{WS}+in{WS}*\(` and `(peer|xattrs)/{WS}*={WS}*\(`. */
  private condLookahead(): 'condid' | 'condlistid' | undefined {
    const s = this.pos;
    const e = this.scanVarName(s);
    if (e === s) return undefined;
    let p = e;
    while (isBlank(this.src[p])) p++;
    if (this.src[p] === '=') {
      const name = this.src.slice(s, e);
      if (name === 'peer' || name === 'xattrs') {
        let q = p + 1;
        while (isBlank(this.src[q])) q++;
        if (this.src[q] === '(') return 'condlistid';
      }
      return 'condid';
    }
    if (p > e && this.src.startsWith('in', p)) {
      let q = p + 2;
      while (isBlank(this.src[q])) q++;
      if (this.src[q] === '(') return 'condid';
    }
    return undefined;
  }

  private condToken(kind: 'condid' | 'condlistid'): Token {
    const s = this.pos;
    this.pos = this.scanVarName(s);
    return this.tok(kind, s);
  }

  /** The INITIAL state: between and inside ordinary rules. */
  main(): Token {
    this.skip({ newlines: true, comments: true });
    const s = this.pos;
    const c = this.ch();
    if (c === undefined) return this.tok('eof', s);
    // include forms (flex lists them before the comment rule, so `#include...` is never a comment)
    const inc = /^(#include|include)([ \t]+if[ \t]+exists)?(?=[ \t])/.exec(this.src.slice(s, s + 40));
    if (inc || this.src.startsWith('#include', s)) {
      const text = inc ? inc[0] : '#include';
      this.pos = s + text.length;
      const t = this.tok('include', s);
      t.ifExists = !!inc?.[2];
      return t;
    }
    if (isAlpha(c)) {
      const cond = this.condLookahead();
      if (cond) return this.condToken(cond);
    }
    if (c === '^') return this.single('caret');
    if (c === '-' && this.ch(1) === '>') return this.double('arrow');
    if (c === '=') return this.single('eq');
    if (c === '+' && this.ch(1) === '=') return this.double('addeq');
    if (c === '{') return this.single('open');
    if (c === '}') return this.single('close');
    if (c === '(') return this.single('lparen');
    if (c === ',') return this.single('comma');
    if (c === '@' || c === '/' || c === ':' || c === '&') {
      const le = this.scanLabel(s);
      if (c === '@') {
        const ve = this.scanVarRef(s + 1);
        if (le < 0 && ve > 0) {
          this.pos = ve;
          return this.tok('setvar', s);
        }
      }
      if (le > 0) {
        this.pos = le;
        return this.tok('id', s, processId(this.src.slice(s, le)));
      }
      this.unexpected('rules');
    }
    if (c === '$') {
      const ve = this.scanVarRef(s + 1);
      if (ve > 0) {
        this.pos = ve;
        return this.tok('boolvar', s);
      }
      this.unexpected('rules');
    }
    if (c === '"') {
      const n = this.ch(1);
      if (n !== undefined && '/@:&'.includes(n)) {
        this.pos = this.scanQuoted(s);
        return this.tok('id', s, processId(this.src.slice(s, this.pos)));
      }
      this.unexpected('rules');
    }
    const me = this.scanModes(s);
    if (me > 0) {
      this.pos = me;
      return this.tok('mode', s);
    }
    if (isAlpha(c)) {
      const e = this.scanVarName(s);
      const word = this.src.slice(s, e);
      this.pos = e;
      if (word === 'hat' || word === 'profile') {
        while (isBlank(this.ch())) this.pos++; // hat{WS}* / profile{WS}*
        return { kind: 'word', raw: word, value: word, start: s, end: e };
      }
      return this.tok('word', s);
    }
    this.unexpected('rules');
  }

  private single(kind: TokenKind): Token {
    const s = this.pos;
    this.pos++;
    return this.tok(kind, s);
  }
  private double(kind: TokenKind): Token {
    const s = this.pos;
    this.pos += 2;
    return this.tok(kind, s);
  }

  /** SUB_ID (after `profile`, `hat`, `^`: no leading whitespace) / SUB_ID_WS (after `->`). */
  subId(skipWs: boolean): Token {
    if (skipWs) this.skip({ newlines: true, comments: false });
    const s = this.pos;
    if (this.ch() === '"') this.pos = this.scanQuoted(s);
    else {
      this.pos = this.scanIds(s, isIdChar);
      if (this.pos === s) this.unexpected('a name');
    }
    return this.tok('id', s, processId(this.src.slice(s, this.pos)));
  }

  /** SUB_VALUE: after `name=` in a conditional. */
  subValue(): Token {
    const t = this.subId(false);
    t.kind = 'value';
    return t;
  }

  /** INCLUDE / INCLUDE_EXISTS / ABI_MODE argument: <path>, <"path">, "path" or a bare path. */
  includeTarget(): { search: boolean; path: string; start: number; end: number } {
    while (isBlank(this.ch())) this.pos++;
    const s = this.pos;
    const c = this.ch();
    if (c === '<') {
      let p = s + 1;
      if (this.src[p] === '"') {
        p = this.scanQuoted(p);
      } else {
        while (p < this.src.length && !'">\t\r\n'.includes(this.src[p] as string)) p++;
        if (p === s + 1) this.unexpected('an include path');
      }
      if (this.src[p] !== '>') this.unexpected('an include path');
      this.pos = p + 1;
      return { search: true, path: processId(this.src.slice(s + 1, p).trim()), start: s, end: this.pos };
    }
    if (c === '"') {
      this.pos = this.scanQuoted(s);
      return { search: false, path: processId(this.src.slice(s, this.pos)), start: s, end: this.pos };
    }
    const incOk = (x: string | undefined) => isIdChar(x) && x !== '<' && x !== '>';
    this.pos = this.scanIds(s, incOk);
    if (this.pos === s) this.unexpected('an include path');
    return { search: false, path: processId(this.src.slice(s, this.pos)), start: s, end: this.pos };
  }

  /** After `abi` (ABI_MODE): the path, then the comma. */
  abiComma(): Token {
    this.skip({ newlines: true, comments: false });
    if (this.ch() === ',') return this.single('comma');
    return this.unexpectedToken();
  }

  private unexpectedToken(): Token {
    if (this.atEof()) return this.tok('eof', this.pos);
    // Report the offending run of characters as one token so the parser can name it.
    const s = this.pos;
    let p = s;
    while (p < this.src.length && !isSpace(this.src[p]) && this.src[p] !== ',') p++;
    if (p === s) p++;
    this.pos = p;
    return this.tok('id', s);
  }

  /** ASSIGN_MODE: one value of `@{V} = a b "c d"`; kind 'eol' at the end of the line. */
  assignValue(): Token | { kind: 'eol'; start: number } | { kind: 'comma'; start: number } {
    for (;;) {
      while (isBlank(this.ch())) this.pos++;
      if (this.ch() === '\\' && this.ch(1) === '\n') {
        this.pos += 2; // line continuation
        continue;
      }
      break;
    }
    const s = this.pos;
    const c = this.ch();
    if (c === undefined) return { kind: 'eol', start: s };
    if (c === '\n' || (c === '\r' && this.ch(1) === '\n')) {
      this.pos += c === '\n' ? 1 : 2;
      return { kind: 'eol', start: s };
    }
    if (c === '"') {
      this.pos = this.scanQuoted(s);
      return this.tok('value', s, processId(this.src.slice(s, this.pos)));
    }
    if (c === ',' && !isIdChar(this.ch(1))) {
      this.pos++;
      return { kind: 'comma', start: s };
    }
    this.pos = this.scanIds(s, isIdChar);
    if (this.pos === s) this.unexpected('a variable value');
    return this.tok('value', s, processId(this.src.slice(s, this.pos)));
  }

  /** LIST_VAL_MODE: values separated by blanks, newlines or commas, up to `)`. */
  listValue(): Token {
    for (;;) {
      this.skip({ newlines: true, comments: false });
      if (this.ch() === ',') this.pos++;
      else break;
    }
    const s = this.pos;
    const c = this.ch();
    if (c === undefined) return this.tok('eof', s);
    if (c === ')') return this.single('rparen');
    return this.listValueAt(s, 'a list');
  }

  /** NETWORK_MODE: ids up to the comma. */
  network(): Token {
    this.skip({ newlines: true, comments: false });
    const s = this.pos;
    const c = this.ch();
    if (c === undefined) return this.tok('eof', s);
    if (c === ',') return this.single('comma');
    this.pos = this.scanIds(s, isIdChar);
    if (this.pos === s) this.unexpected('a network rule');
    return this.tok('id', s);
  }

  /** CHANGE_PROFILE_MODE. */
  changeProfile(): Token {
    this.skip({ newlines: true, comments: false });
    const s = this.pos;
    const c = this.ch();
    if (c === undefined) return this.tok('eof', s);
    if (c === ',') return this.single('comma');
    if (c === '-' && this.ch(1) === '>') return this.double('arrow');
    if (c === '"') {
      this.pos = this.scanQuoted(s);
      return this.tok('id', s, processId(this.src.slice(s, this.pos)));
    }
    this.pos = this.scanIds(s, isIdChar);
    if (this.pos === s) this.unexpected('a change_profile rule');
    const raw = this.src.slice(s, this.pos);
    if (raw === 'safe' || raw === 'unsafe') return this.tok('word', s);
    return this.tok('id', s, processId(raw));
  }

  /** RLIMIT_MODE. */
  rlimit(): Token {
    this.skip({ newlines: true, comments: false });
    const s = this.pos;
    const c = this.ch();
    if (c === undefined) return this.tok('eof', s);
    if (c === ',') return this.single('comma');
    if (c === '<' && this.ch(1) === '=') return this.double('le');
    if (isDigit(c) || (c === '-' && isDigit(this.ch(1)))) {
      this.pos++;
      while (isDigit(this.ch())) this.pos++;
      return this.tok('value', s);
    }
    if (c !== undefined && /[A-Za-z_]/.test(c)) {
      while (/[A-Za-z_]/.test(this.ch() ?? '')) this.pos++;
      return this.tok(this.src.slice(s, this.pos) === 'infinity' ? 'value' : 'id', s);
    }
    this.unexpected('an rlimit rule');
  }

  /**
   * MOUNT_MODE, DBUS_MODE, SIGNAL_MODE, PTRACE_MODE, UNIX_MODE. The rule-class states return their
   * perm words (send, receive, ...) as 'word' tokens and bare `r|w|rw|wr` as 'mode'; mount does not.
   */
  ext(state: 'mount' | 'dbus' | 'signal' | 'ptrace' | 'unix'): Token {
    this.skip({ newlines: true, comments: false });
    const s = this.pos;
    const c = this.ch();
    if (c === undefined) return this.tok('eof', s);
    if (isAlpha(c)) {
      const cond = this.condLookahead();
      if (cond) return this.condToken(cond);
    }
    if (c === ',') return this.single('comma');
    if (state === 'mount' && c === '-' && this.ch(1) === '>') return this.double('arrow');
    if (state !== 'mount') {
      if (c === '(') return this.single('lparen');
      const kw = EXT_KEYWORDS[state];
      const e = this.scanVarName(s);
      const word = this.src.slice(s, e);
      // flex: a keyword rule wins a tie with IDS_NOEQ, but a longer id (`sender`) wins over it
      const idEnd = this.scanNoEq(s);
      if (kw.has(word) && idEnd === e) {
        this.pos = e;
        return this.tok('word', s);
      }
      // (r|w|rw|wr)/([[:space:],]): the trailing context makes it longer than the same id
      const m = /^(rw|wr|r|w)/.exec(this.src.slice(s, s + 2));
      if (m) {
        const me = s + m[0].length;
        const n = this.src[me];
        if (isSpace(n) || n === ',') {
          this.pos = me;
          return this.tok('mode', s);
        }
      }
    }
    if (c === '"') {
      this.pos = this.scanQuoted(s);
      return this.tok('id', s, processId(this.src.slice(s, this.pos)));
    }
    const le = this.scanLabel(s);
    const ne = this.scanNoEq(s);
    const e = Math.max(le, ne);
    if (e > s) {
      this.pos = e;
      return this.tok('id', s, processId(this.src.slice(s, e)));
    }
    this.unexpected(`a ${state} rule`);
  }

  /** IDS_NOEQ: LEADING_ID_CHARS_NOEQ ID_NOEQ*; returns end (== from when no match). */
  private scanNoEq(from: number): number {
    const lead = this.src[from];
    if (!(isBaseChar(lead) && !'=()+&'.includes(lead as string))) return from;
    const ok = (x: string | undefined) => isBaseChar(x) && x !== '=' && x !== ')';
    let p = from + 1;
    for (;;) {
      const a = this.src[p];
      if (a === ',' && ok(this.src[p + 1])) p += 2;
      else if (ok(a)) p++;
      else return p;
    }
  }

  /** EXTCOND_MODE after a condid: `=` (then a value or a list), `in`, `(`. */
  extcondOp(): { kind: 'eq-value' | 'eq' | 'in' | 'lparen' | 'other'; start: number } {
    this.skip({ newlines: true, comments: false });
    const s = this.pos;
    const c = this.ch();
    if (c === '=') {
      let p = s + 1;
      while (isBlank(this.src[p])) p++;
      const n = this.src[p];
      this.pos = s + 1;
      if (n !== undefined && n !== '(' && n !== '\n' && !isBlank(n)) {
        this.pos = p;
        return { kind: 'eq-value', start: s };
      }
      return { kind: 'eq', start: s };
    }
    if (c === '(') {
      this.pos++;
      return { kind: 'lparen', start: s };
    }
    if (this.src.startsWith('in', s)) {
      this.pos += 2;
      return { kind: 'in', start: s };
    }
    return { kind: 'other', start: s };
  }

  /** LIST_COND_MODE, inside `peer=( ... )`. */
  listCond(): Token {
    for (;;) {
      this.skip({ newlines: true, comments: false });
      if (this.ch() === ',') this.pos++;
      else break;
    }
    const s = this.pos;
    const c = this.ch();
    if (c === undefined) return this.tok('eof', s);
    if (c === ')') return this.single('rparen');
    if (c === '=') {
      let p = s + 1;
      while (isBlank(this.src[p])) p++;
      if (this.src[p] === '(') {
        this.pos = p + 1;
        return this.tok('lparen', s); // `=(`: a parenthesised value list follows
      }
      this.pos = s + 1;
      return this.tok('eq', s);
    }
    const ok = (x: string | undefined) => isBaseChar(x) && x !== '=' && x !== ')';
    let p = s;
    while (ok(this.src[p])) p++;
    if (p === s) this.unexpected('a peer=() group');
    this.pos = p;
    return this.tok('condid', s);
  }

  /** LIST_COND_VAL / LIST_COND_PAREN_VAL values. */
  listCondValue(paren: boolean): Token {
    this.skip({ newlines: true, comments: false });
    const s = this.pos;
    if (paren && this.ch() === ')') return this.single('rparen');
    return this.listValueAt(s, 'a conditional value');
  }

  /** One list or conditional value at `s`: quoted, or a run of id chars (`\\` escapes a separator). */
  private listValueAt(s: number, what: string): Token {
    if (this.src[s] === '"') {
      this.pos = this.scanQuoted(s);
      return this.tok('value', s, processId(this.src.slice(s, this.pos)));
    }
    const ok = (x: string | undefined) => isBaseChar(x) && x !== '(' && x !== ')';
    let p = s;
    for (;;) {
      const a = this.src[p];
      const b = this.src[p + 1];
      if (a === '\\' && b !== undefined && ' \t"!,()'.includes(b)) p += 2;
      else if (ok(a)) p++;
      else break;
    }
    if (p === s) this.unexpected(what);
    this.pos = p;
    return this.tok('value', s, processId(this.src.slice(s, p)));
  }

  /** Generic raw scan for rules this version keeps unevaluated (AppArmor 4 userns/io_uring/mqueue). */
  rawUntilComma(): { text: string; start: number; end: number } {
    const s = this.pos;
    let depth = 0;
    let p = s;
    while (p < this.src.length) {
      const c = this.src[p];
      if (c === '"') p = this.scanQuoted(p);
      else {
        if (c === '(') depth++;
        else if (c === ')') depth--;
        else if (c === ',' && depth <= 0) break;
        else if (c === '}' && depth <= 0) break;
        p++;
      }
    }
    this.pos = p;
    return { text: this.src.slice(s, p).trim(), start: s, end: p };
  }
}

const EXT_KEYWORDS: Record<'dbus' | 'signal' | 'ptrace' | 'unix', Set<string>> = {
  dbus: new Set(['bind', 'eavesdrop', 'send', 'receive', 'read', 'write']),
  signal: new Set(['send', 'receive', 'read', 'write']),
  ptrace: new Set(['trace', 'readby', 'tracedby', 'read', 'write']),
  unix: new Set([
    'create',
    'listen',
    'accept',
    'connect',
    'getattr',
    'setattr',
    'getopt',
    'setopt',
    'shutdown',
    'bind',
    'send',
    'receive',
    'read',
    'write',
  ]),
};
