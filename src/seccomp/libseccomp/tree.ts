/**
 * A port of libseccomp 2.5.4's argument-chain database (src/db.c): how rules for one syscall
 * are turned into chains of 32-bit comparisons and merged into a decision tree.
 *
 * Why a port and not a simpler "first matching rule wins" model: libseccomp does not keep
 * rules in order. It merges them into a tree whose shape decides the outcome when rules with
 * different actions overlap (an unconditional rule swallows conditional ones, a shorter chain
 * prunes a longer one, sibling order is by argument and operator, a failed nested level never
 * backtracks to siblings). The kernel then runs the BPF generated from that tree. To decide
 * exactly what the kernel decides we reproduce the tree, including its reference counting
 * (which steers pruning) and its known quirks. Function names follow db.c so the two can be
 * read side by side.
 */
import type { Operator } from '../model.js';

/** An action as libseccomp stores it (the 32-bit SECCOMP_RET value) plus the rule it came from. */
export interface Act {
  value: number;
  origin: number;
}
const NO_ACT: Act = { value: 0, origin: -1 };

export interface ChainNode {
  arg: number;
  argHi: boolean;
  op: Operator;
  opOrig: Operator;
  mask: number;
  datum: number;
  datumFull: bigint;
  actTFlg: boolean;
  actFFlg: boolean;
  actT: Act;
  actF: Act;
  lvlPrv: ChainNode | null;
  lvlNxt: ChainNode | null;
  nxtT: ChainNode | null;
  nxtF: ChainNode | null;
  refcnt: number;
}

/** `struct db_arg_chain_tree **`: a place that holds a node pointer. */
interface Ref {
  get(): ChainNode | null;
  set(n: ChainNode | null): void;
}
function ref<K extends 'nxtT' | 'nxtF' | 'lvlPrv' | 'lvlNxt' | 'chains'>(
  obj: { [P in K]: ChainNode | null },
  key: K,
): Ref {
  return { get: () => obj[key], set: (n) => (obj[key] = n) };
}
function localRef(initial: ChainNode | null): Ref & { value: ChainNode | null } {
  const r = {
    value: initial,
    get: () => r.value,
    set: (n: ChainNode | null) => (r.value = n),
  };
  return r;
}

/** `struct db_sys_list`: everything one architecture's filter holds for one syscall number. */
export interface SysEntry {
  num: number;
  valid: boolean;
  chains: ChainNode | null;
  /** Action when the syscall has no chains (an unconditional rule). */
  action: Act;
  nodeCnt: number;
}

/** One comparison as handed to db_rule_add (`struct db_api_arg`), already masked as db_col_rule_add does. */
export interface ApiArg {
  arg: number;
  op: Operator;
  mask: bigint;
  datum: bigint;
}

export interface ApiRule {
  syscall: number;
  action: Act;
  /** Indexed by argument number 0..5; undefined = no condition on that argument. */
  args: Array<ApiArg | undefined>;
}

const U32 = 0xffffffffn;
const hi32 = (v: bigint): number => Number((v >> 32n) & U32);
const lo32 = (v: bigint): number => Number(v & U32);

function newNode(): ChainNode {
  return {
    arg: 0,
    argHi: false,
    op: 'SCMP_CMP_EQ',
    opOrig: 'SCMP_CMP_EQ',
    mask: 0,
    datum: 0,
    datumFull: 0n,
    actTFlg: false,
    actFFlg: false,
    actT: NO_ACT,
    actF: NO_ACT,
    lvlPrv: null,
    lvlNxt: null,
    nxtT: null,
    nxtF: null,
    refcnt: 0,
  };
}

const argPriority = (a: ChainNode): number => (a.arg << 1) + (a.argHi ? 1 : 0);

function opPriority(op: Operator): number {
  switch (op) {
    case 'SCMP_CMP_MASKED_EQ':
    case 'SCMP_CMP_EQ':
    case 'SCMP_CMP_NE':
      return 3;
    case 'SCMP_CMP_LE':
    case 'SCMP_CMP_LT':
      return 2;
    case 'SCMP_CMP_GE':
    case 'SCMP_CMP_GT':
      return 1;
    default:
      return 0;
  }
}

