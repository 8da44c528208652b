/**
 * Compare two seccomp profiles by what the kernel would decide, not by their text: two profiles that
 * list rules differently but decide the same are equal, and a one-character change in a condition
 * shows up as exactly the argument values whose fate changed.
 *
 * Every decision comes from the evaluator (runc -> libseccomp -> kernel model). Conditional rules are
 * compared on sample argument vectors built from the comparison constants that actually reach the
 * BPF (the nodes of both compiled libseccomp trees): each constant, its neighbours, the mask-related
 * values, 0 and all-ones. Between two consecutive constants a 32-bit comparison cannot change its
 * outcome, so these samples visit every region the two filters distinguish for ordinary
 * comparisons; for masked comparisons we add each mask bit flipped, which covers single-flag tests
 * such as CLONE_NEWUSER.
 */

import { type CompiledProfile, compileProfile, evaluate } from './evaluate.js';
import type { ChainNode, SysEntry } from './libseccomp/tree.js';
import type { SeccompProfile } from './model.js';
import { ARCHES, type ArchName, archInfo, syscallName, syscallTable } from './syscalls/index.js';
import type { CompileOptions, SeccompDecision } from './types.js';

export interface Verdict {
  action: SeccompDecision['action'];
  errno?: number;
}

export interface DiffEntry {
  arch: ArchName;
  syscall: string;
  nr: number;
  /** Present when the change depends on arguments: the argument vector (arg0, arg1, ...) in hex. */
  args?: string[];
  before: Verdict;
  after: Verdict;
}

const WORD_MAX = 0xffffffff;
/** Beyond this many vectors per syscall we vary one argument at a time (see sampleArgs). */
export const MAX_VECTORS = 4096;

/** The libseccomp database of one arch in a compiled profile, if the profile covers that arch. */
export function sysEntry(compiled: CompiledProfile, arch: ArchName, nr: number): SysEntry | undefined {
  return compiled.filter.dbs.find((d) => d.arch.name === arch)?.byNr.get(nr >>> 0)?.entry;
}

/** Every node of a syscall's argument tree (each level, each branch). */
export function chainNodes(entry: SysEntry | undefined): ChainNode[] {
  const out: ChainNode[] = [];
  const seen = new Set<ChainNode>();
  const visit = (n: ChainNode | null): void => {
    if (n === null) return;
    let first: ChainNode = n;
    while (first.lvlPrv) first = first.lvlPrv;
    for (let c: ChainNode | null = first; c !== null; c = c.lvlNxt) {
      if (seen.has(c)) continue;
      seen.add(c);
      out.push(c);
      visit(c.nxtT);
      visit(c.nxtF);
    }
  };
  visit(entry?.chains ?? null);
  return out;
}

/** 32-bit words worth trying against one comparison node. */
function nodeWords(n: ChainNode, into: Set<number>): void {
  const d = n.datum >>> 0;
  into.add(d);
  if (d > 0) into.add(d - 1);
  if (d < WORD_MAX) into.add(d + 1);
  if (n.op === 'SCMP_CMP_MASKED_EQ') {
    const m = n.mask >>> 0;
    into.add(m);
    // d with every bit outside the mask set: matches, yet differs from d for any unmasked test
    into.add((d | ~m) >>> 0);
    for (let bit = 0; bit < 32; bit++) {
      const b = (1 << bit) >>> 0;
      if (m & b) into.add((d ^ b) >>> 0);
    }
  }
}

/**
 * Candidate values for one 32-bit word given every node that tests it. Besides each node's own
 * values, masked tests are combined: for each masked node, every candidate is also tried with that
 * node's bits forced to match and forced to each single-bit mismatch. So "flag A set but flag B
 * clear" is reachable even when A and B are tested by different rules (or different profiles).
 * After each step candidates are reduced to one per outcome signature, which keeps the set small.
 */
function wordCandidates(nodes: readonly ChainNode[]): number[] {
  const c = new Set<number>([0, WORD_MAX]);
  for (const n of nodes) nodeWords(n, c);
  let reps = reduceWords(nodes, c);
  for (const n of nodes) {
    const m = n.mask >>> 0;
    if (n.op !== 'SCMP_CMP_MASKED_EQ' || m === WORD_MAX) continue;
    const patterns = [n.datum >>> 0];
    for (let bit = 0; bit < 32; bit++) {
      const b = (1 << bit) >>> 0;
      if (m & b) patterns.push((n.datum ^ b) >>> 0);
    }
    const next = new Set(reps);
    for (const v of reps) for (const p of patterns) next.add((((v & ~m) >>> 0) | p) >>> 0);
    reps = reduceWords(nodes, next);
  }
  return reps;
}

/** One word per distinct outcome signature over `nodes` (the smallest), in ascending order. */
function reduceWords(nodes: readonly ChainNode[], words: Iterable<number>): number[] {
  const seen = new Map<string, number>();
  for (const w of [...words].sort((a, b) => a - b)) {
    let sig = '';
    for (const n of nodes) sig += wordTest(n, w) ? '1' : '0';
    if (!seen.has(sig)) seen.set(sig, w);
  }
  return [...seen.values()];
}

function cartesian(lists: readonly (readonly bigint[])[]): bigint[][] {
  let out: bigint[][] = [[]];
  for (const l of lists) out = out.flatMap((prefix) => l.map((v) => [...prefix, v]));
  return out;
}

