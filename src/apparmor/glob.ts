/**
 * AppArmor path globs compiled to fast matchers, matching exactly as AppArmor 3.0.8 (Debian 12's
 * apparmor_parser + the kernel's DFA walk) does. The pipeline copies the real one stage by stage:
 *
 *   1. variable expansion      parser_variable.c expand_entry_variables / parser_symtab.c __expand_variable
 *   2. slash collapsing        parser_regex.c filter_slashes
 *   3. glob -> "pcre"          parser_regex.c convert_aaregex_to_pcre  (see `pcre` on the matcher;
 *                              `apparmor_parser -D rule-exprs` prints the same text)
 *   4. "pcre" -> regex tree    libapparmor_re/parse.y (its own small grammar, not PCRE), which the
 *                              parser turns into the DFA the kernel walks byte by byte
 *
 * Stage 4 is emitted as a JS RegExp over *bytes*: the glob's and the path's UTF-8 bytes are both
 * written as latin1 strings (one char per byte), so `?` and `[é]` see single bytes as the kernel does.
 *
 * Keeping stages 3 and 4 separate (rather than writing one "glob -> RegExp" translator) is what
 * makes the quirks come out right without special cases, e.g. `[*]` is really `[[^/\x00]*]` (a
 * class of `[ ^ / NUL`, repeated, then a literal `]`), `[\,]` matches `\` or `,`, `[a-]` is an error.
 *
 * Input is a rule's path as the profile lexer hands it over (quotes removed and numeric escapes
 * decoded by processUnquoted in lexer.ts), e.g. `/proc/@{pid}/mem`.
 */
import { BreakwaterError } from '../errors.js';

/** An invalid glob. `column` is 1-based, in UTF-16 units of the glob string as given. */
export class GlobError extends BreakwaterError {
  constructor(
    readonly reason: string,
    readonly column: number,
  ) {
    super(`${reason} (column ${column})`, 'apparmor-bad-glob');
  }
}

export interface GlobOptions {
  /** Set variables: `@{NAME}` stands for each of its values; values may hold globs and `@{OTHER}`. */
  variables?: ReadonlyMap<string, readonly string[]>;
}

export interface TestOptions {
  /**
   * Whether the object is a directory. The kernel names a directory with a trailing `/` when it
   * checks file permissions (security/apparmor/path.c appends it for PATH_IS_DIR, set by
   * file.c/lsm.c whenever the inode is a directory: open, mkdir, rmdir, ...). `true` appends
   * the `/` when missing; `false` drops a trailing one (except for `/` itself); omitted matches
   * the path exactly as given, i.e. the caller already passes the kernel's name.
   */
  isDirectory?: boolean;
}

export interface GlobMatcher {
  /** The glob as given. */
  readonly source: string;
  /** After variable expansion and slash collapsing: what convert_aaregex_to_pcre reads. */
  readonly expanded: string;
  /** AppArmor's intermediate regex, byte for byte as `apparmor_parser -D rule-exprs` shows it (latin1). */
  readonly pcre: string;
  /** Anchored RegExp over latin1 byte strings. */
  readonly regex: RegExp;
  /**
   * The glob ends in `/`, so it can only match names ending in `/`: the kernel's names for
   * directories (`/a/b/` means "the directory /a/b"). Informational; `test` decides by the regex.
   */
  readonly directoryOnly: boolean;
  /** The literal bytes every match starts with (before the first glob character). */
  readonly literalHead: string;
  test(path: string, opts?: TestOptions): boolean;
}

/** A string with, per char, the 1-based column in the original glob it came from. */
interface Src {
  s: string;
  cols: number[];
}

const MAX_ALT_DEPTH = 50; // parser_regex.c
const MAX_EXPANSIONS = 1000; // AppArmor loops forever instead; legit globs use a handful
const NON_ASCII = /[\u0080-\uffff]/;