function chainLt(a: ChainNode, b: ChainNode): boolean {
  const aArg = argPriority(a);
  const bArg = argPriority(b);
  if (aArg < bArg) return true;
  if (aArg > bArg) return false;
  const aOp = opPriority(a.opOrig);
  const bOp = opPriority(b.opOrig);
  if (aOp < bOp) return true;
  if (aOp > bOp) return false;
  switch (a.opOrig) {
    case 'SCMP_CMP_LE':
    case 'SCMP_CMP_LT':
      // Inverted so smaller values come first for LT/LE (db.c says so).
      return a.datum > b.datum;
    default:
      return a.datum < b.datum;
  }
}

function chainEq(a: ChainNode, b: ChainNode): boolean {
  return argPriority(a) === argPriority(b) && a.op === b.op && a.datum === b.datum && a.mask === b.mask;
}

const chainLeaf = (n: ChainNode): boolean => n.nxtT === null && n.nxtF === null;
const chainZombie = (n: ChainNode): boolean => chainLeaf(n) && !n.actTFlg && !n.actFFlg;

function nodeGet(n: ChainNode | null): ChainNode | null {
  if (n !== null) n.refcnt++;
  return n;
}

function levelClean(node: ChainNode): number {
  let cnt = 0;
  let n: ChainNode | null = node;
  while (n.lvlPrv) n = n.lvlPrv;
  const start = n;
  while (n !== null) {
    let links = 0;
    if (n.lvlPrv) links++;
    if (n.lvlNxt) links++;
    if (n.refcnt > links) return cnt;
    n = n.lvlNxt;
  }
  const r = localRef(start);
  while (r.value !== null) cnt += nodePut(r);
  return cnt;
}

function treePut(tree: Ref): number {
  let cnt = nodePut(tree);
  const t = tree.get();
  if (t) cnt += levelClean(t);
  return cnt;
}

function nodePut(node: Ref): number {
  let cnt = 0;
  const n = node.get();
  if (n === null) return 0;
  if (--n.refcnt === 0) {
    const lvlP = localRef(n.lvlPrv);
    const lvlN = localRef(n.lvlNxt);
    const nxtT = localRef(n.nxtT);
    const nxtF = localRef(n.nxtF);
    // split the current level; we still hold a ref on both neighbours
    if (lvlP.value) lvlP.value.lvlNxt = null;
    if (lvlN.value) lvlN.value.lvlPrv = null;
    if (lvlP.value) cnt += nodePut(lvlP);
    if (lvlN.value) cnt += nodePut(lvlN);
    // re-link the level if it still exists
    if (lvlP.value) lvlP.value.lvlNxt = nodeGet(lvlN.value);
    if (lvlN.value) lvlN.value.lvlPrv = nodeGet(lvlP.value);
    if (lvlP.value) node.set(lvlP.value);
    else if (lvlN.value) node.set(lvlN.value);
    else node.set(null);
    cnt += treePut(nxtT);
    cnt += treePut(nxtF);
    cnt++;
  }
  return cnt;
}

function treeRemove(tree: Ref, node: ChainNode): number {
  let cnt = 0;
  let cIter = tree.get();
  if (cIter === null) return 0;
  while (cIter.lvlPrv !== null) cIter = cIter.lvlPrv;
  let found: ChainNode | null = null;
  do {
    if (cIter === node) {
      found = cIter;
      break;
    }
    cnt += treeRemove(ref(cIter, 'nxtT'), node);
    cnt += treeRemove(ref(cIter, 'nxtF'), node);
    if (chainZombie(cIter)) {
      found = cIter;
      break;
    }
    cIter = cIter.lvlNxt as ChainNode;
  } while (cIter !== null && cnt === 0);
  if (found === null) return cnt;

  const c = found;
  if (c === tree.get()) tree.set(c.lvlPrv !== null ? c.lvlPrv : c.lvlNxt);
  if (c.lvlPrv) c.lvlPrv.lvlNxt = c.lvlNxt;
  if (c.lvlNxt) c.lvlNxt.lvlPrv = c.lvlPrv;
  c.lvlPrv = null;
  c.lvlNxt = null;
  // free the node and any sub-trees
  cnt += nodePut(localRef(c));
  return cnt;
}

