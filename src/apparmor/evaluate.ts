/**
 * The AppArmor evaluator: decide what a confined task may do under one profile.
 *
 * compileAppArmor() does the expensive part once (includes spliced in, `if` branches taken,
 * qualifier blocks folded into their rules, every glob compiled with compileGlob); evaluate() then
 * answers a query by testing the precompiled rules of its class.
 *
 * Semantics (AppArmor 3.0.8, see ../shared/DESIGN.md "AppArmor"):
 * - allow-list: each requested permission must be granted by the union of the matching allow
 *   rules; a permission nothing grants is denied.
 * - an explicit `deny` rule matching any requested permission denies, whatever allows it.
 * - `owner` rules apply only when the task owns the object (`owner: true`), `other` rules only
 *   when it does not.
 * - `audit` on a deciding rule sets `audited`.
 * - a profile in complain mode allows everything; `enforceDecision` tells what enforce would do.
 * - file perms: exec modes (`ix`, `Px`, `Cx -> t`, `ux`, ...) count as `x`; `w` implies `a`
 *   (parser_misc.c parse_mode sets AA_MAY_WRITE|AA_MAY_APPEND for `w`), `a` does not imply `w`.
 *
 * A query attribute the caller leaves out that a rule constrains (e.g. a mount query without
 * `fstype` against `mount fstype=proc`) is "unknown": such a rule is not taken to allow the
 * request, but a deny rule is taken to deny it — the safe reading in both directions.
 *
 * Not evaluated: dbus, change_profile, rlimit, the AppArmor 4 generic rules (userns, io_uring,
 * mqueue), exec transitions (which profile an exec lands in), link-pair subset checks, profile
 * attachment, and kill/unconfined profile modes (treated as enforce).
 */
import { BreakwaterError } from '../errors.js';
import type {
  BlockItem,
  Cond,
  FileRule,
  IfNode,
  PolicyFile,
  ProfileNode,
  Qualifiers,
  Rule,
  Span,
  TopItem,
} from './ast.js';
import { compileGlob, type GlobMatcher } from './glob.js';
import { type Resolution, type ResolveOptions, resolveIncludes } from './include.js';
import { printQualifiers, printRule } from './print.js';
import { ADDRESS_FAMILIES, SOCKET_TYPES } from './tables.js';
import { collectVariables, type Variables } from './variables.js';

export class AppArmorEvalError extends BreakwaterError {
  constructor(message: string) {
    super(message, 'apparmor-eval');
  }
}

export interface CompileOptions extends ResolveOptions {
  /** Profile to evaluate when the file defines several; `parent//child` names a child or hat. */
  profile?: string;
  /** Include resolution already done for the file (skips resolveIncludes). */
  resolution?: Resolution;
  /** Extra or overriding variable values (e.g. @{HOME}). Unset tunables default to Debian 12's. */
  variables?: Record<string, string[]>;
}

export interface RuleRef {
  text: string;
  file: string;
  line: number;
  column: number;
}

export type FileQuery = {
  class: 'file';
  path: string;
  /** Letters of `rwalkmx`; exec modes such as `ix`/`Px` are read as `x`. */
  perms: string;
  owner?: boolean;
  isDirectory?: boolean;
};
export type CapabilityQuery = { class: 'capability'; name: string };
export type NetworkQuery = { class: 'network'; domain: string; type?: string };
export type MountQuery = {
  class: 'mount';
  fstype?: string;
  source?: string;
  target: string;
  options?: string[];
};
export type UmountQuery = { class: 'umount'; target: string };
export type PivotRootQuery = { class: 'pivot_root'; new_root: string; put_old?: string };
export type PtraceQuery = { class: 'ptrace'; access: string; peer: string };
export type SignalQuery = { class: 'signal'; access: string; signal: string; peer: string };
/**
 * `addr` is the address the access is about: the peer's for connect/send/receive (matched against
 * `peer=(addr=...)`), the socket's own otherwise (matched against `addr=`). `type` and
 * `peer_label` are optional extra attributes.
 */
export type UnixQuery = { class: 'unix'; access: string; addr?: string; type?: string; peer_label?: string };

export type AppArmorQuery =
  | FileQuery
  | CapabilityQuery
  | NetworkQuery
  | MountQuery
  | UmountQuery
  | PivotRootQuery
  | PtraceQuery
  | SignalQuery
  | UnixQuery;