export function compileGlob(glob: string, opts: GlobOptions = {}): GlobMatcher {
  const expanded = filterSlashes(toBytes(expandVariables(glob, opts.variables ?? new Map())));
  const pcre = convertToPcre(expanded);
  const regex = new RegExp(`^(?:${new RegexParser(pcre).parse()})$`);
  const directoryOnly = expanded.s.endsWith('/');
  // Every match starts with the glob's literal head (bytes before the first glob character):
  // checking it first skips the regex for most rules of a profile.
  const head = /^[^*?[\]{}\\]*/.exec(expanded.s)?.[0] ?? '';
  return {
    source: glob,
    expanded: Buffer.from(expanded.s, 'latin1').toString('utf8'),
    pcre: pcre.s,
    regex,
    directoryOnly,
    literalHead: head,
    test(path: string, t?: TestOptions): boolean {
      let name = path;
      if (t?.isDirectory === true) {
        if (!name.endsWith('/')) name += '/';
      } else if (t?.isDirectory === false && name.length > 1 && name.endsWith('/')) name = name.slice(0, -1);
      if (NON_ASCII.test(name)) name = Buffer.from(name, 'utf8').toString('latin1');
      return name.startsWith(head) && regex.test(name);
    },
  };
}

// ---------------------------------------------------------------- stage 1: variables

/**
 * split_out_var: the first `@{NAME}` not preceded by an unescaped `\`. NAME is [A-Za-z][A-Za-z0-9_]*;
 * an `@{` not followed by a valid name and `}` is left as text (and later reads as an alternation).
 */
function findVarRef(s: string): { start: number; end: number; name: string } | undefined {
  let escaped = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') escaped = !escaped;
    else if (c === '@' && !escaped && s[i + 1] === '{') {
      const m = /^([A-Za-z][A-Za-z0-9_]*)?\}/.exec(s.slice(i + 2));
      if (m) return { start: i, end: i + 2 + m[0].length, name: m[1] ?? '' };
    } else escaped = false;
  }
  return undefined;
}

function expandVariables(glob: string, vars: ReadonlyMap<string, readonly string[]>): Src {
  const memo = new Map<string, string[]>();

  /** __expand_variable: the variable's values with every nested @{...} multiplied out. */
  const resolve = (name: string, seen: string[], col: number): string[] => {
    const done = memo.get(name);
    if (done) return done;
    const values = vars.get(name);
    if (!values || values.length === 0) {
      const by = seen.length ? ` (referenced by @{${seen[seen.length - 1]}})` : '';
      throw new GlobError(`undefined variable @{${name}}${by}`, col);
    }
    const out: string[] = [];
    const work = [...values];
    for (let v = work.shift(); v !== undefined; v = work.shift()) {
      const ref = findVarRef(v);
      if (!ref) {
        out.push(v);
        continue;
      }
      if (ref.name === '') throw new GlobError(`empty variable name in @{${name}}`, col);
      if (ref.name === name || seen.includes(ref.name))
        throw new GlobError(`variable @{${ref.name}} is referenced recursively (by @{${name}})`, col);
      for (const rv of resolve(ref.name, [...seen, name], col))
        work.push(v.slice(0, ref.start) + rv + v.slice(ref.end));
      if (work.length > 100_000) throw new GlobError(`variable @{${name}} expands to too many values`, col);
    }
    memo.set(name, out);
    return out;
  };

  let cur: Src = { s: glob, cols: [] };
  for (let i = 0; i < glob.length; i++) cur.cols.push(i + 1);

  // expand_entry_variables: replace the first reference, then rescan the whole string.
  for (let n = 0; ; n++) {
    const ref = findVarRef(cur.s);
    if (!ref) return cur;
    const col = cur.cols[ref.start] ?? 1;
    if (ref.name === '') throw new GlobError('empty variable name', col);
    if (n >= MAX_EXPANSIONS) throw new GlobError('variable expansion does not terminate', col);
    const values = resolve(ref.name, [], col);
    const prefix = cur.s.slice(0, ref.start);
    const suffix = cur.s.slice(ref.end);
    let text: string;
    if (values.length === 1)
      text = values[0] as string; // a single value is substituted verbatim
    else {
      // expand_by_alternations: {v1,v2,...}, dropping the values' slashes that would double one
      // already next to the reference (filter_slashes cannot fix `/{/a,b}`).
      const lead = prefix.endsWith('/');
      const trail = suffix.startsWith('/');
      const vs = values.map((v) => {
        let t = lead ? v.replace(/^\/+/, '') : v;
        if (trail) t = t.replace(/\/+$/, '');
        return t;
      });
      text = `{${vs.join(',')}}`;
    }
    cur = {
      s: prefix + text + suffix,
      cols: [
        ...cur.cols.slice(0, ref.start),
        ...Array<number>(text.length).fill(col),
        ...cur.cols.slice(ref.end),
      ],
    };
    if (cur.s.length > 1_000_000) throw new GlobError('variable expansion is too large', col);
  }
}