function treeActCheck(tree: ChainNode | null, action: number): number {
  if (tree === null) return 0;
  let c: ChainNode | null = tree;
  while (c.lvlPrv !== null) c = c.lvlPrv;
  do {
    if (c.actTFlg && c.actT.value !== action) return -EEXIST;
    if (c.actFFlg && c.actF.value !== action) return -EEXIST;
    let rc = treeActCheck(c.nxtT, action);
    if (rc < 0) return rc;
    rc = treeActCheck(c.nxtF, action);
    if (rc < 0) return rc;
    c = c.lvlNxt;
  } while (c !== null);
  return 0;
}

export const EEXIST = 17;

// db_iter_state flags
const IST_MATCH = 0x1;
const IST_MATCH_ONCE = 0x2;
const IST_X_FINISHED = 0x10;
const IST_N_FINISHED = 0x20;
const IST_X_PREFIX = 0x100;
const IST_N_PREFIX = 0x200;
const IST_M_MATCHSET = IST_MATCH | IST_MATCH_ONCE;
const IST_M_REDUNDANT = IST_MATCH | IST_X_FINISHED | IST_N_PREFIX;

interface IterState {
  flags: number;
  action: number;
  sx: SysEntry;
}

function treePrune(existing: Ref, nw: ChainNode | null, state: IterState): number {
  let cnt = 0;
  const stateNew: IterState = { ...state };
  let xIter = existing.get();
  const nIter = nw;

  const finish = (): number => {
    if (stateNew.flags & IST_MATCH) state.flags |= stateNew.flags;
    else state.flags &= ~IST_MATCH;
    return cnt;
  };

  if (nIter === null || xIter === null) return finish();
  if ((state.flags & IST_M_MATCHSET) === IST_M_MATCHSET - IST_MATCH) return finish();
  while (xIter.lvlPrv) xIter = xIter.lvlPrv;

  /*
   * db.c takes a reference on x_iter, recurses, then drops it with _db_node_put(&x_iter),
   * which may free the node and move x_iter to a neighbour (or NULL). `into` names what the
   * recursion works on: a child slot of x_iter, or x_iter itself (the C passes &x_iter).
   */
  const descend = (into: 'nxtT' | 'nxtF' | 'self', next: ChainNode | null, nState: IterState): void => {
    nodeGet(xIter);
    if (into === 'self') {
      const h = localRef(xIter);
      cnt += treePrune(h, next, nState);
      xIter = h.value;
    } else {
      cnt += treePrune(ref(xIter as ChainNode, into), next, nState);
    }
    const r = localRef(xIter);
    cnt += nodePut(r);
    xIter = r.value;
  };

  do {
    const cur = xIter as ChainNode;
    const xIterNext: ChainNode | null = cur.lvlNxt;
    let nextNode = false;
    if (chainEq(cur, nIter)) {
      stateNew.flags |= IST_M_MATCHSET;
      if (chainLeaf(nIter)) stateNew.flags |= IST_N_FINISHED;
      if (chainLeaf(cur)) stateNew.flags |= IST_X_FINISHED;
      // don't remove nodes if we have more actions/levels
      if ((cur.actTFlg || cur.nxtT) && !(nIter.actTFlg || nIter.nxtT)) return finish();
      if ((cur.actFFlg || cur.nxtF) && !(nIter.actFFlg || nIter.nxtF)) return finish();
      if (stateNew.flags & IST_N_FINISHED && stateNew.flags & IST_X_FINISHED) {
        if (nIter.actTFlg !== cur.actTFlg) return finish();
        if (nIter.actT.value !== cur.actT.value) return finish();
        if (nIter.actFFlg !== cur.actFFlg) return finish();
        if (nIter.actF.value !== cur.actF.value) return finish();
      }
      if (nIter.nxtT) {
        const stateNxt: IterState = { ...state, flags: state.flags | IST_M_MATCHSET };
        descend('nxtT', nIter.nxtT, stateNxt);
        if (stateNxt.flags & IST_MATCH) stateNew.flags |= stateNxt.flags;
        if (xIter === null) nextNode = true;
      }
      if (!nextNode && nIter.nxtF) {
        const stateNxt: IterState = { ...state, flags: state.flags | IST_M_MATCHSET };
        descend('nxtF', nIter.nxtF, stateNxt);
        if (stateNxt.flags & IST_MATCH) stateNew.flags |= stateNxt.flags;
        if (xIter === null) nextNode = true;
      }
      if (!nextNode) {
        const x = xIter as ChainNode;
        if (
          !treeActCheck(x, stateNew.action) &&
          stateNew.flags & IST_MATCH &&
          stateNew.flags & IST_N_FINISHED &&
          stateNew.flags & IST_X_PREFIX
        ) {
          // the new tree is "shorter"
          cnt += treeRemove(ref(state.sx, 'chains'), x);
          if (state.sx.chains === null) return finish();
        } else if (
          !treeActCheck(x, stateNew.action) &&
          stateNew.flags & IST_MATCH &&
          stateNew.flags & IST_X_FINISHED &&
          stateNew.flags & IST_N_PREFIX
        ) {
          // the new tree is "longer"
          return finish();
        }
      }
    } else if (chainLt(cur, nIter)) {
      if (state.flags & IST_N_PREFIX) return finish();
      if (cur.nxtT) {
        const stateNxt: IterState = { ...state, flags: (state.flags & ~IST_MATCH) | IST_X_PREFIX };
        descend('nxtT', nIter, stateNxt);
        if (stateNxt.flags & IST_MATCH) {
          stateNew.flags |= stateNxt.flags;
          return finish();
        }
        if (xIter === null) nextNode = true;
      }
      if (!nextNode && (xIter as ChainNode).nxtF) {
        const stateNxt: IterState = { ...state, flags: (state.flags & ~IST_MATCH) | IST_X_PREFIX };
        descend('nxtF', nIter, stateNxt);
        if (stateNxt.flags & IST_MATCH) {
          stateNew.flags |= stateNxt.flags;
          return finish();
        }
      }
    } else {
      if (state.flags & IST_X_PREFIX) return finish();
      if (nIter.nxtT) {
        const stateNxt: IterState = { ...state, flags: (state.flags & ~IST_MATCH) | IST_N_PREFIX };
        descend('self', nIter.nxtT, stateNxt);
        if (stateNxt.flags & IST_MATCH) {
          stateNew.flags |= stateNxt.flags;
          return finish();
        }
        if (xIter === null) nextNode = true;
      }
      if (!nextNode && nIter.nxtF) {
        const stateNxt: IterState = { ...state, flags: (state.flags & ~IST_MATCH) | IST_N_PREFIX };
        descend('self', nIter.nxtF, stateNxt);
        if (stateNxt.flags & IST_MATCH) {
          stateNew.flags |= stateNxt.flags;
          return finish();
        }
      }
    }
    xIter = xIterNext;
  } while (xIter);

  // falling through: we clearly didn't match on anything
  stateNew.flags &= ~IST_MATCH;
  return finish();
}