export interface AppArmorDecision {
  decision: 'allow' | 'deny';
  audited: boolean;
  /** The rule that decided: the deny rule, the (first) granting allow rule, or null (nothing granted). */
  rule: RuleRef | null;
  /** Every allow rule whose permissions were needed for an allow (the union). */
  rules: RuleRef[];
  /** Requested permissions no allow rule grants (implicit deny). */
  missing: string[];
  mode: 'enforce' | 'complain';
  /** In complain mode: what enforce mode would decide. */
  enforceDecision?: 'allow' | 'deny';
}

export interface Base {
  deny: boolean;
  audit: boolean;
  ref: RuleRef;
}
export interface CFile extends Base {
  owner?: 'owner' | 'other';
  /** The exec transition as written (`ix`, `Px`, `ux`...), for checks about where exec lands. */
  exec?: string;
  perms: Set<string>;
  /** undefined: the bare `file,` rule (every path). */
  path?: GlobMatcher;
}
export interface CPerms extends Base {
  /** undefined: every permission. */
  perms?: Set<string>;
  test: (q: AppArmorQuery, unknownMatches: boolean) => boolean;
}
export interface CRule extends Base {
  test: (q: AppArmorQuery, unknownMatches: boolean) => boolean;
}

export interface CompiledProfile {
  name: string;
  /** Where the profile's header is (for findings about the profile itself, e.g. its flags). */
  pos: Omit<RuleRef, 'text'>;
  mode: 'enforce' | 'complain';
  flags: string[];
  file: CFile[];
  capability: CPerms[];
  network: CRule[];
  mount: CRule[];
  umount: CRule[];
  pivot_root: CRule[];
  ptrace: CPerms[];
  signal: CPerms[];
  unix: CPerms[];
  /** Rule kinds present in the profile that this evaluator does not evaluate. */
  unevaluated: string[];
  /** File rules by the first path component their glob spells out literally (see indexFileRules). */
  fileIndex: FileIndex;
}

/**
 * Most file rules name their first path component literally (`/proc/...`, `/etc/...`); a path
 * can only match those of its own component, plus the rules whose glob starts with a pattern.
 * Candidates keep profile order, which the decision (first granting rule) depends on.
 */
interface FileIndex {
  byComponent: Map<string, CFile[]>;
  any: CFile[];
}

function indexFileRules(rules: CFile[]): FileIndex {
  const byComponent = new Map<string, CFile[]>();
  const any: CFile[] = [];
  for (const r of rules) {
    const m = r.path ? /^\/([^/]+)\//.exec(r.path.literalHead) : null;
    if (!m) {
      any.push(r);
      continue;
    }
    // literalHead is in latin1 bytes (as the regex sees them); queries come as UTF-8 text.
    const key = Buffer.from(m[1] as string, 'latin1').toString('utf8');
    byComponent.set(key, [...(byComponent.get(key) ?? []), r]);
  }
  // Each bucket also holds the pattern-headed rules, merged in profile order, so a query scans one list.
  const order = new Map(rules.map((r, i) => [r, i]));
  for (const [key, list] of byComponent) {
    byComponent.set(
      key,
      [...list, ...any].sort((a, b) => (order.get(a) as number) - (order.get(b) as number)),
    );
  }
  return { byComponent, any };
}

function fileCandidates(index: FileIndex, path: string): CFile[] {
  const m = /^\/([^/]+)/.exec(path);
  return (m ? index.byComponent.get(m[1] as string) : undefined) ?? index.any;
}

// ------------------------------------------------------------------ compile