/** UTF-8 bytes as a latin1 string, keeping each byte's column. */
function toBytes(src: Src): Src {
  if (!NON_ASCII.test(src.s)) return src;
  const out: Src = { s: '', cols: [] };
  for (let i = 0; i < src.s.length; ) {
    const cp = src.s.codePointAt(i) as number;
    const units = cp > 0xffff ? 2 : 1;
    const bytes = Buffer.from(src.s.slice(i, i + units), 'utf8').toString('latin1');
    out.s += bytes;
    for (let b = 0; b < bytes.length; b++) out.cols.push(src.cols[i] ?? 1);
    i += units;
  }
  return out;
}

// ---------------------------------------------------------------- stage 2: slashes

/** filter_slashes: runs of `/` become one, except a leading `//x` (a Linux "//" namespace) stays. */
function filterSlashes(src: Src): Src {
  const { s, cols } = src;
  if (s.length < 2) return src;
  const out: Src = { s: '', cols: [] };
  let i = 0;
  if (s[0] === '/' && s[1] === '/' && s[2] !== '/') {
    out.s = '//';
    out.cols.push(cols[0] ?? 1, cols[1] ?? 1);
    i = 2;
  }
  let seenSlash = false;
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '/') {
      if (seenSlash) continue;
      seenSlash = true;
    } else seenSlash = false;
    out.s += c;
    out.cols.push(cols[i] ?? 1);
  }
  return out;
}

// ---------------------------------------------------------------- stage 3: convert_aaregex_to_pcre

/** lib.c strn_escseq: the char an escape sequence starting at s[p] (after the `\`) stands for. */
function escSeq(s: string, p: number, chrs: string): { code: number; next: number } | undefined {
  const num = (from: number, base: number, max: number): { code: number; next: number } | undefined => {
    let v = 0;
    let j = from;
    for (; j < s.length && j < from + max; j++) {
      const d = Number.parseInt(s[j] as string, base);
      if (Number.isNaN(d) || v * base + d > 255) break;
      v = v * base + d;
    }
    return j === from ? undefined : { code: v, next: j };
  };
  const c = s[p];
  if (c === undefined) return undefined;
  if (c >= '0' && c <= '7') return num(p, 8, 3);
  const simple: Record<string, number> = { '\\': 92, '"': 34, a: 7, e: 27, f: 12, n: 10, r: 13, t: 9 };
  if (c === 'd') return num(p + 1, 10, 3);
  if (c === 'x') return num(p + 1, 16, 2);
  const code = simple[c];
  if (code !== undefined) return { code, next: p + 1 };
  return chrs.includes(c) ? { code: c.charCodeAt(0), next: p + 1 } : undefined;
}