function treeAdd(existing: Ref, nw: ChainNode, state: IterState): number {
  let xIter = existing.get() as ChainNode;
  const nIter = nw;
  do {
    if (chainEq(xIter, nIter)) {
      if (nIter.actTFlg) {
        if (!xIter.actTFlg) {
          const rc = treeActCheck(xIter.nxtT, nIter.actT.value);
          if (rc !== 0) return rc;
          const cnt = nodePut(ref(xIter, 'nxtT'));
          xIter.nxtT = null;
          xIter.actT = nIter.actT;
          xIter.actTFlg = true;
          state.sx.nodeCnt -= cnt;
        } else if (nIter.actT.value !== xIter.actT.value) {
          // 64-bit GT/GE: keep the action of the larger datum (db.c)
          if (nIter.argHi && nIter.datumFull > xIter.datumFull) xIter.actT = nIter.actT;
          if (chainLeaf(xIter) || chainLeaf(nIter)) return -EEXIST;
        }
      }
      if (nIter.actFFlg) {
        if (!xIter.actFFlg) {
          const rc = treeActCheck(xIter.nxtF, nIter.actF.value);
          if (rc !== 0) return rc;
          const cnt = nodePut(ref(xIter, 'nxtF'));
          xIter.nxtF = null;
          xIter.actF = nIter.actF;
          xIter.actFFlg = true;
          state.sx.nodeCnt -= cnt;
        } else if (nIter.actF.value !== xIter.actF.value) {
          // Faithful to libseccomp 2.5.4: this branch updates act_t, not act_f.
          if (nIter.argHi && nIter.datumFull < xIter.datumFull) xIter.actT = nIter.actT;
          if (chainLeaf(xIter) || chainLeaf(nIter)) return -EEXIST;
        }
      }
      if (nIter.nxtT) {
        if (xIter.nxtT) {
          const rc = treeAdd(ref(xIter, 'nxtT'), nIter.nxtT, state);
          if (rc !== 0) return rc;
        } else if (!xIter.actTFlg) {
          xIter.nxtT = nodeGet(nIter.nxtT);
        } else {
          return 0; // existing tree is "shorter"
        }
      }
      if (nIter.nxtF) {
        if (xIter.nxtF) {
          const rc = treeAdd(ref(xIter, 'nxtF'), nIter.nxtF, state);
          if (rc !== 0) return rc;
        } else if (!xIter.actFFlg) {
          xIter.nxtF = nodeGet(nIter.nxtF);
        } else {
          return 0;
        }
      }
      return 0;
    }
    if (!chainLt(xIter, nIter)) {
      // move along the current level
      if (xIter.lvlNxt === null) {
        nIter.lvlPrv = nodeGet(xIter);
        xIter.lvlNxt = nodeGet(nIter);
        return 0;
      }
      xIter = xIter.lvlNxt;
    } else {
      // add before the existing node on this level
      if (xIter.lvlPrv !== null) {
        xIter.lvlPrv.lvlNxt = nodeGet(nIter);
        nIter.lvlPrv = xIter.lvlPrv;
        xIter.lvlPrv = nodeGet(nIter);
        nIter.lvlNxt = xIter;
      } else {
        xIter.lvlPrv = nodeGet(nIter);
        nIter.lvlNxt = nodeGet(xIter);
      }
      if (existing.get() === xIter) {
        existing.set(nodeGet(nIter));
        nodePut(localRef(xIter));
      }
      return 0;
    }
  } while (xIter);
  return 0;
}

