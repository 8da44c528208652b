/**
 * Recursive-descent parser for AppArmor policy text, following AppArmor 3.0.8
 * `parser/parser_yacc.y` production by production (the grammar rule each method mirrors is named
 * in its comment). Like the real parser it stops at the first syntax error; unlike it, the
 * semantic checks the real parser makes while reducing (permission letters, exec qualifiers,
 * capability and network names, profile flags, qualifiers a rule class refuses...) are collected
 * as diagnostics and parsing goes on, so one run reports all of them.
 *
 * Includes are not followed here (see include.ts); variables are not expanded (see variables.ts).
 */
import type { Diagnostic } from '../errors.js';
import type {
  AbiNode,
  AliasNode,
  BlockItem,
  BoolAssignNode,
  BoolExpr,
  CapabilityRule,
  ChangeProfileRule,
  CommentNode,
  Cond,
  CondList,
  FileRule,
  GenericRule,
  IfNode,
  IncludeNode,
  LinkRule,
  MountRule,
  NetworkRule,
  PermCondRule,
  PivotRootRule,
  PolicyFile,
  ProfileNode,
  Qualifiers,
  RlimitRule,
  Span,
  TopItem,
  VarAssignNode,
} from './ast.js';
import { KEYWORDS, LexError, Lexer, type Token } from './lexer.js';
import {
  CAPABILITIES,
  CONFLICTING_FLAGS,
  MOUNT_CONDS,
  MOUNT_OPTIONS,
  PROFILE_MODES,
  PROFILE_PATH_FLAGS,
  RLIMITS,
  RULE_CONDS,
  RULE_PERMS,
  validNetworkPair,
  validNetworkSingle,
  validSignal,
} from './tables.js';

export interface ParseResult {
  ast?: PolicyFile;
  diagnostics: Diagnostic[];
}

export interface ParseOptions {
  /** `top` for a policy file; `rules` for a file included inside a profile block. */
  context?: 'top' | 'rules';
  /**
   * For `top` fragments included after the first profile: variable assignments and `abi` are no
   * longer allowed there (the grammar's preamble is over).
   */
  afterPreamble?: boolean;
  /** AppArmor release whose grammar decides ambiguous input (`mqueue r,`); default '3.0'. */
  version?: '3.0' | '4.0';
}

/** Thrown to stop at the first syntax error, as bison does; never escapes this module. */
class Stop extends Error {}

const FILE_PERM_ORDER = 'mrwalk';

export function parseProfileText(text: string, file: string, opts: ParseOptions = {}): ParseResult {
  const p = new Parser(text, file, opts.version ?? '3.0');
  try {
    const items = opts.context === 'rules' ? p.fragmentRules() : p.topLevel(!!opts.afterPreamble);
    p.attachComments(items);
    const ast: PolicyFile = { kind: 'policy', file, context: opts.context ?? 'top', items };
    return { ast, diagnostics: p.diagnostics };
  } catch (e) {
    if (e instanceof Stop) return { diagnostics: p.diagnostics };
    throw e;
  }
}

/** Result of reading a file permission string such as `rwPix`. */
export interface FileModeParse {
  access: string;
  exec?: string;
  errors: string[];
}

/**
 * parse_sub_mode() of parser_misc.c: letters, exec qualifiers and their conflicts. Upper-case
 * r/w/l/m/x/i are folded to lower case (the real parser warns); `a` with `w` is an error; an exec
 * qualifier after a different one (or after a plain `x`, except `i`) is an error.
 */
export function parseFileMode(raw: string): FileModeParse {
  const access = new Set<string>();
  const errors: string[] = [];
  let exec: string | undefined;
  // AA_EXEC_MODIFIERS: set by p/c/u, not by i — so `ixix` is fine but `pxix` is not
  let modifier = false;
  let mayExec = false;
  const setExec = (name: string, letters: string, inherit: boolean) => {
    const conflict = inherit ? modifier : mayExec && exec !== name;
    if (conflict) {
      errors.push(`exec qualifier '${letters}' conflicts with one already given`);
      return;
    }
    exec = name;
    if (!inherit) modifier = true;
    mayExec = true;
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    const n = raw[i + 1] ?? '';
    const lower = c.toLowerCase();
    if (lower === 'r' || lower === 'l' || lower === 'm' || c === 'k') access.add(lower);
    else if (lower === 'w') {
      if (access.has('a') && !access.has('w')) errors.push("conflicting 'a' and 'w' permissions");
      access.add('w');
    } else if (c === 'a') {
      if (access.has('w')) errors.push("conflicting 'a' and 'w' permissions");
      access.add('a');
    } else if (lower === 'x') mayExec = true;
    else if (lower === 'i') {
      setExec('ix', c + n, true);
      i++;
    } else if (lower === 'u') {
      setExec(c === 'U' ? 'Ux' : 'ux', c + n, false);
      i++;
    } else if (lower === 'p' || lower === 'c') {
      const up = c === c.toUpperCase();
      const n2 = raw[i + 2] ?? '';
      if (n.toLowerCase() === 'i') {
        setExec(`${c}ix`, c + n + n2, false);
        i += 2;
      } else if (n.toLowerCase() === 'u') {
        setExec(up ? `${c}Ux` : `${c}ux`, c + n + n2, false);
        i += 2;
      } else {
        setExec(`${c}x`, c + n, false);
        i++;
      }
    } else errors.push(`unknown permission '${c}'`);
  }
  if (mayExec && !exec) exec = 'x';
  const ordered = [...FILE_PERM_ORDER].filter((x) => access.has(x)).join('');
  return { access: ordered, exec, errors };
}

interface Prefix {
  q: Qualifiers;
  start?: Token;
}

class Parser {
  readonly diagnostics: Diagnostic[] = [];
  private readonly lx: Lexer;
  private peeked?: Token;

  constructor(
    readonly src: string,
    readonly file: string,
    readonly version: '3.0' | '4.0',
  ) {
    this.lx = new Lexer(src);
  }

  // ---------------------------------------------------------------- positions and diagnostics

