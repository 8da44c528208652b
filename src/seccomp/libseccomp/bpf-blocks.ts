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
import { type Act, type ChainNode, type SysEntry, syscallPriority } from './tree.js';

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
  /** seccomp_data offset of the word this node compares. */
  offset: number;
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

const sameState = (a: AccState, b: AccState): boolean => a.offset === b.offset && a.mask === b.mask;
export const isBlock = (t: Target): t is Block => t !== null && 'node' in t;

/** One arch's place in the filter: its syscall entries and byte order (argument word offsets). */
export interface SectionEntry {
  entry: SysEntry;
  bigEndian: boolean;
}

/** seccomp_data offset of an argument word (struct seccomp_data: nr, arch, ip, args[6]). */
function offsetOf(arg: number, hi: boolean, bigEndian: boolean): number {
  return 16 + 8 * arg + (hi !== bigEndian ? 4 : 0);
}

/**
 * gen_bpf.c hashes every block and keeps one copy of identical blocks (same instructions, jump
 * targets and accumulator states), across syscalls and arches: which jumper reaches a shared
 * block first then decides its reload for all of them.
 */
class Generator {
  private readonly interned = new Map<string, Block>();
  private ids = new WeakMap<Block, number>();
  private nextId = 0;

  private key(t: Target): string {
    if (t === null) return 'default';
    if (isBlock(t)) return `b${this.ids.get(t)}`;
    return `a${t.value}`;
  }

  private intern(b: Block): Block {
    const k = [
      b.loads ? b.offset : '-',
      b.and ?? '-',
      b.node.op,
      b.node.datum,
      b.accStart.offset,
      b.accStart.mask,
      b.accEnd.offset,
      b.accEnd.mask,
      this.key(b.jt),
      this.key(b.jf),
    ].join('|');
    const existing = this.interned.get(k);
    if (existing) return existing;
    this.interned.set(k, b);
    this.ids.set(b, this.nextId++);
    return b;
  }

  /** _gen_bpf_chain: the blocks of one tree level, with their jumps resolved (sub-levels recursively). */
  level(anyNode: ChainNode, nxt: Target, start: AccState, bigEndian: boolean): Block {
    let n: ChainNode | null = anyNode;
    while (n.lvlPrv) n = n.lvlPrv;
    const blocks: Block[] = [];
    let acc = start;
    for (; n !== null; n = n.lvlNxt) {
      // _gen_bpf_node: reload when the word differs or the mask needs bits already masked off
      const offset = offsetOf(n.arg, n.argHi, bigEndian);
      const loads = offset !== acc.offset || (n.mask & acc.mask) >>> 0 !== n.mask;
      const accStart = loads ? UNDEF : acc;
      let cur: AccState = loads ? { offset, mask: FULL } : acc;
      const and = n.mask !== cur.mask ? n.mask : null;
      if (and !== null) cur = { offset, mask: n.mask };
      blocks.push({
        node: n,
        offset,
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
      b.jt = node.nxtT ? this.level(node.nxtT, next, b.accEnd, bigEndian) : node.actTFlg ? node.actT : next;
      b.jf = node.nxtF ? this.level(node.nxtF, next, b.accEnd, bigEndian) : node.actFFlg ? node.actF : next;
      blocks[i] = this.intern(b);
    }
    return blocks[0] as Block;
  }
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

/**
 * Build the block graphs of a whole filter. `sections` are the arch sections in filter order
 * (x86_64 and x32 share one); `optimize` is libseccomp's SCMP_FLTATR_CTL_OPTIMIZE (runc sets 2,
 * the binary tree, when the profile lists more than 32 syscall names).
 */
export function buildFilterBlocks(sections: SectionEntry[][], optimize: 1 | 2): Map<SysEntry, Block | null> {
  const gen = new Generator();
  const heads = new Map<SysEntry, Block | null>();
  for (const section of sections) {
    for (const { entry, bigEndian } of section) {
      // The first node always loads its own word: the accumulator holds seccomp_data.nr (or, with
      // the binary tree, nothing known) when the syscall check jumps into the chain.
      heads.set(entry, entry.chains === null ? null : gen.level(entry.chains, null, NR_STATE, bigEndian));
    }
  }
  // The pull-in scans the block list from its tail: the last arch section first, and within a
  // section the syscalls in reverse generation order (_gen_bpf_syscalls prepends each one).
  for (const section of [...sections].reverse()) {
    const order = [...section].sort((a, b) =>
      optimize === 2
        ? (a.entry.num >>> 0) - (b.entry.num >>> 0)
        : syscallPriority(a.entry) - syscallPriority(b.entry) || (b.entry.num >>> 0) - (a.entry.num >>> 0),
    );
    for (const { entry } of order) {
      const head = heads.get(entry);
      if (!head || head.placed) continue;
      head.placed = true;
      place(head);
    }
  }
  return heads;
}

/** The 32-bit word of seccomp_data at `offset` (an argument half), for the arch's byte order. */
function wordAt(args: readonly bigint[], offset: number, bigEndian: boolean): number {
  const v = args[(offset - 16) >> 3] ?? 0n;
  const upper = (((offset - 16) & 4) !== 0) !== bigEndian;
  return Number((upper ? v >> 32n : v) & 0xffffffffn);
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
export function runBlocks(head: Block, args: readonly bigint[], bigEndian: boolean): Act | null {
  let acc = 0;
  let b: Block = head;
  for (;;) {
    if (b.loads) {
      acc = wordAt(args, b.offset, bigEndian);
    } else if (b.layoutReload) {
      // the prepended reload restores the state the block was generated for
      acc = wordAt(args, b.accStart.offset, bigEndian);
      if (b.accStart.mask !== FULL) acc = (acc & b.accStart.mask) >>> 0;
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