interface NewSys {
  chains: ChainNode | null;
  action: Act;
  nodeCnt: number;
}

/** _db_rule_gen_64: each 64-bit comparison becomes a hi-word and a lo-word test. */
function ruleGen64(rule: ApiRule): NewSys {
  const s: NewSys = { chains: null, action: rule.action, nodeCnt: 0 };
  let cIter: Array<ChainNode | null> = [null, null, null];
  let cPrev: Array<ChainNode | null> = [null, null, null];
  let opPrev: Operator | null = null;
  for (let i = 0; i < 6; i++) {
    const a = rule.args[i];
    if (!a) continue;
    const needLo = !(a.op === 'SCMP_CMP_MASKED_EQ' && lo32(a.mask) === 0);
    const needHi = !(a.op === 'SCMP_CMP_MASKED_EQ' && hi32(a.mask) === 0);
    if (!needHi && !needLo) continue;
    const c0 = newNode();
    const c1 = newNode();
    let c2: ChainNode | null = null;
    cIter = [c0, c1, null];
    switch (a.op) {
      case 'SCMP_CMP_GT':
      case 'SCMP_CMP_GE':
      case 'SCMP_CMP_LE':
      case 'SCMP_CMP_LT': {
        c2 = newNode();
        cIter[2] = c2;
        for (const [n, h] of [
          [c0, true],
          [c1, true],
          [c2, false],
        ] as const) {
          n.arg = a.arg;
          n.argHi = h;
          n.mask = h ? hi32(a.mask) : lo32(a.mask);
          n.datum = (h ? hi32(a.datum) : lo32(a.datum)) & n.mask;
          n.datum = n.datum >>> 0;
          n.datumFull = a.datum;
          n.opOrig = a.op;
        }
        c0.op = 'SCMP_CMP_GT';
        c1.op = 'SCMP_CMP_EQ';
        c2.op = a.op === 'SCMP_CMP_GT' || a.op === 'SCMP_CMP_LE' ? 'SCMP_CMP_GT' : 'SCMP_CMP_GE';
        c0.nxtF = nodeGet(c1);
        c1.nxtT = nodeGet(c2);
        break;
      }
      default: {
        for (const [n, h] of [
          [c0, true],
          [c1, false],
        ] as const) {
          n.arg = a.arg;
          n.argHi = h;
          n.mask = h ? hi32(a.mask) : lo32(a.mask);
          n.datum = ((h ? hi32(a.datum) : lo32(a.datum)) & n.mask) >>> 0;
          n.datumFull = a.datum;
          n.op = a.op === 'SCMP_CMP_MASKED_EQ' ? 'SCMP_CMP_MASKED_EQ' : 'SCMP_CMP_EQ';
          n.opOrig = a.op;
        }
        c0.nxtT = nodeGet(c1);
      }
    }
    if (cPrev[0] !== null) {
      const [p0, p1, p2] = cPrev as [ChainNode, ChainNode, ChainNode];
      switch (opPrev) {
        case 'SCMP_CMP_GT':
        case 'SCMP_CMP_GE':
          p0.nxtT = nodeGet(c0);
          p2.nxtT = nodeGet(c0);
          break;
        case 'SCMP_CMP_EQ':
        case 'SCMP_CMP_MASKED_EQ':
          p1.nxtT = nodeGet(c0);
          break;
        case 'SCMP_CMP_LE':
        case 'SCMP_CMP_LT':
          p1.nxtF = nodeGet(c0);
          p2.nxtF = nodeGet(c0);
          break;
        case 'SCMP_CMP_NE':
          p0.nxtF = nodeGet(c0);
          p1.nxtF = nodeGet(c0);
          break;
      }
    } else {
      s.chains = nodeGet(c0);
    }
    s.nodeCnt += a.op === 'SCMP_CMP_NE' || a.op === 'SCMP_CMP_EQ' || a.op === 'SCMP_CMP_MASKED_EQ' ? 2 : 3;
    cPrev = cIter;
    opPrev = a.op;
  }
  if (cIter[0] !== null) {
    const [c0, c1, c2] = cIter as [ChainNode, ChainNode, ChainNode];
    switch (opPrev) {
      case 'SCMP_CMP_GT':
      case 'SCMP_CMP_GE':
        c0.actTFlg = true;
        c0.actT = rule.action;
        c2.actTFlg = true;
        c2.actT = rule.action;
        break;
      case 'SCMP_CMP_LE':
      case 'SCMP_CMP_LT':
        c1.actFFlg = true;
        c1.actF = rule.action;
        c2.actFFlg = true;
        c2.actF = rule.action;
        break;
      case 'SCMP_CMP_EQ':
      case 'SCMP_CMP_MASKED_EQ':
        c1.actTFlg = true;
        c1.actT = rule.action;
        break;
      case 'SCMP_CMP_NE':
        c0.actFFlg = true;
        c0.actF = rule.action;
        c1.actFFlg = true;
        c1.actF = rule.action;
        break;
    }
  }
  return s;
}

