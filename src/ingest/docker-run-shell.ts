/**
 * Shell words with positions, for `docker run` lines.
 *
 * shell-quote's `parse()` removes quotes but gives no offsets, so this tokenizer mirrors its quoting
 * rules exactly (the same chunking regular expression, the same unquoting loop) to find where every
 * word starts, and the reader cross-checks the two outputs. Two differences on purpose: variables stay
 * literal (`$HOME`, `${PWD}` are kept as written — nothing is expanded), and command substitutions
 * (backquotes, `$(` inside double quotes) are flagged. Operators (`;`, `|`, `&&`, redirections, `$(`) come out as operator tokens.
 */
import { parse as shellParse } from 'shell-quote';

// ---- shell-quote 1.12's chunking expression, rebuilt from the same pieces --------------------------

const CONTROL = `(?:${[
  '\\|\\|',
  '\\&(?:\\&|>>?)',
  ';;\\&?',
  '[;|]\\&',
  '\\<\\(',
  '\\<\\<\\<',
  '\\<\\<-',
  '\\<\\<(?!\\()',
  '>>',
  '>[&|(]',
  '<[&>]',
  '[&;()|<>]',
].join('|')})`;
const META = '|&;()<> \\t';
const SINGLE_QUOTE = "'([^']*?)'";
const ANSI_C_BODY = "(?:\\\\[\\s\\S]|[^\\\\'])*?";
const ANSI_C_QUOTE = `\\$'${ANSI_C_BODY}'`;
const BAREWORD = `(\\\\['"$\\\\${META}]|\\$\\$|\\$(?!${ANSI_C_QUOTE.slice(2)})|[^\\s'"$${META}])+`;
const DOUBLE_QUOTE = '"(?:\\\\[\\s\\S]|[^"\\\\])*"';
const CHUNKER = new RegExp(
  `(${CONTROL})|(${ANSI_C_QUOTE}|${BAREWORD}|${DOUBLE_QUOTE}|${SINGLE_QUOTE})+`,
  'g',
);
const ANSI_C_AT = new RegExp(`\\$'${ANSI_C_BODY}(?:(')|\\\\?$)`, 'y');
const ANSI_C_ESCAPE =
  /\\([0-7]{1,3}|x[\dA-Fa-f]{1,2}|u[\dA-Fa-f]{1,4}|U[\dA-Fa-f]{1,8}|c(?:\\\\|[\s\S])|[abeEfnrtv\\'"?])/g;
const ANSI_C_LETTERS = 'abeEfnrtv';
const ANSI_C_CHARS = '\x07\b\x1B\x1B\f\n\r\t\v';

function expandAnsiC(body: string): string {
  return (
    body
      .replace(ANSI_C_ESCAPE, (m: string, esc: string) => {
        const kind = esc.charAt(0);
        if (kind === 'c') {
          const ctrl = esc.charAt(1);
          return ctrl === '?' ? '\x7F' : String.fromCharCode(ctrl.charCodeAt(0) & 0x1f);
        }
        if (kind === 'x' || kind === 'u' || kind === 'U') {
          const cp = Number.parseInt(esc.slice(1), 16);
          if (cp > 0x10ffff) return m;
          return cp > 0xffff
            ? String.fromCharCode(0xd7c0 + (cp >> 10), 0xdc00 + (cp & 0x3ff))
            : String.fromCharCode(cp);
        }
        if (kind >= '0' && kind <= '7') return String.fromCharCode(Number.parseInt(esc, 8) & 0xff);
        const letter = ANSI_C_LETTERS.indexOf(esc);
        return letter < 0 ? esc : ANSI_C_CHARS.charAt(letter);
      })
      .split('\0')[0] ?? ''
  );
}

/** Stands for a variable in the normalized form compared with shell-quote's output. */
const VAR_MARK = '\u0000var\u0000';

export interface ShellWord {
  kind: 'word';
  /** Unquoted value; variables kept as written. */
  value: string;
  /** The word as written (quotes included). */
  raw: string;
  /** Offset of the first character in the scanned text. */
  start: number;
  /** Offset of a command substitution in the word: a backquote, or `$(` in double quotes. */
  substitution?: number;
  /** Value with every variable replaced by one marker: what shell-quote returns with a marker env. */
  norm: string;
}
export interface ShellOp {
  kind: 'op';
  op: string;
  start: number;
}
export type ShellToken = ShellWord | ShellOp;

export interface ShellProblem {
  code: 'unterminated-quote' | 'bad-substitution';
  offset: number;
  message: string;
}

export interface ShellScan {
  tokens: ShellToken[];
  /** Offset where a `#` comment starts, if any. */
  comment?: number;
  problems: ShellProblem[];
}

class BadSubstitution extends Error {
  constructor(readonly offset: number) {
    super('bad substitution');
  }
}

/** Unquote one chunk (shell-quote's loop); returns undefined when a `#` starts a comment at once. */
function unquote(
  s: string,
  base: number,
): { value: string; norm: string; substitution?: number; commentAt?: number } {
  let quote: '' | '"' | "'" = '';
  let esc = false;
  let value = '';
  let norm = '';
  let substitution: number | undefined;
  const add = (c: string) => {
    value += c;
    norm += c;
  };
  /** A `$` at index i: mirror shell-quote's parseEnvVar; returns the index of the last char used. */
  const variable = (i: number): number => {
    let j = i + 1;
    const ch = s.charAt(j);
    let end: number;
    if (ch === '{') {
      j += 1;
      if (s.charAt(j) === '}') throw new BadSubstitution(base + i);
      let depth = 1;
      let k = j;
      while (depth > 0 && k < s.length) {
        if (s.charAt(k) === '{' && s.charAt(k - 1) === '$') depth += 1;
        else if (s.charAt(k) === '}') depth -= 1;
        k += 1;
      }
      if (depth !== 0) throw new BadSubstitution(base + i);
      end = k - 1;
    } else if (/[*@#?$!-]/.test(ch)) {
      end = j;
    } else {
      const m = /[^\w\d_]/.exec(s.slice(j));
      end = m ? j + m.index - 1 : s.length - 1;
    }
    value += s.slice(i, end + 1);
    norm += VAR_MARK;
    return end;
  };
  for (let i = 0; i < s.length; i++) {
    let c = s.charAt(i);
    if (esc) {
      add(c);
      esc = false;
    } else if (quote) {
      if (c === quote) quote = '';
      else if (quote === "'") add(c);
      else if (c === '\\') {
        i += 1;
        c = s.charAt(i);
        if (c === '"' || c === '\\' || c === '$') add(c);
        else add(`\\${c}`);
      } else if (c === '$') {
        if (s.charAt(i + 1) === '(' && substitution === undefined) substitution = base + i;
        i = variable(i);
      } else {
        if (c === '`' && substitution === undefined) substitution = base + i;
        add(c);
      }
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#') {
      return { value, norm, substitution, commentAt: base + i };
    } else if (c === '\\') {
      esc = true;
    } else if (c === '$' && s.charAt(i + 1) === "'" && closesAnsiC(s, i)) {
      const expanded = expandAnsiC(s.slice(i + 2, ANSI_C_AT.lastIndex - 1));
      add(expanded);
      i = ANSI_C_AT.lastIndex - 1;
    } else if (c === '$') {
      i = variable(i);
    } else {
      if (c === '`' && substitution === undefined) substitution = base + i;
      add(c);
    }
  }
  return { value, norm, substitution };
}

function closesAnsiC(s: string, i: number): boolean {
  ANSI_C_AT.lastIndex = i;
  const m = ANSI_C_AT.exec(s);
  return m?.[1] !== undefined;
}

/** Split one logical command line into words and operators, with offsets. Never throws. */
export function scanShell(line: string): ShellScan {
  const tokens: ShellToken[] = [];
  const problems: ShellProblem[] = [];
  let last = 0;
  const re = new RegExp(CHUNKER.source, 'g');
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (m[0] === '') {
      re.lastIndex += 1;
      continue;
    }
    const gap = line.slice(last, m.index);
    const skipped = /\S/.exec(gap);
    if (skipped)
      problems.push({
        code: 'unterminated-quote',
        offset: last + skipped.index,
        message: `unterminated quote ${gap.charAt(skipped.index)}`,
      });
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      tokens.push({ kind: 'op', op: m[1], start: m.index });
      continue;
    }
    try {
      const u = unquote(m[0], m.index);
      if (u.commentAt !== undefined) {
        if (u.value !== '')
          tokens.push({
            kind: 'word',
            value: u.value,
            norm: u.norm,
            raw: line.slice(m.index, u.commentAt),
            start: m.index,
            ...(u.substitution !== undefined ? { substitution: u.substitution } : {}),
          });
        return { tokens, comment: u.commentAt, problems };
      }
      tokens.push({
        kind: 'word',
        value: u.value,
        norm: u.norm,
        raw: m[0],
        start: m.index,
        ...(u.substitution !== undefined ? { substitution: u.substitution } : {}),
      });
    } catch (e) {
      if (!(e instanceof BadSubstitution)) throw e;
      problems.push({ code: 'bad-substitution', offset: e.offset, message: `bad \${...} substitution` });
      return { tokens, problems };
    }
  }
  const tail = /\S/.exec(line.slice(last));
  if (tail)
    problems.push({
      code: 'unterminated-quote',
      offset: last + tail.index,
      message: `unterminated quote ${line.charAt(last + tail.index)}`,
    });
  return { tokens, problems };
}

/**
 * shell-quote's own reading of the line (variables replaced by one marker), compared with the scan.
 * Returns the index of the first token that differs, or -1 when both agree.
 */
export function crossCheck(line: string, scan: ShellScan): number {
  let theirs: Array<string | { op: string }>;
  try {
    theirs = shellParse(line, () => VAR_MARK).flatMap((e): Array<string | { op: string }> => {
      if (typeof e === 'string') return [e];
      if ('comment' in e) return [];
      if (e.op === 'glob') return [(e as { pattern: string }).pattern];
      return [{ op: e.op }];
    });
  } catch {
    return 0;
  }
  const ours = scan.tokens;
  const n = Math.max(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const a = ours[i];
    const b = theirs[i];
    if (a === undefined || b === undefined) return i;
    if (a.kind === 'op' ? typeof b === 'string' || b.op !== a.op : b !== a.norm) return i;
  }
  return -1;
}