export function compileAppArmor(input: PolicyFile | ProfileNode, opts: CompileOptions = {}): CompiledProfile {
  let resolution: Resolution = opts.resolution ?? { includes: new Map(), diagnostics: [] };
  let vars: Variables = { sets: new Map(), booleans: new Map() };
  let profile: ProfileNode;
  if (input.kind === 'policy') {
    if (!opts.resolution) resolution = resolveIncludes(input, opts);
    vars = collectVariables(input, resolution, { defaults: true }).vars;
    profile = pickProfile(input, resolution, vars, opts.profile);
  } else {
    profile = input;
    vars = collectVariables({ kind: 'policy', file: '', context: 'top', items: [] }, resolution, {
      defaults: true,
    }).vars;
  }
  for (const [k, v] of Object.entries(opts.variables ?? {})) vars.sets.set(k, [...v]);
  vars.sets.set('profile_name', [profile.name.replace(/[{}[\]*?]/g, '\\$&')]);
  const flags = profile.flags ?? [];
  const out: CompiledProfile = {
    name: profile.name,
    pos: pos(profile.span),
    mode: flags.includes('complain') ? 'complain' : 'enforce',
    flags,
    file: [],
    capability: [],
    network: [],
    mount: [],
    umount: [],
    pivot_root: [],
    ptrace: [],
    signal: [],
    unix: [],
    unevaluated: [],
    fileIndex: { byComponent: new Map(), any: [] },
  };
  const glob = (g: string): GlobMatcher => compileGlob(g, { variables: vars.sets });
  const visit = (items: (TopItem | BlockItem)[], outer: Qualifiers) => {
    for (const it of flatten(items, resolution, vars)) {
      if (it.kind === 'block') {
        visit(it.items, mergeQ(outer, it.q));
        continue;
      }
      if (!isRule(it)) continue;
      const q = 'q' in it ? mergeQ(outer, it.q) : outer;
      const base: Base = { deny: q.access === 'deny', audit: q.audit, ref: ref(it, q) };
      compileRule(it, q, base, glob, out);
    }
  };
  visit(profile.items, { audit: false });
  out.fileIndex = indexFileRules(out.file);
  out.unevaluated = [...new Set(out.unevaluated)];
  return out;
}

function pickProfile(
  ast: PolicyFile,
  resolution: Resolution,
  vars: Variables,
  name: string | undefined,
): ProfileNode {
  const top = flatten(ast.items, resolution, vars).filter((i): i is ProfileNode => i.kind === 'profile');
  if (name === undefined) {
    const [only, ...rest] = top;
    if (!only) throw new AppArmorEvalError(`${ast.file}: no profile in the file`);
    if (rest.length)
      throw new AppArmorEvalError(
        `${ast.file}: several profiles (${top.map((p) => p.name).join(', ')}); choose one with --profile`,
      );
    return only;
  }
  let level = top;
  let found: ProfileNode | undefined;
  for (const part of name.split('//')) {
    found = level.find((p) => p.name === part);
    if (!found) break;
    level = flatten(found.items, resolution, vars).filter((i): i is ProfileNode => i.kind === 'profile');
  }
  if (!found)
    throw new AppArmorEvalError(
      `${ast.file}: no profile named '${name}' (have: ${top.map((p) => p.name).join(', ') || 'none'})`,
    );
  return found;
}

/** Items with includes spliced in and `if` replaced by its taken branch (as check.ts does). */
function flatten(
  items: (TopItem | BlockItem)[],
  resolution: Resolution,
  vars: Variables,
  out: (TopItem | BlockItem)[] = [],
): (TopItem | BlockItem)[] {
  for (const it of items) {
    if (it.kind === 'include') {
      for (const f of resolution.includes.get(it)?.files ?? []) flatten(f.ast.items, resolution, vars, out);
    } else if (it.kind === 'if') {
      const branch = takeBranch(it, vars);
      if (branch) flatten(branch, resolution, vars, out);
    } else out.push(it);
  }
  return out;
}

function takeBranch(it: IfNode, vars: Variables): BlockItem[] | undefined {
  const ev = (e: IfNode['expr']): boolean => {
    switch (e.kind) {
      case 'not':
        return !ev(e.expr);
      case 'var':
        return vars.booleans.get(e.name) ?? false;
      case 'defined':
        return e.sigil === '@' ? vars.sets.has(e.name) : vars.booleans.has(e.name);
    }
  };
  if (ev(it.expr)) return it.then;
  if (!it.else) return undefined;
  return Array.isArray(it.else) ? it.else : takeBranch(it.else, vars);
}

const RULE_KINDS = new Set([
  'file',
  'link',
  'capability',
  'network',
  'mount',
  'pivot_root',
  'ptrace',
  'signal',
  'dbus',
  'unix',
  'change_profile',
  'rlimit',
  'generic',
]);
function isRule(it: TopItem | BlockItem): it is Rule {
  return RULE_KINDS.has(it.kind);
}

function mergeQ(outer: Qualifiers, inner: Qualifiers): Qualifiers {
  const q: Qualifiers = { audit: outer.audit || inner.audit };
  const access = inner.access ?? outer.access;
  if (access) q.access = access;
  const owner = inner.owner ?? outer.owner;
  if (owner) q.owner = owner;
  return q;
}