/** _db_rule_gen_32: one node per comparison on the low 32 bits; NE/LT/LE become EQ/GE/GT on the false branch. */
function ruleGen32(rule: ApiRule): NewSys {
  const s: NewSys = { chains: null, action: rule.action, nodeCnt: 0 };
  let cIter: ChainNode | null = null;
  let cPrev: ChainNode | null = null;
  let tfFlag = true;
  for (let i = 0; i < 6; i++) {
    const a = rule.args[i];
    if (!a) continue;
    if (a.op === 'SCMP_CMP_MASKED_EQ' && lo32(a.mask) === 0) continue;
    cIter = newNode();
    cIter.arg = a.arg;
    cIter.argHi = false;
    cIter.op = a.op;
    cIter.opOrig = a.op;
    // implicitly strips off the upper 32 bits
    cIter.mask = lo32(a.mask);
    cIter.datum = lo32(a.datum);
    cIter.datumFull = a.datum;
    if (cPrev !== null) {
      if (tfFlag) cPrev.nxtT = nodeGet(cIter);
      else cPrev.nxtF = nodeGet(cIter);
    } else {
      s.chains = nodeGet(cIter);
    }
    s.nodeCnt++;
    switch (cIter.op) {
      case 'SCMP_CMP_NE':
        cIter.op = 'SCMP_CMP_EQ';
        tfFlag = false;
        break;
      case 'SCMP_CMP_LT':
        cIter.op = 'SCMP_CMP_GE';
        tfFlag = false;
        break;
      case 'SCMP_CMP_LE':
        cIter.op = 'SCMP_CMP_GT';
        tfFlag = false;
        break;
      default:
        tfFlag = true;
    }
    cIter.datum = (cIter.datum & cIter.mask) >>> 0;
    cPrev = cIter;
  }
  if (cIter !== null) {
    if (tfFlag) {
      cIter.actTFlg = true;
      cIter.actT = rule.action;
    } else {
      cIter.actFFlg = true;
      cIter.actF = rule.action;
    }
  }
  return s;
}