  span(start: number, end: number): Span {
    const a = this.lx.lineCol(start);
    const b = this.lx.lineCol(end);
    return { file: this.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  error(code: string, message: string, offset: number): void {
    const { line, column } = this.lx.lineCol(offset);
    this.diagnostics.push({ file: this.file, line, column, severity: 'error', code, message });
  }

  warn(code: string, message: string, offset: number): void {
    const { line, column } = this.lx.lineCol(offset);
    this.diagnostics.push({ file: this.file, line, column, severity: 'warning', code, message });
  }

  fatal(code: string, message: string, offset: number): never {
    this.error(code, message, offset);
    throw new Stop();
  }

  /** Run a lexer call, turning its errors into a diagnostic and a stop. */
  lex<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof LexError) this.fatal(e.code, e.message, e.offset);
      throw e;
    }
  }

  describe(t: Token): string {
    return t.kind === 'eof' ? 'end of file' : `'${t.raw}'`;
  }

  unexpected(t: Token, expected: string): never {
    if (t.kind === 'eof')
      this.fatal('apparmor-unexpected-eof', `unexpected end of file, expected ${expected}`, t.start);
    this.fatal('apparmor-unexpected-token', `unexpected ${this.describe(t)}, expected ${expected}`, t.start);
  }

  /** A rule ended without its comma: report at the end of the last token of the rule. */
  missingComma(t: Token, lastEnd: number): never {
    this.fatal(
      'apparmor-missing-comma',
      `missing ',' at the end of the rule (found ${this.describe(t)})`,
      lastEnd,
    );
  }

  // ---------------------------------------------------------------- main-state tokens

  peek(): Token {
    if (!this.peeked) this.peeked = this.lex(() => this.lx.main());
    return this.peeked;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  /** Only valid when nothing is peeked: other lexer states start from the lexer position. */
  private noPeek(): void {
    if (this.peeked) throw new Error('internal: mode switch with a peeked main token');
  }

  isWord(t: Token, ...words: string[]): boolean {
    return t.kind === 'word' && words.includes(t.value);
  }

  /** A main-state word that is no keyword is a TOK_ID. */
  isId(t: Token): boolean {
    return t.kind === 'id' || (t.kind === 'word' && !KEYWORDS.has(t.value) && !this.isProfileWord(t));
  }

  isProfileWord(t: Token): boolean {
    return t.kind === 'word' && (t.value === 'hat' || t.value === 'profile');
  }

  // ---------------------------------------------------------------- comments

  /**
   * Comments come from the lexer as a side list; place each one in the innermost item list that
   * encloses it, between the items around it. A comment on the line where an item ends is
   * `trailing`.
   */
  attachComments(items: (TopItem | BlockItem)[]): void {
    const comments = this.lx.comments;
    if (!comments.length) return;
    const place = (list: (TopItem | BlockItem)[], start: number, end: number, c: CommentNode) => {
      // find an item that contains the comment and has an item list of its own
      for (const it of list) {
        const r = this.rangeOf(it);
        if (r && r[0] <= start && end <= r[1]) {
          const inner = this.innerLists(it);
          for (const l of inner) {
            const lr = l.range;
            if (lr[0] <= start && end <= lr[1]) return place(l.items, start, end, c);
          }
          return false; // inside a rule: keep it before the next item (rare; rule spans lines)
        }
      }
      let idx = list.findIndex((it) => (this.rangeOf(it)?.[0] ?? 0) > start);
      if (idx < 0) idx = list.length;
      list.splice(idx, 0, c);
      return true;
    };
    for (const cm of comments) {
      const pos = this.lx.lineCol(cm.start);
      const lineStart = cm.start - (pos.column - 1);
      const trailing = this.src.slice(lineStart, cm.start).trim() !== '';
      const node: CommentNode = {
        kind: 'comment',
        text: cm.text,
        trailing,
        span: this.span(cm.start, cm.end),
      };
      this.offsets.set(node, [cm.start, cm.end]);
      if (place(items, cm.start, cm.end, node) === false) {
        // comment inside a multi-line rule: put it after that rule
        this.insertAfterContaining(items, cm.start, node);
      }
    }
  }

  innerLists(it: TopItem | BlockItem): InnerList[] {
    const out: InnerList[] = [];
    const add = (items: BlockItem[] | undefined) => {
      if (!items) return;
      const r = this.listRanges.get(items);
      if (r) out.push({ items, range: r });
    };
    if (it.kind === 'profile' || it.kind === 'block') add(it.items);
    if (it.kind === 'if') {
      add(it.then);
      if (Array.isArray(it.else)) add(it.else);
      else if (it.else) {
        const r = this.rangeOf(it.else);
        if (r) out.push({ items: [it.else], range: r });
      }
    }
    return out;
  }

  insertAfterContaining(list: (TopItem | BlockItem)[], offset: number, node: CommentNode): void {
    for (let i = 0; i < list.length; i++) {
      const r = this.rangeOf(list[i] as object);
      if (r && r[0] <= offset && offset <= r[1]) {
        for (const l of this.innerLists(list[i] as TopItem | BlockItem))
          if (l.range[0] <= offset && offset <= l.range[1]) {
            this.insertAfterContaining(l.items, offset, node);
            return;
          }
        list.splice(i + 1, 0, { ...node, trailing: false });
        return;
      }
    }
    list.push(node);
  }

  /** Byte ranges of nodes (spans are line/column; comments are placed by offset). */
  readonly offsets = new WeakMap<object, [number, number]>();
  readonly listRanges = new WeakMap<object, [number, number]>();

  rangeOf(it: object): [number, number] | undefined {
    return this.offsets.get(it);
  }

  mark<T extends object>(node: T, start: number, end: number): T {
    this.offsets.set(node, [start, end]);
    return node;
  }

  // ---------------------------------------------------------------- top level

  /** list: preamble profilelist — includes may appear anywhere (they are lexical). */
  topLevel(afterPreamble: boolean): TopItem[] {
    const items: TopItem[] = [];
    let preamble = !afterPreamble;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return items;
      if (t.kind === 'include') {
        items.push(this.include());
        continue;
      }
      if (preamble) {
        if (t.kind === 'setvar') {
          items.push(this.varAssign());
          continue;
        }
        if (t.kind === 'boolvar') {
          items.push(this.boolAssign());
          continue;
        }
        if (this.isWord(t, 'alias', 'rewrite')) {
          items.push(this.alias());
          continue;
        }
        if (this.isWord(t, 'abi')) {
          items.push(this.abi());
          continue;
        }
      }
      preamble = false;
      items.push(this.profile(true));
    }
  }

  /** A file included inside a profile: a `rules` sequence running to end of file. */
  fragmentRules(): BlockItem[] {
    const items = this.rules('eof');
    return items;
  }

  include(): IncludeNode {
    const t = this.next();
    this.noPeek();
    const target = this.lex(() => this.lx.includeTarget());
    return this.mark(
      {
        kind: 'include',
        path: target.path,
        search: target.search,
        ifExists: !!t.ifExists,
        span: this.span(t.start, target.end),
      },
      t.start,
      target.end,
    );
  }

  /** abi_rule: TOK_ABI (TOK_ID|TOK_VALUE) TOK_END_OF_RULE */
  abi(): AbiNode {
    const t = this.next();
    const target = this.lex(() => this.lx.includeTarget());
    const c = this.lex(() => this.lx.abiComma());
    if (c.kind !== 'comma') this.missingComma(c, target.end);
    return this.mark(
      { kind: 'abi', path: target.path, search: target.search, span: this.span(t.start, c.end) },
      t.start,
      c.end,
    );
  }

  /** alias: TOK_ALIAS TOK_ID TOK_ARROW TOK_ID TOK_END_OF_RULE */
  alias(): AliasNode {
    const t = this.next();
    const from = this.next();
    if (!this.isId(from)) this.unexpected(from, 'a path');
    const arrow = this.next();
    if (arrow.kind !== 'arrow') this.unexpected(arrow, "'->'");
    const to = this.lex(() => this.lx.subId(true));
    const c = this.next();
    if (c.kind !== 'comma') this.missingComma(c, to.end);
    return this.mark(
      { kind: 'alias', from: from.value, to: to.value, span: this.span(t.start, c.end) },
      t.start,
      c.end,
    );
  }

  /** varassign: TOK_SET_VAR (TOK_EQUALS|TOK_ADD_ASSIGN) valuelist — values run to end of line. */
  varAssign(): VarAssignNode {
    const v = this.next();
    const op = this.next();
    if (op.kind !== 'eq' && op.kind !== 'addeq') this.unexpected(op, "'=' or '+='");
    const values: string[] = [];
    let end = op.end;
    for (;;) {
      const t = this.lex(() => this.lx.assignValue());
      if (t.kind === 'eol') break;
      if (t.kind === 'comma')
        this.fatal(
          'apparmor-variable-trailing-comma',
          'variable declarations do not accept trailing commas',
          t.start,
        );
      values.push((t as Token).value);
      end = (t as Token).end;
    }
    if (!values.length) this.fatal('apparmor-unexpected-token', `variable ${v.raw} has no value`, op.end);
    return this.mark(
      {
        kind: 'variable',
        name: varName(v.raw),
        op: op.kind === 'eq' ? '=' : '+=',
        values,
        span: this.span(v.start, end),
      },
      v.start,
      end,
    );
  }

  /** varassign: TOK_BOOL_VAR TOK_EQUALS TOK_VALUE */
  boolAssign(): BoolAssignNode {
    const v = this.next();
    const op = this.next();
    if (op.kind !== 'eq') this.unexpected(op, "'='");
    const t = this.lex(() => this.lx.assignValue());
    if (t.kind !== 'value') this.fatal('apparmor-unexpected-token', `boolean ${v.raw} has no value`, op.end);
    const rest = this.lex(() => this.lx.assignValue());
    if (rest.kind === 'value') this.unexpected(rest as Token, 'end of line');
    if (!/^(true|false)$/i.test(t.value))
      this.error('apparmor-bad-boolean', `boolean ${v.raw} must be true or false, not '${t.value}'`, t.start);
    return this.mark(
      { kind: 'boolean', name: varName(v.raw), value: t.value, span: this.span(v.start, t.end) },
      v.start,
      t.end,
    );
  }

  // ---------------------------------------------------------------- profiles

  /**
   * profile: opt_profile_flag profile_base (top) / local_profile / hat.
   * profile_base: TOK_ID opt_id_or_var opt_cond_list flags TOK_OPEN rules TOK_CLOSE
   */
  profile(top: boolean): ProfileNode {
    const first = this.next();
    let keyword: ProfileNode['keyword'];
    let nameTok: Token;
    if (first.kind === 'caret' || this.isProfileWord(first)) {
      keyword = first.kind === 'caret' ? '^' : (first.value as 'hat' | 'profile');
      this.noPeek();
      nameTok = this.lex(() => this.lx.subId(false));
    } else {
      if (!this.isId(first)) this.unexpected(first, 'a profile');
      nameTok = first;
    }
    const name = nameTok.value;
    let t = this.next();
    let attachment: string | undefined;
    if (this.isId(t) || t.kind === 'setvar') {
      attachment = t.kind === 'setvar' ? t.raw : t.value;
      if (!(attachment.startsWith('/') || attachment.startsWith('@{')))
        this.error(
          'apparmor-bad-attachment',
          `profile attachment '${attachment}' must begin with '/' or a variable`,
          t.start,
        );
      t = this.next();
    }
    let xattrs: CondList | undefined;
    if (t.kind === 'condlistid') {
      xattrs = this.condList(t);
      if (xattrs.name !== 'xattrs')
        this.error(
          'apparmor-bad-conditional',
          `invalid conditional group ${xattrs.name}=() on a profile`,
          t.start,
        );
      if (keyword === 'hat' || keyword === '^')
        this.error('apparmor-bad-conditional', "hat profiles can't use xattrs matches", t.start);
      t = this.next();
    }
    let flags: string[] | undefined;
    let flagsKeyword = false;
    if (t.kind === 'condid' || t.kind === 'lparen') {
      let open = t;
      if (t.kind === 'condid') {
        if (t.value !== 'flags')
          this.fatal('apparmor-unexpected-token', `expected flags= but found ${t.value}=`, t.start);
        flagsKeyword = true;
        const op = this.lex(() => this.lx.extcondOp());
        if (op.kind === 'eq') {
          const op2 = this.lex(() => this.lx.extcondOp());
          if (op2.kind !== 'lparen')
            this.fatal('apparmor-unexpected-token', "expected '(' after flags=", op2.start);
          open = { ...t, start: op2.start };
        } else if (op.kind !== 'lparen') {
          this.fatal('apparmor-unexpected-token', "expected '(' after flags=", op.start);
        }
      }
      flags = this.flagList(open.start);
      t = this.next();
    }
    if (t.kind !== 'open') this.unexpected(t, "'{'");
    const items = this.rules('close');
    const close = this.next();
    const start = first.start;
    const node: ProfileNode = {
      kind: 'profile',
      ...(keyword ? { keyword } : {}),
      name,
      ...(attachment !== undefined ? { attachment } : {}),
      ...(xattrs ? { xattrs } : {}),
      ...(flags ? { flags } : {}),
      flagsKeyword,
      items,
      span: this.span(start, close.end),
    };
    this.listRanges.set(items, [t.start, close.end]);
    this.checkProfileName(node, top, nameTok);
    return this.mark(node, start, close.end);
  }

  checkProfileName(p: ProfileNode, top: boolean, nameTok: Token): void {
    if (p.name.startsWith('&'))
      this.error(
        'apparmor-bad-profile-name',
        "profile names must begin with a '/' or a namespace",
        nameTok.start,
      );
    else if (top && !p.keyword && !p.name.startsWith('/') && !p.name.startsWith(':'))
      this.error(
        'apparmor-bad-profile-name',
        `profile name '${p.name}' must begin with '/', a namespace, or the keyword 'profile' or 'hat'`,
        nameTok.start,
      );
  }

  /** flags: ( flagval+ ) in LIST_VAL_MODE. */
  flagList(openStart: number): string[] {
    const flags: string[] = [];
    const toks: Token[] = [];
    for (;;) {
      const t = this.lex(() => this.lx.listValue());
      if (t.kind === 'rparen') break;
      if (t.kind === 'eof') this.unexpected(t, "')'");
      flags.push(t.value);
      toks.push(t);
    }
    if (!flags.length) this.fatal('apparmor-unexpected-token', 'empty profile flags', openStart);
    let mode: string | undefined;
    const seen = new Set<string>();
    flags.forEach((f, i) => {
      const tk = toks[i] as Token;
      if (f === 'debug')
        this.error('apparmor-unknown-flag', "profile flag 'debug' is no longer valid", tk.start);
      else if ((PROFILE_MODES as readonly string[]).includes(f)) {
        if (mode && mode !== f)
          this.error('apparmor-conflicting-flags', `profile flag '${mode}' conflicts with '${f}'`, tk.start);
        mode = f;
      } else if (!(PROFILE_PATH_FLAGS as readonly string[]).includes(f))
        this.error('apparmor-unknown-flag', `invalid profile flag '${f}'`, tk.start);
      seen.add(f);
      for (const [a, b] of CONFLICTING_FLAGS)
        if ((f === a && seen.has(b)) || (f === b && seen.has(a)))
          this.error('apparmor-conflicting-flags', `profile flag ${a} conflicts with ${b}`, tk.start);
    });
    return flags;
  }

  // ---------------------------------------------------------------- rules

  /** rules: ... — items until `}` (or end of file for an included fragment). */
  rules(until: 'close' | 'eof'): BlockItem[] {
    const items: BlockItem[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'close') {
        if (until === 'close') return items;
        this.unexpected(t, 'a rule');
      }
      if (t.kind === 'eof') {
        if (until === 'eof') return items;
        this.fatal('apparmor-unterminated-block', "unexpected end of file: missing '}'", t.start);
      }
      items.push(this.blockItem());
    }
  }

  blockItem(): BlockItem {
    const t = this.peek();
    if (t.kind === 'include') return this.include();
    if (this.isWord(t, 'abi')) return this.abi();
    if (t.kind === 'caret' || this.isWord(t, 'hat', 'profile')) return this.profile(false);
    if (this.isWord(t, 'if')) return this.ifRule();
    if (this.isWord(t, 'set')) return this.rlimitRule();
    if (t.kind === 'setvar' || t.kind === 'boolvar') {
      // A variable assignment inside a profile is a syntax error in the real grammar; say why.
      const v = this.next();
      const n = this.peek();
      if (n.kind === 'eq' || n.kind === 'addeq')
        this.fatal(
          'apparmor-unexpected-token',
          `variable ${v.raw} must be assigned before the first profile, not inside one`,
          v.start,
        );
      this.peeked = n;
      return this.fileRule({ q: { audit: false } }, v);
    }
    const prefix = this.prefix();
    return this.ruleAfterPrefix(prefix);
  }

  /** opt_prefix: opt_audit_flag opt_perm_mode opt_owner_flag — in that order. */
  prefix(): Prefix {
    const q: Qualifiers = { audit: false };
    let start: Token | undefined;
    let t = this.peek();
    if (this.isWord(t, 'audit')) {
      start ??= t;
      q.audit = true;
      this.next();
      t = this.peek();
    }
    if (this.isWord(t, 'allow', 'deny')) {
      start ??= t;
      q.access = t.value as 'allow' | 'deny';
      this.next();
      t = this.peek();
    }
    if (this.isWord(t, 'owner', 'user', 'other')) {
      start ??= t;
      q.owner = t.value === 'other' ? 'other' : 'owner';
      this.next();
      t = this.peek();
    }
    if (this.isWord(t, 'audit', 'allow', 'deny', 'owner', 'user', 'other'))
      this.fatal(
        'apparmor-unexpected-token',
        `qualifier '${t.value}' out of order: write audit, then allow/deny, then owner/other`,
        t.start,
      );
    return { q, ...(start ? { start } : {}) };
  }

  ruleAfterPrefix(prefix: Prefix): BlockItem {
    const t = this.peek();
    const q = prefix.q;
    const start = prefix.start?.start ?? t.start;
    if (t.kind === 'open') {
      this.next();
      if (q.access === 'deny')
        this.error('apparmor-bad-qualifier', 'deny prefix not allowed on a rule block', start);
      const items = this.rules('close');
      const close = this.next();
      const node = { kind: 'block' as const, q, items, span: this.span(start, close.end) };
      this.listRanges.set(items, [t.start, close.end]);
      this.checkBlockExec(node.items, q);
      return this.mark(node, start, close.end);
    }
    if (t.kind === 'word') {
      switch (t.value) {
        case 'capability':
          return this.capability(q, start);
        case 'network':
          return this.network(q, start);
        case 'mount':
        case 'remount':
        case 'umount':
        case 'unmount':
          return this.mount(q, start);
        case 'pivot_root':
          return this.pivotRoot(q, start);
        case 'ptrace':
        case 'signal':
        case 'dbus':
        case 'unix':
          return this.permCond(q, start);
        case 'change_profile':
          return this.changeProfile(q, start);
        case 'link':
          return this.link(q, start);
        case 'userns':
        case 'io_uring':
        case 'mqueue':
          if (this.looksLikeV4Rule(t)) return this.generic(q, start);
          break;
        case 'hat':
        case 'profile':
          this.unexpected(t, 'a rule (a qualifier cannot precede a profile)');
      }
    }
    return this.fileRule(prefix);
  }

  /** `userns,` / `io_uring (...)` / `mqueue ...` — but `mqueue r,` in 3.0 is a file rule on a relative path. */
  looksLikeV4Rule(t: Token): boolean {
    const after = this.src.slice(t.end).trimStart();
    // AppArmor 3.0 reads `mqueue r,` as a file rule on the relative path "mqueue"
    if (this.version === '3.0' && /^([rwaklmx]|[pc]?[iu]?x)+\s*(,|->)/i.test(after)) return false;
    if (t.value === 'mqueue') return true;
    return after.startsWith(',') || after.startsWith('(') || /^[a-z_]+[ \t]*[=(,]/.test(after);
  }

  generic(q: Qualifiers, start: number): GenericRule {
    const kw = this.next();
    this.noPeek();
    const raw = this.lx.rawUntilComma();
    const c = this.next();
    if (c.kind !== 'comma') this.missingComma(c, raw.end);
    return this.mark(
      {
        kind: 'generic',
        q,
        keyword: kw.value as GenericRule['keyword'],
        raw: raw.text,
        span: this.span(start, c.end),
      },
      start,
      c.end,
    );
  }

  /** owner/other are only meaningful for file rules. */
  noOwner(q: Qualifiers, what: string, start: number): void {
    if (q.owner)
      this.error('apparmor-bad-qualifier', `${q.owner} prefix not allowed on ${what} rules`, start);
  }

  /** capability: TOK_CAPABILITY caps TOK_END_OF_RULE */
  capability(q: Qualifiers, start: number): CapabilityRule {
    this.next();
    this.noOwner(q, 'capability', start);
    const names: string[] = [];
    let last = this.peek().start;
    for (;;) {
      const t = this.next();
      if (t.kind === 'comma') {
        return this.mark({ kind: 'capability', q, names, span: this.span(start, t.end) }, start, t.end);
      }
      if (!this.isId(t)) {
        if (t.kind === 'close' || t.kind === 'eof') this.missingComma(t, last);
        this.unexpected(t, 'a capability name or ","');
      }
      if (!CAPABILITIES.has(t.value))
        this.error('apparmor-unknown-capability', `invalid capability '${t.value}'`, t.start);
      names.push(t.value);
      last = t.end;
    }
  }

  /** network_rule: TOK_NETWORK [TOK_ID [TOK_ID]] TOK_END_OF_RULE (NETWORK_MODE) */
  network(q: Qualifiers, start: number): NetworkRule {
    const kw = this.next();
    this.noPeek();
    this.noOwner(q, 'network', start);
    const ids: Token[] = [];
    let last = kw.end;
    for (;;) {
      const t = this.lex(() => this.lx.network());
      if (t.kind === 'comma') {
        const [d, ty] = ids;
        if (d && !ty && !validNetworkSingle(d.value))
          this.error('apparmor-bad-network', `invalid network entry '${d.value}'`, d.start);
        if (d && ty && !validNetworkPair(d.value, ty.value))
          this.error('apparmor-bad-network', `invalid network entry '${d.value} ${ty.value}'`, d.start);
        const node: NetworkRule = {
          kind: 'network',
          q,
          ...(d ? { domain: d.value } : {}),
          ...(ty ? { type: ty.value } : {}),
          span: this.span(start, t.end),
        };
        return this.mark(node, start, t.end);
      }
      if (t.kind === 'eof') this.missingComma(t, last);
      if (ids.length === 2)
        this.fatal(
          'apparmor-unexpected-token',
          `unexpected '${t.raw}': a network rule takes at most a domain and a type in AppArmor 3.0`,
          t.start,
        );
      ids.push(t);
      last = t.end;
    }
  }

  // -------------------------------------------------------------- conditionals

  /** cond: TOK_CONDID (TOK_EQUALS TOK_VALUE | TOK_EQUALS ( valuelist ) | TOK_IN ( valuelist )) */
  cond(id: Token): Cond {
    const op = this.lex(() => this.lx.extcondOp());
    if (op.kind === 'eq-value') {
      const v = this.lex(() => this.lx.subValue());
      return { name: id.value, op: '=', values: [v.value], paren: false, span: this.span(id.start, v.end) };
    }
    let operator: '=' | 'in' = '=';
    if (op.kind === 'eq' || op.kind === 'in') {
      operator = op.kind === 'eq' ? '=' : 'in';
      const open = this.lex(() => this.lx.extcondOp());
      if (open.kind !== 'lparen')
        this.fatal('apparmor-unexpected-token', `expected a value after ${id.value}`, open.start);
    } else this.fatal('apparmor-unexpected-token', `expected '=' or 'in' after ${id.value}`, op.start);
    const values: string[] = [];
    for (;;) {
      const t = this.lex(() => this.lx.listValue());
      if (t.kind === 'rparen') {
        if (!values.length)
          this.fatal('apparmor-unexpected-token', `empty value list for ${id.value}`, t.start);
        return { name: id.value, op: operator, values, paren: true, span: this.span(id.start, t.end) };
      }
      if (t.kind === 'eof') this.unexpected(t, "')'");
      values.push(t.value);
    }
  }

  /** cond_list: TOK_CONDLISTID TOK_EQUALS TOK_OPENPAREN opt_conds TOK_CLOSEPAREN (LIST_COND_MODE) */
  condList(id: Token): CondList {
    const op = this.lex(() => this.lx.extcondOp());
    if (op.kind !== 'eq')
      this.fatal('apparmor-unexpected-token', `expected '=(' after ${id.value}`, op.start);
    const open = this.lex(() => this.lx.extcondOp());
    if (open.kind !== 'lparen')
      this.fatal('apparmor-unexpected-token', `expected '(' after ${id.value}=`, open.start);
    const conds: Cond[] = [];
    for (;;) {
      const t = this.lex(() => this.lx.listCond());
      if (t.kind === 'rparen') return { name: id.value, conds, span: this.span(id.start, t.end) };
      if (t.kind !== 'condid') this.unexpected(t, 'a conditional');
      const op2 = this.lex(() => this.lx.listCond());
      if (op2.kind === 'eq') {
        const v = this.lex(() => this.lx.listCondValue(false));
        conds.push({
          name: t.value,
          op: '=',
          values: [v.value],
          paren: false,
          span: this.span(t.start, v.end),
        });
      } else if (op2.kind === 'lparen') {
        const values: string[] = [];
        for (;;) {
          const v = this.lex(() => this.lx.listCondValue(true));
          if (v.kind === 'rparen') {
            conds.push({ name: t.value, op: '=', values, paren: true, span: this.span(t.start, v.end) });
            break;
          }
          values.push(v.value);
        }
      } else this.unexpected(op2, "'='");
    }
  }

  // -------------------------------------------------------------- mount family

  /**
   * mnt_rule: TOK_MOUNT opt_conds opt_id [TOK_ARROW opt_conds TOK_ID] TOK_END_OF_RULE
   *         | (TOK_REMOUNT|TOK_UMOUNT) opt_conds opt_id TOK_END_OF_RULE   (MOUNT_MODE)
   */
  mount(q: Qualifiers, start: number): MountRule {
    const kw = this.next();
    this.noPeek();
    this.noOwner(q, 'mount', start);
    const verb = kw.value === 'unmount' ? 'umount' : (kw.value as MountRule['verb']);
    const conds: Cond[] = [];
    let source: string | undefined;
    let target: string | undefined;
    let last = kw.end;
    let t = this.lex(() => this.lx.ext('mount'));
    while (t.kind === 'condid') {
      const c = this.cond(t);
      conds.push(c);
      last = this.offsetOfSpanEnd(c.span);
      t = this.lex(() => this.lx.ext('mount'));
    }
    if (t.kind === 'id') {
      source = t.value;
      last = t.end;
      t = this.lex(() => this.lx.ext('mount'));
    }
    if (verb === 'mount' && t.kind === 'arrow') {
      t = this.lex(() => this.lx.ext('mount'));
      if (t.kind === 'condid')
        this.fatal('apparmor-bad-conditional', 'mount point conditions not currently supported', t.start);
      if (t.kind !== 'id') this.unexpected(t, 'a mount point');
      target = t.value;
      last = t.end;
      t = this.lex(() => this.lx.ext('mount'));
    }
    if (t.kind !== 'comma') {
      if (t.kind === 'close' || t.kind === 'eof' || t.kind === 'id') this.missingComma(t, last);
      this.unexpected(t, "','");
    }
    for (const c of conds) {
      if (!MOUNT_CONDS.has(c.name))
        this.error(
          'apparmor-bad-conditional',
          `invalid mount conditional '${c.name}'`,
          this.offsetOf(c.span),
        );
      else if (c.name.startsWith('option'))
        for (const o of c.values)
          if (!MOUNT_OPTIONS.has(o))
            this.error('apparmor-bad-conditional', `unsupported mount option '${o}'`, this.offsetOf(c.span));
    }
    if (verb !== 'mount') {
      // remount/umount: the single id is the mount point
      target = source;
      source = undefined;
    }
    const node: MountRule = {
      kind: 'mount',
      q,
      verb,
      conds,
      ...(source !== undefined ? { source } : {}),
      ...(target !== undefined ? { target } : {}),
      span: this.span(start, t.end),
    };
    return this.mark(node, start, t.end);
  }

  offsetOf(span: Span): number {
    return this.lineColToOffset(span.line, span.column);
  }
  offsetOfSpanEnd(span: Span): number {
    return this.lineColToOffset(span.endLine, span.endColumn);
  }
  lineColToOffset(line: number, column: number): number {
    let off = 0;
    for (let l = 1; l < line; l++) off = this.src.indexOf('\n', off) + 1;
    return off + column - 1;
  }

  /** TOK_PIVOTROOT opt_conds opt_id opt_target TOK_END_OF_RULE — lexed in the main state. */
  pivotRoot(q: Qualifiers, start: number): PivotRootRule {
    const kw = this.next();
    this.noOwner(q, 'mount', start);
    const conds: Cond[] = [];
    let last = kw.end;
    let t = this.next();
    while (t.kind === 'condid') {
      this.noPeek();
      const c = this.cond(t);
      conds.push(c);
      last = this.offsetOfSpanEnd(c.span);
      t = this.next();
    }
    let newRoot: string | undefined;
    let profile: string | undefined;
    if (this.isId(t)) {
      newRoot = t.value;
      last = t.end;
      t = this.next();
    }
    if (t.kind === 'arrow') {
      this.noPeek();
      const p = this.lex(() => this.lx.subId(true));
      profile = p.value;
      last = p.end;
      t = this.next();
    }
    if (t.kind !== 'comma') this.missingComma(t, last);
    for (const c of conds)
      if (c.name !== 'oldroot')
        this.error(
          'apparmor-bad-conditional',
          `invalid pivot_root conditional '${c.name}'`,
          this.offsetOf(c.span),
        );
    const node: PivotRootRule = {
      kind: 'pivot_root',
      q,
      conds,
      ...(newRoot !== undefined ? { newRoot } : {}),
      ...(profile !== undefined ? { profile } : {}),
      span: this.span(start, t.end),
    };
    return this.mark(node, start, t.end);
  }

  // -------------------------------------------------------------- ptrace, signal, dbus, unix

  /** X_rule: TOK_X opt_X_perm opt_conds [opt_cond_list] TOK_END_OF_RULE */
  permCond(q: Qualifiers, start: number): PermCondRule {
    const kw = this.next();
    this.noPeek();
    const kind = kw.value as PermCondRule['kind'];
    this.noOwner(q, kind, start);
    const perms: string[] = [];
    const permToks: Token[] = [];
    let permsParen = false;
    let last = kw.end;
    let t = this.lex(() => this.lx.ext(kind));
    if (t.kind === 'lparen') {
      permsParen = true;
      for (;;) {
        const v = this.lex(() => this.lx.listValue());
        if (v.kind === 'rparen') {
          last = v.end;
          break;
        }
        if (v.kind === 'eof') this.unexpected(v, "')'");
        perms.push(v.value);
        permToks.push(v);
      }
      t = this.lex(() => this.lx.ext(kind));
    } else if (t.kind === 'word' || t.kind === 'mode') {
      perms.push(t.value);
      permToks.push(t);
      last = t.end;
      t = this.lex(() => this.lx.ext(kind));
    }
    const conds: Cond[] = [];
    while (t.kind === 'condid') {
      const c = this.cond(t);
      conds.push(c);
      last = this.offsetOfSpanEnd(c.span);
      t = this.lex(() => this.lx.ext(kind));
    }
    let peer: CondList | undefined;
    if (t.kind === 'condlistid' && (kind === 'dbus' || kind === 'unix')) {
      peer = this.condList(t);
      if (peer.name !== 'peer')
        this.error(
          'apparmor-bad-conditional',
          `${kind} rule: invalid conditional group ${peer.name}=()`,
          t.start,
        );
      last = this.offsetOfSpanEnd(peer.span);
      t = this.lex(() => this.lx.ext(kind));
    }
    if (t.kind !== 'comma') {
      if (t.kind === 'close' || t.kind === 'eof') this.missingComma(t, last);
      this.unexpected(t, "','");
    }
    this.checkPermCond(kind, perms, permToks, conds, peer);
    const node: PermCondRule = {
      kind,
      q,
      perms,
      permsParen,
      conds,
      ...(peer ? { peer } : {}),
      span: this.span(start, t.end),
    };
    return this.mark(node, start, t.end);
  }

  checkPermCond(
    kind: PermCondRule['kind'],
    perms: string[],
    toks: Token[],
    conds: Cond[],
    peer?: CondList,
  ): void {
    perms.forEach((p, i) => {
      const ok = RULE_PERMS[kind].has(p) || /^[rw]+$/.test(p);
      if (!ok)
        this.error(
          'apparmor-unknown-permission',
          `unknown ${kind} permission '${p}'`,
          (toks[i] as Token).start,
        );
    });
    const allowed = RULE_CONDS[kind];
    for (const c of conds) {
      const at = this.offsetOf(c.span);
      if (!allowed.local.has(c.name)) {
        this.error('apparmor-bad-conditional', `invalid ${kind} conditional '${c.name}'`, at);
        continue;
      }
      if (c.op === 'in' && kind !== 'unix')
        this.error('apparmor-bad-conditional', `keyword "in" is not allowed in ${kind} rules`, at);
      if (kind === 'dbus' && c.values.length > 1)
        this.error(
          'apparmor-bad-conditional',
          `dbus conditional '${c.name}' only supports a single value`,
          at,
        );
      if (kind === 'signal' && c.name === 'set')
        for (const s of c.values)
          if (!validSignal(s)) this.error('apparmor-unknown-signal', `unknown signal '${s}'`, at);
      if (kind === 'unix' && c.name === 'addr')
        for (const a of c.values)
          if (!(a.startsWith('@') || a === 'none' || a === 'auto'))
            this.error('apparmor-bad-conditional', `unix rule: invalid value for addr='${a}'`, at);
    }
    for (const c of peer?.conds ?? []) {
      if (!allowed.peer.has(c.name))
        this.error(
          'apparmor-bad-conditional',
          `invalid ${kind} peer conditional '${c.name}'`,
          this.offsetOf(c.span),
        );
    }
    const at = toks[0]?.start ?? (conds[0] ? this.offsetOf(conds[0].span) : 0);
    const has = (...ps: string[]) =>
      perms.some(
        (p) =>
          ps.includes(p) ||
          (/^[rw]+$/.test(p) &&
            ps.some((x) => p.includes(x[0] as string) && (x === 'read' || x === 'write'))),
      );
    if (kind === 'unix' && peer?.conds.length && perms.length) {
      // unix_rule: only connect/accept/send/receive make sense towards a peer (AA_PEER_NET_PERMS)
      const local = perms.filter((p) =>
        ['create', 'shutdown', 'setattr', 'getattr', 'bind', 'listen', 'setopt', 'getopt'].includes(p),
      );
      if (local.length)
        this.error(
          'apparmor-bad-permission',
          `unix permission(s) ${local.join(', ')} cannot be used with peer conditionals`,
          at,
        );
    }
    if (kind === 'dbus') {
      // dbus_rule: message conditionals vs service (subject name) conditionals
      const subjectName = conds.some((c) => c.name === 'name');
      const message =
        conds.some((c) => ['path', 'interface', 'member'].includes(c.name)) || (peer?.conds.length ?? 0) > 0;
      if (message && subjectName)
        this.error(
          'apparmor-bad-conditional',
          'dbus rule mixes message conditionals and service conditionals',
          at,
        );
      else if (perms.length) {
        if (message && has('bind'))
          this.error(
            'apparmor-bad-permission',
            'dbus "bind" access cannot be used with message rule conditionals',
            at,
          );
        else if (subjectName && has('send', 'receive', 'read', 'write'))
          this.error(
            'apparmor-bad-permission',
            'dbus "send"/"receive" cannot be used with service rule conditionals',
            at,
          );
        else if (has('eavesdrop') && (message || subjectName))
          this.error(
            'apparmor-bad-permission',
            'dbus "eavesdrop" access can only contain a bus conditional',
            at,
          );
      }
    }
  }

  /** change_profile: TOK_CHANGE_PROFILE opt_exec_mode opt_id opt_named_transition TOK_END_OF_RULE */
  changeProfile(q: Qualifiers, start: number): ChangeProfileRule {
    const kw = this.next();
    this.noPeek();
    this.noOwner(q, 'change_profile', start);
    let last = kw.end;
    let t = this.lex(() => this.lx.changeProfile());
    let execMode: 'safe' | 'unsafe' | undefined;
    let exec: string | undefined;
    let target: string | undefined;
    if (t.kind === 'word') {
      execMode = t.value as 'safe' | 'unsafe';
      last = t.end;
      t = this.lex(() => this.lx.changeProfile());
    }
    if (t.kind === 'id') {
      exec = t.value;
      if (!(exec.startsWith('/') || exec.startsWith('@{')))
        this.error('apparmor-bad-exec-mode', "change_profile exec condition must begin with '/'", t.start);
      last = t.end;
      t = this.lex(() => this.lx.changeProfile());
    }
    if (t.kind === 'arrow') {
      const id = this.lex(() => this.lx.subId(true));
      target = id.value;
      last = id.end;
      t = this.lex(() => this.lx.changeProfile());
    }
    if (t.kind !== 'comma') this.missingComma(t, last);
    if (execMode && !exec)
      this.error(
        'apparmor-bad-exec-mode',
        'an exec condition is required when unsafe or safe keywords are present',
        start,
      );
    const node: ChangeProfileRule = {
      kind: 'change_profile',
      q,
      ...(execMode ? { execMode } : {}),
      ...(exec !== undefined ? { exec } : {}),
      ...(target !== undefined ? { target } : {}),
      span: this.span(start, t.end),
    };
    return this.mark(node, start, t.end);
  }

  /** TOK_SET TOK_RLIMIT TOK_ID TOK_LE TOK_VALUE opt_id TOK_END_OF_RULE */
  rlimitRule(): RlimitRule {
    const set = this.next();
    const r = this.next();
    if (!this.isWord(r, 'rlimit')) this.unexpected(r, "'rlimit'");
    this.noPeek();
    const res = this.lex(() => this.lx.rlimit());
    if (res.kind !== 'id') this.unexpected(res, 'an rlimit name');
    const le = this.lex(() => this.lx.rlimit());
    if (le.kind !== 'le') this.unexpected(le, "'<='");
    const val = this.lex(() => this.lx.rlimit());
    if (val.kind !== 'value') this.unexpected(val, 'an rlimit value');
    let t = this.lex(() => this.lx.rlimit());
    let unit: string | undefined;
    let last = val.end;
    if (t.kind === 'id') {
      unit = t.value;
      last = t.end;
      t = this.lex(() => this.lx.rlimit());
    }
    if (t.kind !== 'comma') this.missingComma(t, last);
    this.checkRlimit(res, val.value, unit);
    const node: RlimitRule = {
      kind: 'rlimit',
      resource: res.value,
      value: val.value,
      ...(unit ? { unit } : {}),
      span: this.span(set.start, t.end),
    };
    return this.mark(node, set.start, t.end);
  }

  checkRlimit(res: Token, value: string, unit?: string): void {
    const kind = RLIMITS[res.value];
    const bad = (why: string) => this.error('apparmor-bad-rlimit', `rlimit ${res.value}: ${why}`, res.start);
    if (!kind) {
      bad('unknown rlimit');
      return;
    }
    if (value === 'infinity') return;
    const n = Number(value);
    switch (kind) {
      case 'count':
        if (unit || n < 0) bad(`invalid value ${value}${unit ? ` ${unit}` : ''}`);
        break;
      case 'nice':
        if (unit) bad(`invalid value ${value} ${unit}`);
        else if (n < -20 || n > 19) bad(`out of range (-20 .. 19): ${value}`);
        break;
      case 'size':
        if (n < 0) bad(`invalid value ${value}`);
        else if (unit && !['KB', 'MB', 'GB'].some((u) => u.startsWith(unit))) bad(`invalid unit ${unit}`);
        break;
      case 'time':
      case 'rttime': {
        const units = [
          'us',
          'microsecond',
          'microseconds',
          'ms',
          'millisecond',
          'milliseconds',
          's',
          'sec',
          'second',
          'seconds',
          'min',
          'minute',
          'minutes',
          'h',
          'hour',
          'hours',
          'd',
          'day',
          'days',
          'week',
          'weeks',
        ];
        if (n < 0) bad(`invalid value ${value}`);
        else if (unit && !units.includes(unit)) bad(`invalid unit ${unit}`);
        break;
      }
    }
  }

  /** cond_rule: TOK_IF expr TOK_OPEN rules TOK_CLOSE [TOK_ELSE (TOK_OPEN rules TOK_CLOSE | cond_rule)] */
  ifRule(): IfNode {
    const kw = this.next();
    const expr = this.boolExpr();
    const open = this.next();
    if (open.kind !== 'open') this.unexpected(open, "'{'");
    const then = this.rules('close');
    let close = this.next();
    this.listRanges.set(then, [open.start, close.end]);
    let els: IfNode['else'];
    const e = this.peek();
    if (this.isWord(e, 'else')) {
      this.next();
      const n = this.peek();
      if (this.isWord(n, 'if')) {
        els = this.ifRule();
        close = { ...close, end: this.rangeOf(els)?.[1] ?? close.end };
      } else {
        const o = this.next();
        if (o.kind !== 'open') this.unexpected(o, "'{' or 'if'");
        els = this.rules('close');
        close = this.next();
        this.listRanges.set(els, [o.start, close.end]);
      }
    }
    const node: IfNode = {
      kind: 'if',
      expr,
      then,
      ...(els ? { else: els } : {}),
      span: this.span(kw.start, close.end),
    };
    return this.mark(node, kw.start, close.end);
  }

  boolExpr(): BoolExpr {
    const t = this.next();
    if (this.isWord(t, 'not')) return { kind: 'not', expr: this.boolExpr() };
    if (t.kind === 'boolvar') return { kind: 'var', name: varName(t.raw) };
    if (this.isWord(t, 'defined')) {
      const v = this.next();
      if (v.kind === 'setvar') return { kind: 'defined', name: varName(v.raw), sigil: '@' };
      if (v.kind === 'boolvar') return { kind: 'defined', name: varName(v.raw), sigil: '$' };
      this.unexpected(v, 'a variable');
    }
    this.unexpected(t, 'a condition');
  }

  /** link_rule: TOK_LINK opt_subset_flag id_or_var TOK_ARROW id_or_var TOK_END_OF_RULE */
  link(q: Qualifiers, start: number): LinkRule {
    this.next();
    let t = this.next();
    let subset = false;
    if (this.isWord(t, 'subset')) {
      subset = true;
      t = this.next();
    }
    if (!(this.isId(t) || t.kind === 'setvar')) this.unexpected(t, 'a path');
    const path = t.kind === 'setvar' ? t.raw : t.value;
    const arrow = this.next();
    if (arrow.kind !== 'arrow') this.unexpected(arrow, "'->'");
    this.noPeek();
    const target = this.lex(() => this.lx.subId(true));
    const c = this.next();
    if (c.kind !== 'comma') this.missingComma(c, target.end);
    this.checkQualifiedPerms(q, { access: 'l' }, start);
    return this.mark(
      { kind: 'link', q, subset, path, target: target.value, span: this.span(start, c.end) },
      start,
      c.end,
    );
  }

  /**
   * file_rule: TOK_FILE TOK_END_OF_RULE | opt_file file_rule_tail
   * file_rule_tail: opt_exec_mode frule
   * frule: id_or_var file_mode opt_named_transition TOK_END_OF_RULE
   *      | file_mode opt_subset_flag id_or_var opt_named_transition TOK_END_OF_RULE
   */
  fileRule(prefix: Prefix, pathTok?: Token): FileRule {
    const q = prefix.q;
    let t = pathTok ?? this.next();
    const start = prefix.start?.start ?? t.start;
    let fileKeyword = false;
    if (this.isWord(t, 'file')) {
      fileKeyword = true;
      t = this.next();
      if (t.kind === 'comma') {
        const node: FileRule = {
          kind: 'file',
          q,
          fileKeyword: true,
          access: '',
          subset: false,
          span: this.span(start, t.end),
        };
        // `file,` grants rwlkm + ix: deny of it trips the "qualified x in deny rule" check
        if (q.access === 'deny')
          this.error(
            'apparmor-bad-exec-mode',
            "'deny file,' is invalid: 'file,' implies 'ix' and deny rules must not carry exec qualifiers",
            start,
          );
        return this.mark(node, start, t.end);
      }
    }
    let execMode: 'safe' | 'unsafe' | undefined;
    if (this.isWord(t, 'safe', 'unsafe')) {
      execMode = t.value as 'safe' | 'unsafe';
      t = this.next();
    }
    let path: string;
    let modeTok: Token;
    let subset = false;
    let permsFirst = false;
    if (t.kind === 'mode') {
      permsFirst = true;
      modeTok = t;
      let n = this.next();
      if (this.isWord(n, 'subset')) {
        subset = true;
        n = this.next();
      }
      if (!(this.isId(n) || n.kind === 'setvar')) this.unexpected(n, 'a path');
      path = n.kind === 'setvar' ? n.raw : n.value;
    } else if (this.isId(t) || t.kind === 'setvar') {
      path = t.kind === 'setvar' ? t.raw : t.value;
      const m = this.next();
      if (m.kind !== 'mode') {
        if (m.kind === 'word' || m.kind === 'id') {
          // the real lexer only makes a MODE token out of known letters followed by space or ','
          if (/^([rwaklmx]|[pc]?[iu]?x)+$/i.test(m.raw) && m.kind === 'word')
            this.missingComma(this.peek(), m.end);
          this.fatal('apparmor-unknown-permission', `unknown file permission(s) '${m.raw}'`, m.start);
        }
        if (m.kind === 'comma' || m.kind === 'close')
          this.fatal('apparmor-missing-permission', `file rule for '${path}' has no permissions`, m.start);
        this.unexpected(m, 'file permissions');
      }
      modeTok = m;
    } else {
      if (t.kind === 'word' && !this.isId(t)) this.unexpected(t, 'a rule');
      this.unexpected(t, 'a rule');
    }
    const mode = parseFileMode(modeTok.raw);
    for (const e of mode.errors)
      this.error(
        e.startsWith('unknown')
          ? 'apparmor-unknown-permission'
          : e.startsWith('exec')
            ? 'apparmor-bad-exec-mode'
            : 'apparmor-bad-permission',
        e,
        modeTok.start,
      );
    if ([...modeTok.raw].some((c) => 'RWLMXI'.includes(c)))
      this.warn('apparmor-uppercase-permission', `upper-case permission in '${modeTok.raw}'`, modeTok.start);
    let last = this.peekEndOfPath(modeTok);
    let arrowTarget: string | undefined;
    let c = this.next();
    if (c.kind === 'arrow') {
      this.noPeek();
      const tt = this.lex(() => this.lx.subId(true));
      arrowTarget = tt.value;
      last = tt.end;
      c = this.next();
    }
    if (c.kind !== 'comma') {
      if (c.kind === 'mode' || this.isId(c) || c.kind === 'close' || c.kind === 'eof')
        this.missingComma(c, last);
      this.unexpected(c, "','");
    }
    const isLink = permsFirst && mode.access.includes('l');
    const node: FileRule = {
      kind: 'file',
      q,
      fileKeyword,
      path,
      access: mode.access,
      ...(mode.exec ? { exec: mode.exec } : {}),
      ...(execMode ? { execMode } : {}),
      ...(arrowTarget !== undefined && !isLink ? { target: arrowTarget } : {}),
      ...(arrowTarget !== undefined && isLink ? { linkTarget: arrowTarget } : {}),
      subset,
      span: this.span(start, c.end),
    };
    if (subset && (mode.access !== 'l' || mode.exec))
      this.error('apparmor-bad-permission', 'subset can only be used with link rules', modeTok.start);
    if (isLink && arrowTarget !== undefined && mode.exec)
      this.error(
        'apparmor-bad-permission',
        'link and exec perms conflict on a file rule using ->',
        modeTok.start,
      );
    if (execMode && !mode.exec)
      this.error('apparmor-bad-exec-mode', `${execMode} rule missing exec permissions`, start);
    this.checkQualifiedPerms(q, node, start);
    return this.mark(node, start, c.end);
  }

  private peekEndOfPath(modeTok: Token): number {
    return modeTok.end;
  }

  /** The checks of `rules: rules opt_prefix rule` on exec bits. */
  checkQualifiedPerms(
    q: Qualifiers,
    r: { exec?: string; target?: string; access: string },
    start: number,
  ): void {
    if (!r.exec) return;
    if (q.access === 'deny' && r.exec !== 'x')
      this.error(
        'apparmor-bad-exec-mode',
        `invalid mode '${r.exec}': in deny rules 'x' must not be preceded by an exec qualifier`,
        start,
      );
    else if (q.access !== 'deny' && r.exec === 'x' && r.target === undefined)
      this.error(
        'apparmor-bad-exec-mode',
        "invalid mode 'x': it must be preceded by an exec qualifier (i, p, c or u)",
        start,
      );
  }

  /** `rules opt_prefix { rules }` re-checks exec bits of the inner rules with the block's qualifiers. */
  checkBlockExec(items: BlockItem[], q: Qualifiers): void {
    if (q.access !== 'deny') return;
    for (const it of items) {
      if (it.kind === 'file' && it.exec && it.exec !== 'x')
        this.error(
          'apparmor-bad-exec-mode',
          'exec qualifiers are not allowed in a deny block',
          this.offsetOf(it.span),
        );
    }
  }
}

function varName(raw: string): string {
  const s = raw.slice(1);
  return s.startsWith('{') ? s.slice(1, -1) : s;
}

interface InnerList {
  items: (TopItem | BlockItem)[];
  range: [number, number];
}