/** A straight port of convert_aaregex_to_pcre (glob_default), recording each output char's column. */
function convertToPcre(src: Src): Src {
  const { s, cols } = src;
  const out: Src = { s: '', cols: [] };
  let col = 1;
  const emit = (t: string) => {
    out.s += t;
    for (let k = 0; k < t.length; k++) out.cols.push(col);
  };
  let esc = false;
  let inClass = false;
  let classCol = 0;
  const groups: { col: number; commas: number }[] = [];

  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    col = cols[i] ?? 1;
    switch (c) {
      case '\\':
        if (!esc) {
          esc = true;
          continue; // keep the flag for the next char
        }
        emit('\\\\');
        break;
      case '*':
        if (esc) emit('\\*');
        else {
          // A `*`/`**` that is a whole path component (right after `/` and followed by `/` or the
          // end of the glob) must match at least one char, so `/a/*` skips `/a/` and `/a/**/b`
          // skips `/a/b`. Only the *emitted* text counts: `{/*}`, `/{*,x}`, `/*.so` get no such rule.
          if (out.s.endsWith('/')) {
            let e = i;
            while (s[e] === '*') e++;
            if (e === s.length || s[e] === '/') emit('[^/\\x00]');
          }
          if (s[i + 1] === '*') {
            emit('[^\\x00]*');
            i++;
          } else emit('[^/\\x00]*');
        }
        break;
      case '?':
        emit(esc ? '?' : '[^/\\x00]');
        break;
      case '[':
        if (esc) emit('\\[');
        else {
          if (!inClass) classCol = col;
          inClass = true;
          emit('[');
        }
        break;
      case ']':
        if (esc) emit('\\]');
        else {
          if (!inClass) throw new GlobError("unmatched ']'", col);
          inClass = false;
          emit(']');
        }
        break;
      case '{':
        if (esc) emit('\\{');
        else if (inClass) emit('{');
        else {
          if (groups.length + 1 >= MAX_ALT_DEPTH) throw new GlobError('alternations nested too deeply', col);
          groups.push({ col, commas: 0 });
          emit('(');
        }
        break;
      case '}':
        if (esc) emit('\\}');
        else if (inClass) emit('}');
        else {
          const g = groups.pop();
          if (!g) throw new GlobError("unmatched '}'", col);
          if (g.commas === 0) throw new GlobError("alternation '{...}' needs at least one ','", g.col);
          emit(')');
        }
        break;
      case ',': {
        const g = groups[groups.length - 1];
        if (esc) emit(inClass ? '\\,' : ',');
        else if (g && !inClass) {
          g.commas++;
          emit('|');
        } else emit(',');
        break;
      }
      case '^':
      case '$':
        // special outside classes only; note `\^` inside a class emits a bare `^` (so `[\^a]` is `[^a]`)
        emit(inClass ? c : `\\${c}`);
        break;
      default: {
        if ('.+|()'.includes(c)) emit('\\'); // pcre metachars AppArmor does not support: always literal
        const r = esc ? escSeq(s, i, '') : undefined;
        if (r) {
          // a numeric or C esc: passed on for the regex parser to decode
          emit(`\\${s.slice(i, r.next)}`);
          i = r.next - 1;
        } else emit(c); // an unnecessary `\` is dropped
      }
    }
    esc = false;
  }
  if (inClass) throw new GlobError("unclosed '['", classCol);
  const open = groups[groups.length - 1];
  if (open) throw new GlobError("unclosed '{'", open.col);
  if (esc) throw new GlobError("trailing '\\'", col);
  return out;
}

// ---------------------------------------------------------------- stage 4: libapparmor_re parse.y

type Tok = { op: string; c: number; col: number }; // op: 'c' for a CHAR, else the operator itself, '' at the end

