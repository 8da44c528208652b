/**
 * Builder for generated AppArmor profiles. Every name and path that may come from user input goes
 * through a validating/escaping helper and comes out as a `Token` — the only thing the rule
 * functions paste into profile text — so input can never end a rule, open a block, start a
 * comment, expand a variable or add a rule.
 *
 * Escaping (checked against apparmor_parser 3.0.8 and our parser/lexer):
 * - Values are written inside double quotes. In a quoted id (QUOTED_ID `"([^\0"]|\\")*"`) only
 *   `\"` and the closing quote matter to the lexer; after that, processunquoted() resolves
 *   `\\ \" \t \r \NNN ...` and keeps `\` before the glob characters `* ? [ ] { } ^ , \` so the
 *   regex backend reads them literally.
 * - `pathGlob(literal)`: `\` → `\134`, `"` → `\042` (octal: see OCTAL), each of `* ? [ ] { } ^ , # @` → `\c`; tab → `\t`,
 *   CR → `\r`, other C0 controls and DEL → three-digit octal `\NNN`; space and other characters
 *   (unicode included) stay as they are inside the quotes. NUL and newline are refused. Since `{`
 *   is always escaped, `@{...}` can never form a variable reference.
 * - `profileName(s)`: refused unless it matches `[A-Za-z0-9_][A-Za-z0-9_.+-]*` (≤ 255 chars): no
 *   spaces, braces, commas, `#`, quotes, NUL, `/`, `:` (namespace syntax) or glob characters, so
 *   the same name is safe both as a profile name and as a `peer=` label (an AARE).
 * - `quoted(s)`: a general double-quoted value (octal-escapes `\` and `"`, escapes controls; refuses NUL and
 *   newline). Glob characters keep their meaning — use pathGlob() for literal paths.
 */
import { BreakwaterError } from '../errors.js';
import { parseFileMode } from './parser.js';
import {
  CAPABILITIES,
  CONFLICTING_FLAGS,
  MOUNT_OPTIONS,
  PROFILE_MODES,
  PROFILE_PATH_FLAGS,
  RULE_PERMS,
  SOCKET_TYPES,
  validNetworkPair,
  validNetworkSingle,
  validSignal,
} from './tables.js';

/** Input the builder refuses to render; `code` says which check failed. */
export class ProfileBuilderError extends BreakwaterError {
  constructor(
    message: string,
    code: string,
    readonly input?: string,
  ) {
    super(message, code);
  }
}

const BRAND: unique symbol = Symbol('apparmor-token');

/** Text that is safe to paste into a profile as one token. Only this module creates them. */
export class Token {
  readonly [BRAND] = true;
  private constructor(
    /** The text written into the profile. */
    readonly text: string,
    /** What the caller asked for (a literal path, a name, a pattern). */
    readonly source: string,
  ) {}
  /** @internal */
  static make(text: string, source: string): Token {
    return new Token(text, source);
  }
  toString(): string {
    return this.text;
  }
}

const MAX_NAME = 255;
const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;

function fail(code: string, message: string, input?: string): never {
  throw new ProfileBuilderError(message, code, input);
}

function show(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}