function ref(r: Rule, q: Qualifiers): RuleRef {
  let text = printRule(r);
  // rules inside a qualifier block print without the block's qualifiers: show them
  if ('q' in r && (q.audit !== r.q.audit || q.access !== r.q.access || q.owner !== r.q.owner)) {
    const bare = printRule({ ...r, q: { audit: false } } as Rule);
    text = `${printQualifiers(q)} ${bare}`;
  }
  return { text, ...pos(r.span) };
}
function pos(s: Span): Omit<RuleRef, 'text'> {
  return { file: s.file, line: s.line, column: s.column };
}

/** File permission letters a rule grants/denies. */
function filePerms(r: Pick<FileRule, 'access' | 'exec'>): Set<string> {
  const s = new Set(r.access.split(''));
  if (s.has('w')) s.add('a');
  if (r.exec) s.add('x');
  return s;
}

const FILE_ALL = new Set(['r', 'w', 'a', 'l', 'k', 'm', 'x']);

type Glob = (g: string) => GlobMatcher;

function compileRule(r: Rule, q: Qualifiers, base: Base, glob: Glob, out: CompiledProfile): void {
  switch (r.kind) {
    case 'file': {
      const owner = q.owner;
      if (r.path === undefined) {
        // bare `file,`: every path, every file permission
        out.file.push({ ...base, ...(owner ? { owner } : {}), perms: new Set(FILE_ALL) });
        break;
      }
      out.file.push({
        ...base,
        ...(owner ? { owner } : {}),
        ...(r.exec ? { exec: r.exec } : {}),
        perms: filePerms(r),
        path: glob(r.path),
      });
      break;
    }
    case 'link':
      // `link [subset] /a -> /b`: grants `l` on /a (the pair's target check is not modelled)
      out.file.push({
        ...base,
        ...(q.owner ? { owner: q.owner } : {}),
        perms: new Set(['l']),
        path: glob(r.path),
      });
      break;
    case 'capability':
      out.capability.push({
        ...base,
        ...(r.names.length ? { perms: new Set(r.names.map(capName)) } : {}),
        test: () => true,
      });
      break;
    case 'network':
      out.network.push({ ...base, test: networkTest(r.domain, r.type) });
      break;
    case 'mount':
      compileMount(r, base, glob, out);
      break;
    case 'pivot_root': {
      const newRoot = r.newRoot !== undefined ? [glob(r.newRoot)] : undefined;
      const oldM = condMatchers(r.conds, 'oldroot', glob);
      const old = oldM.length ? oldM : undefined;
      out.pivot_root.push({
        ...base,
        test: (x, unk) => {
          const p = x as PivotRootQuery;
          return field(newRoot, p.new_root, unk) && field(old, p.put_old, unk);
        },
      });
      break;
    }
    case 'ptrace':
    case 'signal':
    case 'unix': {
      const kind = r.kind as 'ptrace' | 'signal' | 'unix';
      const perms = r.perms.length ? new Set(r.perms.flatMap((p) => permWords(kind, p))) : undefined;
      const peer = [
        ...condMatchers(r.conds, 'peer', glob),
        ...condMatchers(r.peer?.conds ?? [], 'label', glob),
      ];
      const peerM = peer.length ? peer : undefined;
      let test: CPerms['test'];
      if (kind === 'ptrace') {
        test = (x, unk) => field(peerM, (x as PtraceQuery).peer, unk);
      } else if (kind === 'signal') {
        const set = r.conds.filter((c) => c.name === 'set').flatMap((c) => c.values.map(sigName));
        const sigs = set.length ? new Set(set) : undefined;
        test = (x, unk) => {
          const s = x as SignalQuery;
          return (sigs === undefined || sigs.has(sigName(s.signal))) && field(peerM, s.peer, unk);
        };
      } else {
        const local = condMatchers(r.conds, 'addr', glob);
        const remote = condMatchers(r.peer?.conds ?? [], 'addr', glob);
        const types = condMatchers(r.conds, 'type', glob);
        const labels = condMatchers(r.peer?.conds ?? [], 'label', glob);
        const opt = (m: GlobMatcher[]) => (m.length ? m : undefined);
        test = (x, unk) => {
          const u = x as UnixQuery;
          const toPeer = PEER_ACCESS.has(u.access);
          // for connect/send/receive the address is the peer's: a local addr= constraint is
          // about our own (usually unnamed) socket, which the query does not describe
          const addrOk = toPeer
            ? field(opt(remote), u.addr, unk) && (local.length === 0 || unk)
            : field(opt(local), u.addr, unk) && (remote.length === 0 || unk);
          return addrOk && field(opt(types), u.type, unk) && field(opt(labels), u.peer_label, unk);
        };
      }
      const cp: CPerms = { ...base, test };
      if (perms) cp.perms = perms;
      out[kind].push(cp);
      break;
    }
    default:
      out.unevaluated.push(r.kind === 'generic' ? r.keyword : r.kind);
  }
}