const hex = (c: number) => `\\x${c.toString(16).padStart(2, '0')}`;
const lit = (c: number) => (/[A-Za-z0-9/_]/.test(String.fromCharCode(c)) ? String.fromCharCode(c) : hex(c));
/** `t*` / `t+`, grouping `t` unless it is one char or one class already. */
const repeat = (t: string, q: string) => (/^(?:[^\\[(]|\\x..|\[[^\]]*\])$/.test(t) ? t + q : `(?:${t})${q}`);

/** Recursive descent for parse.y's grammar (LALR there, but every choice is decided by one token). */
class RegexParser {
  private readonly toks: Tok[] = [];
  private p = 0;

  constructor(src: Src) {
    // regex_lex
    const { s, cols } = src;
    for (let i = 0; i < s.length; ) {
      const ch = s[i] as string;
      const col = cols[i] ?? 1;
      if ('*+.|^-[]()'.includes(ch)) {
        this.toks.push({ op: ch, c: ch.charCodeAt(0), col });
        i++;
      } else if (ch === '\\') {
        const r = escSeq(s, i + 1, '*+.|^$-[](){}');
        // a bad escape is the char `\` itself; what follows is lexed again
        this.toks.push({ op: 'c', c: r ? r.code : 92, col });
        i = r ? r.next : i + 1;
      } else {
        this.toks.push({ op: 'c', c: ch.charCodeAt(0), col });
        i++;
      }
    }
  }

  private peek(): Tok {
    return this.toks[this.p] ?? { op: '', c: 0, col: this.toks[this.toks.length - 1]?.col ?? 1 };
  }

  private fail(t: Tok, why: string): never {
    throw new GlobError(why, t.col);
  }

  parse(): string {
    const r = this.alternation();
    if (this.peek().op !== '') this.fail(this.peek(), "unexpected ')'"); // stage 3 keeps () balanced
    return r;
  }

  // regex: empty | expr;  expr: terms | expr '|' terms0 | '|' terms0
  private alternation(): string {
    const alts = [this.terms()];
    while (this.peek().op === '|') {
      this.p++;
      alts.push(this.terms());
    }
    return alts.join('|');
  }

  // terms0: qterm*;  qterm: term | term '*' | term '+'
  private terms(): string {
    let r = '';
    for (;;) {
      const t = this.term();
      if (t === undefined) return r;
      const q = this.peek().op;
      if (q === '*' || q === '+') {
        this.p++;
        r += repeat(t, q);
      } else r += t;
    }
  }

  private term(): string | undefined {
    const t = this.peek();
    switch (t.op) {
      case '':
      case '|':
      case ')':
        return undefined;
      case '*':
      case '+':
        return this.fail(t, `'${t.op}' has nothing to repeat`);
      case '.':
        this.p++;
        return '[^]';
      case '(': {
        this.p++;
        const r = this.alternation();
        if (this.peek().op !== ')') this.fail(t, "unclosed '('");
        this.p++;
        return `(?:${r})`;
      }
      case '[':
        this.p++;
        return this.charClass(t);
      default: // CHAR and the regex_chars '^' '-' ']'
        this.p++;
        return lit(t.c);
    }
  }

  /*
   * '[' charset ']' | '[' '^' charset ']' | '[' '^' '^' cset_chars ']'
   * charset:    cset_char1 cset_chars | cset_char1 '-' cset_charN cset_chars
   * cset_chars: (cset_charN | cset_charN '-' cset_charN)*
   * cset_char1 = cset_char | ']' | '-';  cset_charN = cset_char | '^';  cset_char = CHAR [ * + . | ( )
   * So `]` and `-` are literal only first, a range can't end a class (`[a-]`), and `[]`, `[^]` are errors.
   */
  private charClass(open: Tok): string {
    const isChar = (op: string) => op === 'c' || '[*+.|()'.includes(op);
    const isCharN = (op: string) => op !== '' && (isChar(op) || op === '^');
    const set = new Set<number>();
    const addRange = (a: number, b: number) => {
      for (let x = Math.min(a, b); x <= Math.max(a, b); x++) set.add(x); // reversed ranges are swapped
    };
    const bad = (): never => this.fail(open, 'invalid character class');
    const next = () => this.toks[this.p++] as Tok;

    let negated = false;
    if (this.peek().op === '^') {
      this.p++;
      negated = true;
      if (this.peek().op === '^') {
        this.p++;
        set.add(0x5e);
      }
    }
    if (!set.size) {
      // charset's first char
      const f = this.peek();
      if (!(isChar(f.op) || f.op === ']' || f.op === '-')) bad();
      next();
      if (this.peek().op === '-') {
        this.p++;
        if (!isCharN(this.peek().op)) bad();
        addRange(f.c, next().c);
      } else set.add(f.c);
    }
    while (isCharN(this.peek().op)) {
      const a = next();
      if (this.peek().op === '-') {
        this.p++;
        if (!isCharN(this.peek().op)) bad();
        addRange(a.c, next().c);
      } else set.add(a.c);
    }
    if (this.peek().op !== ']') bad();
    this.p++;
    return `[${negated ? '^' : ''}${classBody(set)}]`;
  }
}

/** A JS class body for a set of bytes, with runs as ranges. */
function classBody(set: Set<number>): string {
  const xs = [...set].sort((a, b) => a - b);
  let r = '';
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === (xs[j] as number) + 1) j++;
    const a = xs[i] as number;
    const b = xs[j] as number;
    r += a === b ? hex(a) : b === a + 1 ? hex(a) + hex(b) : `${hex(a)}-${hex(b)}`;
    i = j + 1;
  }
  return r;
}