/**
 * db_rule_add: merge one rule into a per-arch syscall list (kept sorted by number).
 * Returns 0, or a negative errno as libseccomp would (then runc refuses to start the container).
 */
export function dbRuleAdd(syscalls: SysEntry[], bits: 32 | 64, rule: ApiRule): number {
  const sNew = bits === 64 ? ruleGen64(rule) : ruleGen32(rule);
  let idx = 0;
  while (idx < syscalls.length && (syscalls[idx] as SysEntry).num < rule.syscall) idx++;
  let rmFlag = false;
  for (;;) {
    const sIter = syscalls[idx];
    if (sIter === undefined || sIter.num !== rule.syscall) {
      syscalls.splice(idx, 0, {
        num: rule.syscall,
        valid: true,
        chains: sNew.chains,
        action: sNew.action,
        nodeCnt: sNew.nodeCnt,
      });
      return 0;
    }
    if (sIter.chains === null) {
      if (rmFlag || !sIter.valid) {
        // a previous pass cleared the whole chain: take the new one
        sIter.chains = sNew.chains;
        sIter.action = sNew.action;
        sIter.nodeCnt = sNew.nodeCnt;
        sIter.valid = true;
      }
      // else: an unconditional entry already covers everything; the new rule is dropped,
      // whatever its action (first unconditional rule wins).
      return 0;
    }
    if (sNew.chains === null) {
      // an unconditional rule replaces every conditional one, whatever their actions
      treePut(ref(sIter, 'chains'));
      sIter.chains = null;
      sIter.nodeCnt = 0;
      sIter.action = rule.action;
      return 0;
    }
    const pruneState: IterState = { flags: 0, action: rule.action.value, sx: sIter };
    const rc = treePrune(ref(sIter, 'chains'), sNew.chains, pruneState);
    if (rc > 0) {
      rmFlag = true;
      sIter.nodeCnt -= rc;
      if (sIter.chains === null) continue; // add_reset
    } else if ((pruneState.flags & IST_M_REDUNDANT) === IST_M_REDUNDANT) {
      return 0; // the existing tree is "shorter": drop the new one
    }
    const addState: IterState = { flags: 0, action: 0, sx: sIter };
    const rc2 = treeAdd(ref(sIter, 'chains'), sNew.chains, addState);
    if (rc2 < 0) return rc2;
    sIter.nodeCnt += sNew.nodeCnt;
    // Drop our reference to the new chain: nodes it shares with the tree survive, the rest are freed.
    sIter.nodeCnt -= treePut(localRef(sNew.chains));
    return 0;
  }
}

/**
 * The BPF generator orders syscalls by this (db.c: _DB_PRI_MASK_CHAIN - node_cnt, no user
 * priority from runc): fewer tree nodes first.
 */
export function syscallPriority(e: SysEntry): number {
  return 0xffff - e.nodeCnt;
}