const PEER_ACCESS = new Set(['connect', 'send', 'receive']);

/** Rule permission words, with the r/w/read/write aliases spelled out per class. */
function permWords(kind: 'ptrace' | 'signal' | 'unix', p: string): string[] {
  const alias: Record<string, Record<string, string[]>> = {
    ptrace: { r: ['read'], w: ['trace'], rw: ['read', 'trace'], read: ['read'], write: ['trace'] },
    signal: { r: ['receive'], w: ['send'], rw: ['send', 'receive'], read: ['receive'], write: ['send'] },
    unix: {
      r: ['receive', 'getattr', 'getopt'],
      w: ['create', 'send', 'setattr', 'setopt', 'connect', 'bind', 'listen', 'accept', 'shutdown'],
      read: ['receive', 'getattr', 'getopt'],
      write: ['create', 'send', 'setattr', 'setopt', 'connect', 'bind', 'listen', 'accept', 'shutdown'],
    },
  };
  const a = alias[kind]?.[p];
  return a ?? [p];
}

function capName(n: string): string {
  return n.toLowerCase().replace(/^cap_/, '');
}
function sigName(n: string): string {
  const s = n.toLowerCase().replace(/^sig/, '');
  return /^\d+$/.test(s) ? s : s;
}

function condMatchers(conds: Cond[], name: string, glob: Glob): GlobMatcher[] {
  return conds.filter((c) => c.name === name).flatMap((c) => c.values.map(glob));
}

/** A rule constraint against a query attribute; undefined constraint = any; missing attribute = unknown. */
function field(ms: GlobMatcher[] | undefined, v: string | undefined, unknownMatches: boolean): boolean {
  if (ms === undefined) return true;
  if (v === undefined) return unknownMatches;
  return ms.some((m) => m.test(v));
}

/**
 * Single-word network rules name a family, a type, or both (`packet` is both: apparmor_parser's
 * network_mappings gives the word every row whose family or type it names). tcp/udp/icmp stand
 * for inet/inet6 stream/dgram/raw (the protocol itself is not modelled).
 */
const PROTO_TYPE: Record<string, string> = { tcp: 'stream', udp: 'dgram', icmp: 'raw' };
const TYPE_WORDS = new Set([...SOCKET_TYPES, ...Object.keys(PROTO_TYPE)]);
function networkTest(domain: string | undefined, type: string | undefined): CRule['test'] {
  const typeOk = (ty: string, n: NetworkQuery, unk: boolean): boolean => {
    const proto = PROTO_TYPE[ty];
    if (proto && n.domain !== 'inet' && n.domain !== 'inet6') return false;
    if (n.type === undefined) return unk;
    return (PROTO_TYPE[n.type] ?? n.type) === (proto ?? ty);
  };
  if (domain === undefined) return () => true;
  if (type === undefined) {
    const fam = ADDRESS_FAMILIES.has(domain);
    const ty = TYPE_WORDS.has(domain);
    return (x, unk) => {
      const n = x as NetworkQuery;
      return (fam && n.domain === domain) || (ty && typeOk(domain, n, unk));
    };
  }
  return (x, unk) => {
    const n = x as NetworkQuery;
    return n.domain === domain && typeOk(type, n, unk);
  };
}

/** Mount options that set no MS_* bit (the "clear" forms): absent = present for matching. */
const ZERO_OPTS = new Set([
  'rw',
  'suid',
  'dev',
  'exec',
  'async',
  'nomand',
  'atime',
  'diratime',
  'loud',
  'noacl',
  'nouser',
  'norelatime',
  'noiversion',
]);
const OPT_ALIAS: Record<string, string> = {
  r: 'ro',
  'read-only': 'ro',
  w: 'rw',
  B: 'bind',
  R: 'rbind',
  M: 'move',
  'make-unbindable': 'unbindable',
  'make-runbindable': 'runbindable',
  'make-private': 'private',
  'make-rprivate': 'rprivate',
  'make-slave': 'slave',
  'make-rslave': 'rslave',
  'make-shared': 'shared',
  'make-rshared': 'rshared',
};
function normOpts(opts: readonly string[]): Set<string> {
  const s = new Set<string>();
  for (const o of opts) {
    const n = OPT_ALIAS[o] ?? o;
    if (!ZERO_OPTS.has(n)) s.add(n);
  }
  return s;
}