/** One comparison node's outcome on a 32-bit word (the ops libseccomp leaves in its trees). */
function wordTest(n: ChainNode, word: number): boolean {
  const acc = (word & n.mask) >>> 0;
  switch (n.op) {
    case 'SCMP_CMP_GT':
      return acc > n.datum;
    case 'SCMP_CMP_GE':
      return acc >= n.datum;
    default:
      return acc === n.datum;
  }
}

function valueSignature(nodes: readonly ChainNode[], v: bigint): string {
  const hi = Number((v >> 32n) & 0xffffffffn);
  const lo = Number(v & 0xffffffffn);
  let sig = '';
  for (const n of nodes) sig += wordTest(n, n.argHi ? hi : lo) ? '1' : '0';
  return sig;
}

/**
 * Argument vectors that exercise every comparison in the given trees (one tree per profile being
 * compared, for the same arch and syscall number). A syscall without conditions gets the single
 * all-zero vector. On 32-bit arches the upper words stay 0: the kernel passes 32-bit arguments.
 *
 * Candidates per argument are then reduced to one representative (the smallest) per *signature*:
 * the outcomes of every node that tests that argument. Trees only see those outcomes, so two values
 * with one signature get the same decision from both profiles; the reduction loses nothing and keeps
 * the product over arguments small.
 */
export function sampleArgs(entries: ReadonlyArray<SysEntry | undefined>, bits: 32 | 64): bigint[][] {
  const nodesOf = new Map<number, ChainNode[]>();
  for (const e of entries) {
    for (const n of chainNodes(e)) nodesOf.set(n.arg, [...(nodesOf.get(n.arg) ?? []), n]);
  }
  const indices = [...nodesOf.keys()].sort((a, b) => a - b);
  if (indices.length === 0) return [[]];
  const width = (indices.at(-1) as number) + 1;
  const perArg: bigint[][] = Array.from({ length: width }, () => [0n]);
  for (const i of indices) {
    const nodes = nodesOf.get(i) ?? [];
    const his = bits === 32 ? [0] : wordCandidates(nodes.filter((n) => n.argHi));
    const los = wordCandidates(nodes.filter((n) => !n.argHi));
    const values: bigint[] = [];
    for (const h of his) for (const l of los) values.push((BigInt(h) << 32n) | BigInt(l));
    values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const bySignature = new Map<string, bigint>();
    for (const v of values) {
      const sig = valueSignature(nodes, v);
      if (!bySignature.has(sig)) bySignature.set(sig, v);
    }
    perArg[i] = [...bySignature.values()];
  }
  const size = perArg.reduce((n, l) => n * l.length, 1);
  if (size <= MAX_VECTORS) return cartesian(perArg);
  // Too many combinations even after the reduction (many independently tested arguments): vary one
  // argument at a time around the all-zero vector. Conditions that only matter jointly may then be
  // missed; no profile we know of comes near this.
  const out: bigint[][] = [new Array<bigint>(width).fill(0n)];
  for (const i of indices) {
    for (const v of perArg[i] ?? []) {
      if (v === 0n) continue;
      const vec = new Array<bigint>(width).fill(0n);
      vec[i] = v;
      out.push(vec);
    }
  }
  return out;
}

export function verdictOf(d: SeccompDecision): Verdict {
  return d.errno === undefined ? { action: d.action } : { action: d.action, errno: d.errno };
}
const key = (v: Verdict): string => `${v.action}/${v.errno ?? ''}`;

export function hexArgs(args: readonly bigint[]): string[] {
  return args.map((v) => `0x${v.toString(16)}`);
}

/** The arches a compiled profile's filter holds (its resolved arches plus the native one). */
export function filterArches(compiled: CompiledProfile): ArchName[] {
  return compiled.filter.dbs.map((d) => d.arch.name);
}

/** Compare two already compiled profiles (the CLI compiles once and reuses). */
export function diffCompiled(a: CompiledProfile, b: CompiledProfile): DiffEntry[] {
  const wanted = new Set([...filterArches(a), ...filterArches(b)]);
  const arches = ARCHES.map((x) => x.name).filter((n) => wanted.has(n));
  const out: DiffEntry[] = [];
  for (const arch of arches) {
    const bits = archInfo(arch).bits;
    const nrs = [...new Set(syscallTable(arch).map((s) => s.nr))];
    for (const nr of nrs) {
      const syscall = syscallName(arch, nr) as string;
      const vectors = sampleArgs([sysEntry(a, arch, nr), sysEntry(b, arch, nr)], bits);
      const rows = vectors.map((args) => ({
        args,
        before: verdictOf(evaluate(a, { arch, syscall: nr, args })),
        after: verdictOf(evaluate(b, { arch, syscall: nr, args })),
      }));
      const changed = rows.filter((r) => key(r.before) !== key(r.after));
      if (changed.length === 0) continue;
      const first = changed[0] as (typeof changed)[number];
      const uniform =
        changed.length === rows.length &&
        changed.every((r) => key(r.before) === key(first.before) && key(r.after) === key(first.after));
      if (uniform) {
        out.push({ arch, syscall, nr, before: first.before, after: first.after });
        continue;
      }
      for (const r of changed)
        out.push({ arch, syscall, nr, args: hexArgs(r.args), before: r.before, after: r.after });
    }
  }
  return out;
}

/**
 * What changes for a workload moving from profile `a` to profile `b`, per arch in either profile's
 * filter (x86_64, the default native arch, when neither lists any) and per syscall in the table.
 */
export function diffProfiles(a: SeccompProfile, b: SeccompProfile, opts: CompileOptions = {}): DiffEntry[] {
  return diffCompiled(compileProfile(a, opts), compileProfile(b, opts));
}