/** Escape a control character (never NUL or newline: callers refuse those first). */
function escapeControl(c: string): string {
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`;
}

const isControl = (c: string): boolean => {
  const n = c.charCodeAt(0);
  return n < 0x20 || n === 0x7f;
};

function refuseNulNewline(s: string, what: string): void {
  if (s.includes('\0')) fail('apparmor-builder-nul', `${what} contains a NUL character: ${show(s)}`, s);
  if (s.includes('\n')) fail('apparmor-builder-newline', `${what} contains a newline: ${show(s)}`, s);
}

/** A profile (or peer label) name; refused unless it is a plain name. Rendered quoted. */
export function profileName(s: string): Token {
  if (typeof s !== 'string' || s.length === 0) fail('apparmor-builder-name', 'profile name is empty', s);
  if (s.length > MAX_NAME) fail('apparmor-builder-name', `profile name longer than ${MAX_NAME}`, s);
  if (!NAME_RE.test(s))
    fail(
      'apparmor-builder-name',
      `profile name ${show(s)} may only hold letters, digits, '_', '.', '+', '-' (and not start with '.', '+', '-')`,
      s,
    );
  return Token.make(`"${s}"`, s);
}

/** Label for `peer=`: a validated profile name or `unconfined`. */
export function peerLabel(s: string): Token {
  return profileName(s);
}

/** A double-quoted value; `\`, `"` and control characters escaped; NUL and newline refused. */
export function quoted(s: string): Token {
  refuseNulNewline(s, 'value');
  let out = '';
  for (const c of s) {
    if (c === '\\' || c === '"') out += OCTAL[c];
    else if (isControl(c)) out += escapeControl(c);
    else out += c;
  }
  return Token.make(`"${out}"`, s);
}

/**
 * `\` and `"` are written as octal escapes: flex's QUOTED_ID treats any `\"` as an escaped
 * quote, so `"/a\\"` (a path ending in a backslash) would run on past its closing quote. The
 * octal forms never put a backslash next to a quote; processunquoted() turns `\134` into the
 * glob-escaped backslash `\\` and `\042` into a literal `"`.
 */
const OCTAL: Record<string, string> = { '\\': '\\134', '"': '\\042' };

/** Characters with a meaning in AppArmor globs (or a rule) that pathGlob() escapes. */
export const GLOB_SPECIAL = '*?[]{}^,#@\\"';

/** A literal absolute path that matches only itself. */
export function pathGlob(literalPath: string): Token {
  if (typeof literalPath !== 'string' || !literalPath.startsWith('/'))
    fail('apparmor-builder-path', `path ${show(String(literalPath))} is not absolute`, literalPath);
  refuseNulNewline(literalPath, 'path');
  let out = '';
  for (const c of literalPath) {
    if (c === '\\' || c === '"') out += OCTAL[c];
    else if (GLOB_SPECIAL.includes(c)) out += `\\${c}`;
    else if (isControl(c)) out += escapeControl(c);
    else out += c;
  }
  return Token.make(`"${out}"`, literalPath);
}

/**
 * Reverse of the escaping as our parser reports the value: the parser keeps `\` before glob
 * characters (as the real parser does for its regex backend); dropping every escape gives the
 * literal path back.
 */
export function unescapeGlob(parsed: string): string {
  return parsed.replace(/\\([\s\S])/g, '$1');
}

/**
 * A glob pattern written by the program itself (constants such as `@{PROC}/sys/[^k]** `), NOT for
 * user input: it keeps its glob meaning. Refused: not starting with `/` or `@{`, NUL, newline,
 * control characters, `"`, a trailing backslash (it would escape the closing quote).
 */
export function globPattern(pattern: string): Token {
  if (!(pattern.startsWith('/') || pattern.startsWith('@{')))
    fail('apparmor-builder-pattern', `pattern ${show(pattern)} must start with '/' or '@{'`, pattern);
  refuseNulNewline(pattern, 'pattern');
  if ([...pattern].some(isControl) || pattern.includes('"'))
    fail('apparmor-builder-pattern', `pattern ${show(pattern)} holds a quote or control character`, pattern);
  if (pattern.endsWith('\\'))
    fail('apparmor-builder-pattern', `pattern ${show(pattern)} ends in a backslash`, pattern);
  // Bare when every character is an ordinary ID character (reads like hand-written policy).
  const text = /^[A-Za-z0-9/_.@{}*?[\]^+:~-]+$/.test(pattern) ? pattern : `"${pattern}"`;
  return Token.make(text, pattern);
}

type PathArg = Token | string;
const asPath = (p: PathArg): Token => (typeof p === 'string' ? pathGlob(p) : p);

// ------------------------------------------------------------------------------------- rules

export interface RuleQualifiers {
  audit?: boolean;
  deny?: boolean;
}

export interface FileQualifiers extends RuleQualifiers {
  owner?: boolean;
}

/** One rendered rule (or comment line) plus what it was asked to say. */
export interface BuiltRule {
  kind:
    | 'file'
    | 'capability'
    | 'network'
    | 'mount'
    | 'pivot_root'
    | 'ptrace'
    | 'signal'
    | 'unix'
    | 'change_profile'
    | 'comment';
  /** One line, without indentation. */
  text: string;
  /** The paths (as given) the rule names, in order. */
  paths: string[];
}

function qualifiers(q: FileQualifiers | undefined, owner: boolean): string {
  const parts: string[] = [];
  if (q?.audit) parts.push('audit');
  if (q?.deny) parts.push('deny');
  if (owner && q?.owner) parts.push('owner');
  return parts.length ? `${parts.join(' ')} ` : '';
}

/** Access letters, then at most one exec mode (plain `x` only in deny rules). */
const FILE_PERM_CHARS = /^(?=.)[rwaklm]*(x|ix|[pcPC]i?x|[uU]x|[pc]ux|[PC]Ux)?$/;

/** `[audit] [deny] [owner] PATH PERMS,` — a string path is treated as a literal path. */
export function file(path: PathArg, perms: string, q: FileQualifiers = {}): BuiltRule {
  const p = asPath(path);
  if (!FILE_PERM_CHARS.test(perms))
    fail('apparmor-builder-perms', `bad file permissions ${show(perms)}`, perms);
  const mode = parseFileMode(perms);
  if (mode.errors.length)
    fail('apparmor-builder-perms', `bad file permissions ${show(perms)}: ${mode.errors[0]}`, perms);
  if (mode.exec === 'x' && !q.deny)
    fail(
      'apparmor-builder-perms',
      `'x' needs an exec qualifier (ix, px, cx, ux) unless the rule denies`,
      perms,
    );
  if (q.deny && mode.exec !== undefined && mode.exec !== 'x')
    fail(
      'apparmor-builder-perms',
      `deny rules take a plain 'x', not the exec qualifier in ${show(perms)}`,
      perms,
    );
  return { kind: 'file', text: `${qualifiers(q, true)}${p.text} ${perms},`, paths: [p.source] };
}

/** The bare `file,` rule (all file access). */
export function fileAll(q: FileQualifiers = {}): BuiltRule {
  // `file,` implies `ix`, and deny rules must not carry exec qualifiers (apparmor_parser refuses)
  if (q.deny) fail('apparmor-builder-perms', "'deny file,' is invalid: 'file,' implies 'ix'");
  return { kind: 'file', text: `${qualifiers(q, true)}file,`, paths: [] };
}

/** `capability [names],` — no names means every capability. */
export function capability(names: string | string[] = [], q: RuleQualifiers = {}): BuiltRule {
  const list = typeof names === 'string' ? [names] : names;
  for (const n of list)
    if (!CAPABILITIES.has(n)) fail('apparmor-builder-capability', `unknown capability ${show(n)}`, n);
  return {
    kind: 'capability',
    text: `${qualifiers(q, false)}${['capability', ...list].join(' ')},`,
    paths: [],
  };
}

/** `network [domain] [type],` */
export function network(domain?: string, type?: string, q: RuleQualifiers = {}): BuiltRule {
  if (domain !== undefined && type !== undefined) {
    if (!validNetworkPair(domain, type))
      fail('apparmor-builder-network', `unknown network domain/type ${show(`${domain} ${type}`)}`);
  } else if (domain !== undefined && !validNetworkSingle(domain))
    fail('apparmor-builder-network', `unknown network domain ${show(domain)}`, domain);
  else if (type !== undefined && !SOCKET_TYPES.has(type))
    fail('apparmor-builder-network', `unknown socket type ${show(type)}`, type);
  const body = ['network', domain ?? '', type ?? ''].filter(Boolean).join(' ');
  return { kind: 'network', text: `${qualifiers(q, false)}${body},`, paths: [] };
}

const FSTYPE_RE = /^[A-Za-z0-9_.-]+$/;

export interface MountSpec {
  fstype?: string[];
  options?: string[];
  source?: PathArg;
  target?: PathArg;
}

/** `mount [fstype=(..)] [options=(..)] [source] [-> target],` */
export function mount(spec: MountSpec = {}, q: RuleQualifiers = {}): BuiltRule {
  const parts = ['mount'];
  const paths: string[] = [];
  if (spec.fstype?.length) {
    for (const f of spec.fstype)
      if (!FSTYPE_RE.test(f)) fail('apparmor-builder-fstype', `bad fstype ${show(f)}`, f);
    parts.push(`fstype=(${spec.fstype.join(' ')})`);
  }
  if (spec.options?.length) {
    for (const o of spec.options)
      if (!MOUNT_OPTIONS.has(o)) fail('apparmor-builder-mount-option', `unknown mount option ${show(o)}`, o);
    parts.push(`options=(${spec.options.join(',')})`);
  }
  if (spec.source !== undefined) {
    const s = asPath(spec.source);
    parts.push(s.text);
    paths.push(s.source);
  }
  if (spec.target !== undefined) {
    const t = asPath(spec.target);
    parts.push('->', t.text);
    paths.push(t.source);
  }
  return { kind: 'mount', text: `${qualifiers(q, false)}${parts.join(' ')},`, paths };
}

/** `umount [mountpoint],` */
export function umount(target?: PathArg, q: RuleQualifiers = {}): BuiltRule {
  if (target === undefined) return { kind: 'mount', text: `${qualifiers(q, false)}umount,`, paths: [] };
  const t = asPath(target);
  return { kind: 'mount', text: `${qualifiers(q, false)}umount ${t.text},`, paths: [t.source] };
}

/** `pivot_root [new_root] [-> profile],` */
export function pivotRoot(
  spec: { newRoot?: PathArg; profile?: string } = {},
  q: RuleQualifiers = {},
): BuiltRule {
  const parts = ['pivot_root'];
  const paths: string[] = [];
  if (spec.newRoot !== undefined) {
    const n = asPath(spec.newRoot);
    parts.push(n.text);
    paths.push(n.source);
  }
  if (spec.profile !== undefined) parts.push('->', profileName(spec.profile).text);
  return { kind: 'pivot_root', text: `${qualifiers(q, false)}${parts.join(' ')},`, paths };
}

function permList(kind: 'ptrace' | 'signal' | 'unix', perms: string[]): string {
  for (const p of perms)
    if (!RULE_PERMS[kind].has(p)) fail('apparmor-builder-perms', `unknown ${kind} permission ${show(p)}`, p);
  return perms.length ? ` (${perms.join(', ')})` : '';
}

/** `ptrace (perms) [peer="name"],` */
export function ptrace(perms: string[], opts: { peer?: string } = {}, q: RuleQualifiers = {}): BuiltRule {
  let text = `${qualifiers(q, false)}ptrace${permList('ptrace', perms)}`;
  if (opts.peer !== undefined) text += ` peer=${peerLabel(opts.peer).text}`;
  return { kind: 'ptrace', text: `${text},`, paths: [] };
}

/** `signal (perms) [set=(signals)] [peer="name"],` */
export function signal(
  perms: string[],
  opts: { signals?: string[]; peer?: string } = {},
  q: RuleQualifiers = {},
): BuiltRule {
  let text = `${qualifiers(q, false)}signal${permList('signal', perms)}`;
  if (opts.signals?.length) {
    for (const s of opts.signals)
      if (!validSignal(s)) fail('apparmor-builder-signal', `unknown signal ${show(s)}`, s);
    text += ` set=(${opts.signals.join(' ')})`;
  }
  if (opts.peer !== undefined) text += ` peer=${peerLabel(opts.peer).text}`;
  return { kind: 'signal', text: `${text},`, paths: [] };
}

const UNIX_TYPES = new Set(['stream', 'dgram', 'seqpacket']);

/**
 * `unix (perms) [type=T] [addr="@..."] [peer=(label="name")],` — `addr` is a program-written
 * pattern over an abstract socket address (ID and glob characters only).
 */
export function unix(
  perms: string[],
  opts: { type?: string; addr?: string; peerLabel?: string } = {},
  q: RuleQualifiers = {},
): BuiltRule {
  let text = `${qualifiers(q, false)}unix${permList('unix', perms)}`;
  if (opts.type !== undefined) {
    if (!UNIX_TYPES.has(opts.type))
      fail('apparmor-builder-unix', `unknown unix socket type ${show(opts.type)}`, opts.type);
    text += ` type=${opts.type}`;
  }
  if (opts.addr !== undefined) {
    // A program-written pattern (never user input): ID characters and glob characters only.
    if (!/^@[A-Za-z0-9/_.@+:~*?{}[\]^,-]+$/.test(opts.addr))
      fail(
        'apparmor-builder-unix',
        `unix addr must be an abstract address pattern (@...): ${show(opts.addr)}`,
      );
    text += ` addr="${opts.addr}"`;
  }
  if (opts.peerLabel !== undefined) text += ` peer=(label=${peerLabel(opts.peerLabel).text})`;
  return { kind: 'unix', text: `${text},`, paths: [] };
}

/**
 * `change_profile -> name,` — a profile a process may move its children to (a runtime's job);
 * with `stack`, `change_profile -> &name,`: the child keeps this profile and adds `name` (the only
 * transition out of a confined profile that no_new_privs allows).
 */
export function changeProfile(
  target: string,
  opts: { stack?: boolean } = {},
  q: RuleQualifiers = {},
): BuiltRule {
  const name = profileName(target).text;
  const to = !opts.stack ? name : name.startsWith('"') ? `"&${name.slice(1)}` : `&${name}`;
  return { kind: 'change_profile', text: `${qualifiers(q, false)}change_profile -> ${to},`, paths: [] };
}

/** A `# comment` line; refused when it holds a control character (a newline would end it). */
export function comment(text: string): BuiltRule {
  refuseNulNewline(text, 'comment');
  if ([...text].some(isControl)) fail('apparmor-builder-comment', 'comment holds a control character', text);
  return { kind: 'comment', text: text ? `# ${text}` : '#', paths: [] };
}

// ------------------------------------------------------------------------------------- profile

const INCLUDE_RE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*(\/[A-Za-z0-9_][A-Za-z0-9_.+-]*)*$/;

/** `#include <name>` for a name under the include path (no `..`, no absolute paths). */
export function includeLine(name: string, opts: { ifExists?: boolean } = {}): string {
  if (!INCLUDE_RE.test(name)) fail('apparmor-builder-include', `bad include name ${show(name)}`, name);
  return `#include ${opts.ifExists ? 'if exists ' : ''}<${name}>`;
}

export interface ProfileSpec {
  name: string;
  flags?: string[];
  rules: BuiltRule[];
  /** Included inside the profile block (e.g. `abstractions/base`). */
  includes?: string[];
  /** Included before the profile (e.g. `tunables/global`). */
  imports?: string[];
  /** `abi <x>,` before everything (e.g. `abi/3.0`). */
  abi?: string;
  /** Comment lines at the top of the file. */
  header?: string[];
}

const ALL_FLAGS = new Set<string>([...PROFILE_MODES, ...PROFILE_PATH_FLAGS]);

/** Render one profile; every piece of text comes from the helpers above. */
export function renderProfile(spec: ProfileSpec): string {
  const name = profileName(spec.name);
  const flags = spec.flags ?? [];
  for (const f of flags)
    if (!ALL_FLAGS.has(f)) fail('apparmor-builder-flag', `unknown profile flag ${show(f)}`, f);
  for (const [a, b] of CONFLICTING_FLAGS)
    if (flags.includes(a) && flags.includes(b))
      fail('apparmor-builder-flag', `profile flags ${a} and ${b} conflict`);
  if (flags.filter((f) => (PROFILE_MODES as readonly string[]).includes(f)).length > 1)
    fail('apparmor-builder-flag', 'more than one profile mode flag');
  const lines: string[] = [];
  for (const h of spec.header ?? []) lines.push(comment(h).text);
  if (spec.abi !== undefined) {
    if (!INCLUDE_RE.test(spec.abi))
      fail('apparmor-builder-include', `bad abi name ${show(spec.abi)}`, spec.abi);
    lines.push(`abi <${spec.abi}>,`);
  }
  for (const i of spec.imports ?? []) lines.push(includeLine(i));
  if (lines.length) lines.push('');
  lines.push(`profile ${name.text}${flags.length ? ` flags=(${flags.join(',')})` : ''} {`);
  for (const i of spec.includes ?? []) lines.push(`  ${includeLine(i)}`);
  if (spec.includes?.length) lines.push('');
  for (const r of spec.rules) {
    if (!r || typeof r.text !== 'string' || r.text.includes('\n'))
      fail('apparmor-builder-rule', 'rules must come from the builder functions');
    lines.push(`  ${r.text}`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