function compileMount(
  r: Extract<Rule, { kind: 'mount' }>,
  base: Base,
  glob: Glob,
  out: CompiledProfile,
): void {
  const target = r.target !== undefined ? [glob(r.target)] : undefined;
  if (r.verb === 'umount') {
    out.umount.push({ ...base, test: (x, unk) => field(target, (x as UmountQuery).target, unk) });
    return;
  }
  const fstype = r.conds.filter((c) => c.name === 'fstype' || c.name === 'vfstype');
  const fsM = fstype.length ? fstype.flatMap((c) => c.values.map(glob)) : undefined;
  const optConds = r.conds
    .filter((c) => c.name === 'options' || c.name === 'option')
    .map((c) => ({ op: c.op, set: normOpts(c.values) }));
  const source = r.source !== undefined ? [glob(r.source)] : undefined;
  const remount = r.verb === 'remount';
  out.mount.push({
    ...base,
    test: (x, unk) => {
      const m = x as MountQuery;
      const qopts = m.options === undefined ? undefined : normOpts(m.options);
      if (remount) {
        // `remount /y`: a mount call with MS_REMOUNT on the target
        if (qopts !== undefined && !qopts.has('remount')) return false;
        if (qopts === undefined && !unk) return false;
      }
      if (!field(target, m.target, unk)) return false;
      if (!remount && !field(source, m.source, unk)) return false;
      if (!field(fsM, m.fstype, unk)) return false;
      for (const c of optConds) {
        if (qopts === undefined) {
          if (!unk) return false;
          continue;
        }
        const q = new Set([...qopts].filter((o) => !(remount && o === 'remount')));
        if (c.op === '=') {
          if (q.size !== c.set.size || [...q].some((o) => !c.set.has(o))) return false;
        } else if ([...q].some((o) => !c.set.has(o))) return false;
      }
      return true;
    },
  });
}

// ------------------------------------------------------------------ evaluate

export function evaluate(p: CompiledProfile, q: AppArmorQuery): AppArmorDecision {
  const d = decide(p, q);
  if (p.mode === 'complain')
    return { ...d, mode: 'complain', decision: 'allow', enforceDecision: d.decision };
  return { ...d, mode: 'enforce' };
}

type Core = Omit<AppArmorDecision, 'mode' | 'enforceDecision'>;

/** Union of allow rules over the requested perms, with deny rules taking precedence. */
function combine<R extends Base>(
  requested: string[],
  rules: R[],
  grants: (r: R, perm: string) => boolean,
): Core {
  const need = [...new Set(requested)];
  for (const r of rules) {
    if (r.deny && need.some((p) => grants(r, p)))
      return { decision: 'deny', audited: r.audit, rule: r.ref, rules: [], missing: [] };
  }
  const used: R[] = [];
  const missing: string[] = [];
  for (const p of need) {
    const r = rules.find((x) => !x.deny && grants(x, p));
    if (!r) missing.push(p);
    else if (!used.includes(r)) used.push(r);
  }
  if (missing.length) return { decision: 'deny', audited: false, rule: null, rules: [], missing };
  used.sort((a, b) => rules.indexOf(a) - rules.indexOf(b));
  return {
    decision: 'allow',
    audited: used.some((r) => r.audit),
    rule: used[0]?.ref ?? null,
    rules: used.map((r) => r.ref),
    missing: [],
  };
}

/** `rwPix` -> [r, w, x]: exec modes are `x`; unknown letters are an error. */
export function parseQueryPerms(perms: string): string[] {
  const out: string[] = [];
  const s = perms.replace(/(?:[pcPC]?[iuIU]?|[uU])x/g, 'x');
  for (const ch of s) {
    if (!FILE_ALL.has(ch)) throw new AppArmorEvalError(`unknown file permission '${ch}' in '${perms}'`);
    out.push(ch);
  }
  if (!out.length) throw new AppArmorEvalError('"perms" is empty');
  return out;
}

