/**
 * Canonical printer for AppArmor policy ASTs: one rule per line, two-space indents, file
 * permissions in the order apparmor's own tools write them (`m r w a l k`, then the exec mode;
 * utils/apparmor/rule/file.py `file_permissions`), `include` instead of `#include`, path before
 * permissions unless the rule is a perms-first link pair, quotes only where a bare word would not
 * read back as the same value. parse(print(ast)) equals ast (spans aside).
 */
import type {
  BlockItem,
  BoolExpr,
  Cond,
  CondList,
  FileRule,
  IfNode,
  PolicyFile,
  ProfileNode,
  Qualifiers,
  Rule,
  TopItem,
} from './ast.js';

const INDENT = '  ';

/** Characters that end a bare ID in the main lexer state (ID_CHARS excludes them). */
const NEEDS_QUOTE = /[\s"!]|,(?=[\s"!,]|$)|^$/;

function escapeQuoted(v: string): string {
  return v.replace(/"/g, '\\"');
}

/** A value read back by processid(): bare when it lexes as one ID with the same value. */
export function quoteIfNeeded(v: string, extra?: RegExp): string {
  if (NEEDS_QUOTE.test(v) || (extra?.test(v) ?? false) || /\\$/.test(v)) return `"${escapeQuoted(v)}"`;
  return v;
}

/** Paths, attachments and other main-state ids: a quoted label must start with / @ : &. */
function label(v: string): string {
  return quoteIfNeeded(v);
}

/** Values in parenthesised lists cannot hold bare parentheses. */
function listValue(v: string): string {
  return quoteIfNeeded(v, /[()]/);
}

/** Values after `name=` (IDS_NOEQ state for the rule classes): no bare '=' or ')'. */
function condValue(v: string): string {
  return quoteIfNeeded(v, /[=()]/);
}

export function printQualifiers(q: Qualifiers): string {
  return [q.audit ? 'audit' : '', q.access ?? '', q.owner ?? ''].filter(Boolean).join(' ');
}

function withQ(q: Qualifiers, body: string): string {
  const p = printQualifiers(q);
  return p ? `${p} ${body}` : body;
}

export function printCond(c: Cond): string {
  if (c.op === 'in') return `${c.name} in (${c.values.map(listValue).join(' ')})`;
  if (c.paren) return `${c.name}=(${c.values.map(listValue).join(' ')})`;
  return `${c.name}=${condValue(c.values[0] ?? '')}`;
}

function printCondList(l: CondList): string {
  const inner = l.conds.map((c) =>
    c.paren
      ? `${c.name}=(${c.values.map(listValue).join(' ')})`
      : `${c.name}=${listValue(c.values[0] ?? '')}`,
  );
  return `${l.name}=(${inner.join(' ')})`;
}

export function filePerms(r: Pick<FileRule, 'access' | 'exec'>): string {
  return r.access + (r.exec ?? '');
}

/** One rule, without indentation, ending in ','. */
export function printRule(r: Rule): string {
  switch (r.kind) {
    case 'file': {
      const head = [r.fileKeyword ? 'file' : '', r.execMode ?? ''].filter(Boolean);
      if (r.path === undefined) return withQ(r.q, 'file,');
      const perms = filePerms(r);
      let body: string;
      if (r.linkTarget !== undefined || r.subset) {
        body = [...head, perms, r.subset ? 'subset' : '', label(r.path)].filter(Boolean).join(' ');
        if (r.linkTarget !== undefined) body += ` -> ${label(r.linkTarget)}`;
      } else {
        body = [...head, label(r.path), perms].join(' ');
        if (r.target !== undefined) body += ` -> ${label(r.target)}`;
      }
      return withQ(r.q, `${body},`);
    }
    case 'link':
      return withQ(r.q, `link ${r.subset ? 'subset ' : ''}${label(r.path)} -> ${label(r.target)},`);
    case 'capability':
      return withQ(r.q, `${['capability', ...r.names].join(' ')},`);
    case 'network':
      return withQ(r.q, `${['network', r.domain ?? '', r.type ?? ''].filter(Boolean).join(' ')},`);
    case 'mount': {
      const parts: string[] = [r.verb, ...r.conds.map(printCond)];
      if (r.verb === 'mount') {
        if (r.source !== undefined) parts.push(condValue(r.source));
        if (r.target !== undefined) parts.push('->', condValue(r.target));
      } else if (r.target !== undefined) parts.push(condValue(r.target));
      return withQ(r.q, `${parts.join(' ')},`);
    }
    case 'pivot_root': {
      const parts: string[] = ['pivot_root', ...r.conds.map(printCond)];
      if (r.newRoot !== undefined) parts.push(label(r.newRoot));
      if (r.profile !== undefined) parts.push('->', label(r.profile));
      return withQ(r.q, `${parts.join(' ')},`);
    }
    case 'ptrace':
    case 'signal':
    case 'dbus':
    case 'unix': {
      const parts: string[] = [r.kind];
      if (r.permsParen) parts.push(`(${r.perms.map(listValue).join(', ')})`);
      else if (r.perms.length) parts.push(r.perms.join(' '));
      parts.push(...r.conds.map(printCond));
      if (r.peer) parts.push(printCondList(r.peer));
      return withQ(r.q, `${parts.join(' ')},`);
    }
    case 'change_profile': {
      const parts: string[] = ['change_profile'];
      if (r.execMode) parts.push(r.execMode);
      if (r.exec !== undefined) parts.push(label(r.exec));
      if (r.target !== undefined) parts.push('->', label(r.target));
      return withQ(r.q, `${parts.join(' ')},`);
    }
    case 'rlimit':
      return `set rlimit ${r.resource} <= ${r.value}${r.unit ? ` ${r.unit}` : ''},`;
    case 'generic':
      return withQ(r.q, `${r.keyword}${r.raw ? ` ${r.raw}` : ''},`);
  }
}

function printExpr(e: BoolExpr): string {
  switch (e.kind) {
    case 'var':
      return `\${${e.name}}`;
    case 'not':
      return `not ${printExpr(e.expr)}`;
    case 'defined':
      return `defined ${e.sigil}{${e.name}}`;
  }
}

function profileHeader(p: ProfileNode): string {
  let head: string;
  const name = quoteIfNeeded(p.name);
  if (p.keyword === '^') head = `^${name}`;
  else if (p.keyword) head = `${p.keyword} ${name}`;
  else head = name;
  if (p.attachment !== undefined)
    head += ` ${p.attachment.startsWith('@{') && !/\s/.test(p.attachment) ? p.attachment : label(p.attachment)}`;
  if (p.xattrs) head += ` ${printCondList(p.xattrs)}`;
  if (p.flags) head += ` ${p.flagsKeyword ? 'flags=' : ''}(${p.flags.map(listValue).join(',')})`;
  return `${head} {`;
}

class Out {
  readonly lines: string[] = [];
  line(depth: number, s: string): void {
    this.lines.push(INDENT.repeat(depth) + s);
  }
  /** Trailing comments go on the previous line, where they were written. */
  trailing(depth: number, text: string): void {
    const last = this.lines.length - 1;
    if (last >= 0) this.lines[last] += ` ${text}`;
    else this.line(depth, text);
  }
}

function printItems(out: Out, items: (TopItem | BlockItem)[], depth: number): void {
  for (const it of items) printItem(out, it, depth);
}

function printItem(out: Out, it: TopItem | BlockItem, depth: number): void {
  switch (it.kind) {
    case 'comment':
      if (it.trailing) out.trailing(depth, it.text);
      else out.line(depth, it.text);
      return;
    case 'include': {
      const target = it.search ? `<${it.path}>` : `"${escapeQuoted(it.path)}"`;
      out.line(depth, `include ${it.ifExists ? 'if exists ' : ''}${target}`);
      return;
    }
    case 'abi':
      out.line(depth, `abi ${it.search ? `<${it.path}>` : `"${escapeQuoted(it.path)}"`},`);
      return;
    case 'variable':
      out.line(depth, `@{${it.name}} ${it.op} ${it.values.map((v) => quoteIfNeeded(v)).join(' ')}`);
      return;
    case 'boolean':
      out.line(depth, `\${${it.name}} = ${it.value}`);
      return;
    case 'alias':
      out.line(depth, `alias ${label(it.from)} -> ${label(it.to)},`);
      return;
    case 'profile':
      out.line(depth, profileHeader(it));
      printItems(out, it.items, depth + 1);
      out.line(depth, '}');
      return;
    case 'block': {
      const q = printQualifiers(it.q);
      out.line(depth, q ? `${q} {` : '{');
      printItems(out, it.items, depth + 1);
      out.line(depth, '}');
      return;
    }
    case 'if':
      printIf(out, it, depth, 'if');
      return;
    default:
      out.line(depth, printRule(it));
  }
}

function printIf(out: Out, it: IfNode, depth: number, lead: string): void {
  out.line(depth, `${lead} ${printExpr(it.expr)} {`);
  printItems(out, it.then, depth + 1);
  if (!it.else) {
    out.line(depth, '}');
    return;
  }
  if (Array.isArray(it.else)) {
    out.line(depth, '} else {');
    printItems(out, it.else, depth + 1);
    out.line(depth, '}');
    return;
  }
  // `} else if ... {`: the closing brace shares the line with the next branch
  const inner = new Out();
  printIf(inner, it.else, depth, 'else if');
  const [first, ...rest] = inner.lines;
  out.line(depth, `} ${(first ?? '').trimStart()}`);
  out.lines.push(...rest);
}

/** Print a whole policy file (or included fragment) canonically; ends with a newline. */
export function printPolicy(ast: PolicyFile): string {
  const out = new Out();
  let prevKind: string | undefined;
  for (const it of ast.items) {
    const isProfile = it.kind === 'profile';
    const trailingComment = it.kind === 'comment' && it.trailing;
    // a blank line around top-level profiles
    if (
      !trailingComment &&
      prevKind !== undefined &&
      (isProfile || prevKind === 'profile') &&
      ast.context === 'top'
    )
      out.lines.push('');
    printItem(out, it, 0);
    if (!trailingComment) prevKind = it.kind;
  }
  return `${out.lines.join('\n')}\n`;
}
