/**
 * How libseccomp 2.5.4's BPF generator (src/gen_bpf.c) turns one syscall's argument tree into
 * instruction blocks, and what the accumulator holds when each block runs.
 *
 * Why this exists: gen_bpf.c does not reload the accumulator for a block that, at generation
 * time, follows a block which already loaded the same argument word (`_gen_bpf_node`). Such a
 * block can also be reached by falling out of its left sibling's sub-tree, where a different word
 * was loaded. Whether the block is then safe depends on the block layout: when the first block
 * that jumps to it (in `_gen_bpf_build_bpf`'s depth-first pull-in, jt before jf) ends with a
 * different accumulator state, a reload is prepended for every path; otherwise the other paths
 * compare the wrong word. The kernel runs exactly that code, so we model it to decide as it does.
 */
import type { Act, ChainNode } from './tree.js';

/** The accumulator state gen_bpf.c tracks: which seccomp_data offset was loaded, and the mask applied. */
interface AccState {
  offset: number;
  mask: number;
}
const UNDEF: AccState = { offset: -1, mask: 0xffffffff };
const FULL = 0xffffffff;
/** seccomp_data.nr is at offset 0; argument words are identified by a unique pseudo offset. */
const NR_STATE: AccState = { offset: 0, mask: FULL };

/** Jump target: another block, an action (return), or null for the filter's default action. */
export type Target = Block | Act | null;

export interface Block {
  node: ChainNode;
  /** Word this node compares: argument index and high/low half. */
  arg: number;
  hi: boolean;
  /** The block starts with its own load (generation-time state differed). */
  loads: boolean;
  /** `and` applied by the block itself before comparing (null: none). */
  and: number | null;
  accStart: AccState;
  accEnd: AccState;
  jt: Target;
  jf: Target;
  /** A reload prepended at layout time because its first jumper ended with another state. */
  layoutReload: boolean;
  placed: boolean;
}

const offsetOf = (arg: number, hi: boolean): number => 16 + 8 * arg + (hi ? 4 : 0);
const sameState = (a: AccState, b: AccState): boolean => a.offset === b.offset && a.mask === b.mask;
export const isBlock = (t: Target): t is Block => t !== null && 'node' in t;

/** _gen_bpf_chain: the blocks of one tree level, with their jumps resolved (sub-levels recursively). */
function genLevel(anyNode: ChainNode, nxt: Target, start: AccState): Block {
  let n: ChainNode | null = anyNode;
  while (n.lvlPrv) n = n.lvlPrv;
  const blocks: Block[] = [];
  let acc = start;
  for (; n !== null; n = n.lvlNxt) {
    // _gen_bpf_node: reload when the word differs or the mask would need bits already masked off
    const offset = offsetOf(n.arg, n.argHi);
    const loads = offset !== acc.offset || (n.mask & acc.mask) >>> 0 !== n.mask;
    const accStart = loads ? UNDEF : acc;
    let cur: AccState = loads ? { offset, mask: FULL } : acc;
    const and = n.mask !== cur.mask ? n.mask : null;
    if (and !== null) cur = { offset, mask: n.mask };
    blocks.push({
      node: n,
      arg: n.arg,
      hi: n.argHi,
      loads,
      and,
      accStart,
      accEnd: cur,
      jt: null,
      jf: null,
      layoutReload: false,
      placed: false,
    });
    acc = cur;
  }
  // Resolve from the tail, as _gen_bpf_chain does: a branch with neither sub-level nor action
  // falls to the next block on the level, or to the level's own fall-through target.
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i] as Block;
    const next: Target = blocks[i + 1] ?? nxt;
    const node = b.node;
    b.jt = node.nxtT ? genLevel(node.nxtT, next, b.accEnd) : node.actTFlg ? node.actT : next;
    b.jf = node.nxtF ? genLevel(node.nxtF, next, b.accEnd) : node.actFFlg ? node.actF : next;
  }
  return blocks[0] as Block;
}

/** _gen_bpf_build_bpf's pull-in: depth first, jt before jf; the first jumper decides the reload. */
function place(puller: Block): void {
  for (const t of [puller.jt, puller.jf]) {
    if (!isBlock(t) || t.placed) continue;
    t.placed = true;
    t.layoutReload = !t.loads && !sameState(puller.accEnd, t.accStart);
    place(t);
  }
}

/** Build the block graph for a syscall's tree; null when the syscall has no argument tree. */
export function buildBlocks(chains: ChainNode | null): Block | null {
  if (chains === null) return null;
  // The syscall check block leaves seccomp_data.nr in the accumulator (or nothing, with the
  // binary-tree layout); either way the first node loads its own argument word.
  const head = genLevel(chains, null, NR_STATE);
  head.placed = true;
  place(head);
  return head;
}

function word(args: readonly bigint[], arg: number, hi: boolean): number {
  const v = args[arg] ?? 0n;
  return Number((hi ? v >> 32n : v) & 0xffffffffn);
}

function compare(node: ChainNode, acc: number): boolean {
  switch (node.op) {
    case 'SCMP_CMP_EQ':
    case 'SCMP_CMP_MASKED_EQ':
      return acc === node.datum;
    case 'SCMP_CMP_GT':
      return acc > node.datum;
    case 'SCMP_CMP_GE':
      return acc >= node.datum;
    default:
      throw new Error(`impossible chain op ${node.op}`);
  }
}

/** Run the blocks as the kernel runs the BPF: the real accumulator, including stale loads. */
export function runBlocks(head: Block, args: readonly bigint[]): Act | null {
  let acc = 0;
  let b: Block = head;
  for (;;) {
    if (b.loads) {
      acc = word(args, b.arg, b.hi);
    } else if (b.layoutReload) {
      // the prepended reload restores the state the block was generated for
      const start = b.accStart;
      const arg = (start.offset - 16) >> 3;
      acc = word(args, arg, (start.offset - 16) % 8 === 4);
      if (start.mask !== FULL) acc = (acc & start.mask) >>> 0;
    }
    if (b.and !== null) acc = (acc & b.and) >>> 0;
    const t = compare(b.node, acc) ? b.jt : b.jf;
    if (isBlock(t)) {
      b = t;
      continue;
    }
    return t;
  }
}