function decide(p: CompiledProfile, q: AppArmorQuery): Core {
  switch (q.class) {
    case 'file': {
      const need = parseQueryPerms(q.perms);
      const owned = q.owner === true;
      const t = q.isDirectory === undefined ? undefined : { isDirectory: q.isDirectory };
      // Only rules that mention a requested permission can grant or deny it: test their globs
      // alone (the regex is the costly part), which keeps the decision the same.
      const matching = fileCandidates(p.fileIndex, q.path).filter(
        (r) =>
          (r.owner === undefined || (r.owner === 'owner') === owned) &&
          need.some((perm) => r.perms.has(perm)) &&
          (r.path === undefined || r.path.test(q.path, t)),
      );
      return combine(need, matching, (r, perm) => r.perms.has(perm));
    }
    case 'capability': {
      const n = capName(q.name);
      return combine([n], p.capability, (r) => r.perms === undefined || r.perms.has(n));
    }
    case 'ptrace':
    case 'signal':
    case 'unix': {
      const rules = p[q.class] as CPerms[];
      const access = q.access;
      return combine(
        [access],
        rules,
        (r) => (r.perms === undefined || r.perms.has(access)) && r.test(q, r.deny),
      );
    }
    case 'network':
      return combine(['net'], p.network, (r) => r.test(q, r.deny));
    case 'mount':
      return combine(['mount'], p.mount, (r) => r.test(q, r.deny));
    case 'umount':
      return combine(['umount'], p.umount, (r) => r.test(q, r.deny));
    case 'pivot_root':
      return combine(['pivot_root'], p.pivot_root, (r) => r.test(q, r.deny));
    default:
      throw new AppArmorEvalError(`unknown query class '${(q as { class?: unknown }).class}'`);
  }
}

/** Validate an untrusted JSON query (from --queries) into an AppArmorQuery. */
export function parseQuery(v: unknown): AppArmorQuery {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new AppArmorEvalError('a query must be a JSON object');
  const o = v as Record<string, unknown>;
  const str = (k: string, required = true): string | undefined => {
    const x = o[k];
    if (x === undefined && !required) return undefined;
    if (typeof x !== 'string') throw new AppArmorEvalError(`"${k}" must be a string`);
    return x;
  };
  const bool = (k: string): boolean | undefined => {
    const x = o[k];
    if (x === undefined) return undefined;
    if (typeof x !== 'boolean') throw new AppArmorEvalError(`"${k}" must be true or false`);
    return x;
  };
  const opt = <T extends object>(base: T, extra: Record<string, unknown>): T => {
    for (const [k, x] of Object.entries(extra)) if (x !== undefined) (base as Record<string, unknown>)[k] = x;
    return base;
  };
  switch (o.class) {
    case 'file': {
      const perms = str('perms') as string;
      parseQueryPerms(perms);
      return opt(
        { class: 'file', path: str('path') as string, perms },
        { owner: bool('owner'), isDirectory: bool('isDirectory') },
      );
    }
    case 'capability':
      return { class: 'capability', name: str('name') as string };
    case 'network':
      return opt({ class: 'network', domain: str('domain') as string }, { type: str('type', false) });
    case 'mount': {
      const options = o.options;
      if (options !== undefined && (!Array.isArray(options) || options.some((x) => typeof x !== 'string')))
        throw new AppArmorEvalError('"options" must be an array of strings');
      return opt(
        { class: 'mount', target: str('target') as string },
        { fstype: str('fstype', false), source: str('source', false), options },
      );
    }
    case 'umount':
      return { class: 'umount', target: str('target') as string };
    case 'pivot_root':
      return opt(
        { class: 'pivot_root', new_root: str('new_root') as string },
        { put_old: str('put_old', false) },
      );
    case 'ptrace':
      return { class: 'ptrace', access: str('access') as string, peer: str('peer') as string };
    case 'signal':
      return {
        class: 'signal',
        access: str('access') as string,
        signal: str('signal') as string,
        peer: str('peer') as string,
      };
    case 'unix':
      return opt(
        { class: 'unix', access: str('access') as string },
        { addr: str('addr', false), type: str('type', false), peer_label: str('peer_label', false) },
      );
    default:
      throw new AppArmorEvalError(
        `"class" must be one of file, capability, network, mount, umount, pivot_root, ptrace, signal, unix`,
      );
  }
}
