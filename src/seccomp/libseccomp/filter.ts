/**
 * A libseccomp 2.5.4 filter collection (`struct db_filter_col`): one database per architecture,
 * rule addition as seccomp_rule_add_array does it (translate the native syscall number to each
 * arch by name, the socketcall/ipc multiplexing of arch `abi_rule_add`), and evaluation as the
 * BPF from gen_bpf.c behaves (arch check, x86_64/x32 split, per-syscall tree, default action).
 */

import type { KnownSyscalls } from '../known.js';
import { type ArchInfo, type ArchName, archInfo, isKnownSyscall, syscallNumber } from '../syscalls/index.js';
import { type Block, buildFilterBlocks, runBlocks, type SectionEntry } from './bpf-blocks.js';
import { type Act, type ApiArg, type ApiRule, dbRuleAdd, type SysEntry } from './tree.js';

export const RET = {
  KILL_PROCESS: 0x80000000,
  KILL_THREAD: 0x00000000,
  TRAP: 0x00030000,
  ERRNO: 0x00050000,
  USER_NOTIF: 0x7fc00000,
  TRACE: 0x7ff00000,
  LOG: 0x7ffc0000,
  ALLOW: 0x7fff0000,
} as const;

const X32_SYSCALL_BIT = 0x40000000;

/** Arches whose libseccomp definition uses abi_rule_add (socketcall / ipc multiplexers). */
const MULTIPLEXED: ReadonlySet<ArchName> = new Set([
  'x86',
  'mips',
  'mipsel',
  'ppc',
  'ppc64',
  'ppc64le',
  's390',
  's390x',
]);

/** libseccomp's pseudo syscall numbers for the multiplexed calls (include/seccomp-syscalls.h). */
const SOCKET_PNR: Record<string, number> = {
  socket: -101,
  bind: -102,
  connect: -103,
  listen: -104,
  accept: -105,
  getsockname: -106,
  getpeername: -107,
  socketpair: -108,
  send: -109,
  recv: -110,
  sendto: -111,
  recvfrom: -112,
  shutdown: -113,
  setsockopt: -114,
  getsockopt: -115,
  sendmsg: -116,
  recvmsg: -117,
  accept4: -118,
  recvmmsg: -119,
  sendmmsg: -120,
};
const IPC_PNR: Record<string, number> = {
  semop: -201,
  semget: -202,
  semctl: -203,
  semtimedop: -204,
  msgsnd: -211,
  msgrcv: -212,
  msgget: -213,
  msgctl: -214,
  shmat: -221,
  shmdt: -222,
  shmget: -223,
  shmctl: -224,
};

/** What a rule number stands for across arches: libseccomp translates via the syscall name. */
type SysRef = { name: string } | { pseudo: number };

export interface ArchDb {
  arch: ArchInfo;
  syscalls: SysEntry[];
  byNr: Map<number, { entry: SysEntry; blocks: Block | null }>;
  bigEndian: boolean;
}

/** Arches whose seccomp_data arguments are stored big-endian (the high word first). */
const BIG_ENDIAN: ReadonlySet<ArchName> = new Set([
  'mips',
  'mips64',
  'mips64n32',
  'ppc',
  'ppc64',
  's390',
  's390x',
  'parisc',
  'parisc64',
  'm68k',
  'sheb',
]);

export interface FilterCollection {
  native: ArchName;
  defaultAction: Act;
  badArchAction: Act;
  dbs: ArchDb[];
  /** SCMP_FLTATR_CTL_OPTIMIZE: runc asks for 2 (binary tree) above 32 syscall names. */
  optimize: 1 | 2;
  /** What this libseccomp knows (its syscalls.csv); undefined = our whole table. */
  known: KnownSyscalls | undefined;
}

export class LibseccompError extends Error {
  constructor(
    message: string,
    readonly errno: number,
  ) {
    super(message);
  }
}

export function newFilter(native: ArchName, defaultAction: Act, known?: KnownSyscalls): FilterCollection {
  const f: FilterCollection = {
    native,
    defaultAction,
    // SCMP_FLTATR_ACT_BADARCH defaults to SCMP_ACT_KILL (= KILL_THREAD); runc 1.1 leaves it.
    badArchAction: { value: RET.KILL_THREAD, origin: -1 },
    optimize: 1,
    dbs: [],
    known,
  };
  addArch(f, native);
  return f;
}

/** seccomp_arch_add; libseccomp-golang ignores EEXIST, so adding twice is harmless. */
export function addArch(f: FilterCollection, arch: ArchName): void {
  if (f.dbs.some((d) => d.arch.name === arch)) return;
  f.dbs.push({ arch: archInfo(arch), syscalls: [], byNr: new Map(), bigEndian: BIG_ENDIAN.has(arch) });
}

/** seccomp_syscall_resolve_name_arch, including the socket/ipc munging of multiplexed arches. */
export function resolveName(f: FilterCollection, arch: ArchName, name: string): number | undefined {
  if (f.known && !f.known.names.has(name)) return undefined;
  if (!f.known && !isKnownSyscall(name)) return undefined;
  const pnr = SOCKET_PNR[name] ?? IPC_PNR[name];
  if (MULTIPLEXED.has(arch) && pnr !== undefined) return pnr;
  const nr = rawNumber(f, arch, name);
  if (nr !== undefined) return nr;
  // Known to libseccomp but absent on this arch: a pseudo number (never in the generated BPF).
  return pnr ?? PSEUDO;
}
const PSEUDO = -10000;

/** The arch's own number for a name in this libseccomp's table (no multiplexer munging). */
function rawNumber(f: FilterCollection, arch: ArchName, name: string): number | undefined {
  if (f.known && !f.known.names.has(name)) return undefined;
  const override = f.known?.overrides.get(name)?.get(arch);
  if (override !== undefined) return override ?? undefined;
  return syscallNumber(arch, name);
}

/**
 * seccomp_rule_add_array with a syscall given by name (what runc's GetSyscallFromName + AddRule
 * amount to: the native number is translated back to its name for every other arch).
 * Throws LibseccompError where libseccomp returns an error (runc then refuses the container).
 */
export function ruleAdd(f: FilterCollection, sys: SysRef, action: Act, args: ApiArg[]): void {
  const chain: Array<ApiArg | undefined> = [];
  for (const a of args) {
    if (a.arg > 5 || chain[a.arg] !== undefined) {
      throw new LibseccompError('two conditions on one argument, or argument index > 5', 22);
    }
    chain[a.arg] = a;
  }
  if (action.value === f.defaultAction.value) {
    throw new LibseccompError('rule action equals the default action', 13);
  }
  for (const db of f.dbs) {
    const rc = archRuleAdd(f, db, sys, action, chain);
    if (rc < 0) {
      // db_col_rule_add aborts the whole transaction; runc reports the error and stops.
      throw new LibseccompError(`libseccomp refused the rule on ${db.arch.name} (errno ${-rc})`, -rc);
    }
  }
}

function translate(f: FilterCollection, db: ArchDb, sys: SysRef): number | undefined {
  if ('pseudo' in sys) return sys.pseudo;
  return resolveName(f, db.arch.name, sys.name);
}

function archRuleAdd(
  f: FilterCollection,
  db: ArchDb,
  sysRef: SysRef,
  action: Act,
  args: Array<ApiArg | undefined>,
): number {
  const sys = translate(f, db, sysRef);
  if (sys === undefined) return -14; // EFAULT from arch_syscall_translate
  const add = (nr: number, a: Array<ApiArg | undefined>): number => {
    if (nr < 0) return 0; // pseudo syscalls are never generated into the BPF
    const rule: ApiRule = { syscall: nr, action, args: a };
    const rc = dbRuleAdd(db.syscalls, db.arch.bits, rule);
    return rc;
  };
  if (!MULTIPLEXED.has(db.arch.name)) return add(sys, args);

  const name = 'name' in sysRef ? sysRef.name : undefined;
  const socketPnr = name !== undefined ? SOCKET_PNR[name] : undefined;
  const ipcPnr = name !== undefined ? IPC_PNR[name] : undefined;
  const isSocket = sys <= -100 && sys >= -120;
  const isIpc = sys <= -200 && sys >= -224;
  if (!isSocket && !isIpc) return sys >= 0 ? add(sys, args) : 0;

  const muxName = isSocket ? 'socketcall' : 'ipc';
  const muxNr = syscallNumber(db.arch.name, muxName);
  const direct = name !== undefined ? rawNumber(f, db.arch.name, name) : undefined;
  const pnr = (isSocket ? socketPnr : ipcPnr) ?? sys;
  // rule_a: the multiplexer with arg0 == call number; it *replaces* any condition on arg0.
  const muxArgs = [...args];
  muxArgs[0] = {
    arg: 0,
    op: 'SCMP_CMP_EQ',
    mask: 0xffffffffffffffffn,
    datum: BigInt(-pnr % (isSocket ? 100 : 200)),
  };
  if (muxNr !== undefined) {
    const rc = add(muxNr, muxArgs);
    if (rc < 0) return rc;
  }
  if (direct !== undefined) return add(direct, args);
  return 0;
}

/** Freeze the databases for evaluation: index entries by number. */
export function seal(f: FilterCollection): void {
  // gen_bpf.c lays out x86_64 and x32 as one section, where the first of the two stands.
  const sections: SectionEntry[][] = [];
  let x86Section: SectionEntry[] | undefined;
  for (const db of f.dbs) {
    const bigEndian = BIG_ENDIAN.has(db.arch.name);
    const entries = db.syscalls.filter((s) => s.num >= 0).map((entry) => ({ entry, bigEndian }));
    if (db.arch.name === 'x86_64' || db.arch.name === 'x32') {
      if (x86Section) {
        x86Section.push(...entries);
        continue;
      }
      x86Section = entries;
    }
    sections.push(
      db.arch.name === 'x86_64' || db.arch.name === 'x32' ? (x86Section as SectionEntry[]) : entries,
    );
  }
  const heads = buildFilterBlocks(sections, f.optimize);
  for (const db of f.dbs) {
    db.byNr = new Map(db.syscalls.map((s) => [s.num >>> 0, { entry: s, blocks: heads.get(s) ?? null }]));
    db.bigEndian = BIG_ENDIAN.has(db.arch.name);
  }
}

export interface FilterVerdict {
  act: Act;
  /** 'default' when no rule matched, 'bad-arch' when the arch is not in the filter. */
  via: 'rule' | 'default' | 'bad-arch';
  /** The arch database that decided (x86_64 and x32 share an AUDIT_ARCH). */
  db?: ArchDb;
}

/** Run the filter on seccomp_data {arch, nr, args} as the generated BPF would. */
export function runFilter(
  f: FilterCollection,
  audit: number,
  nrRaw: number,
  args: readonly bigint[],
): FilterVerdict {
  const nr = nrRaw >>> 0;
  let primary: ArchDb | undefined;
  let x32: ArchDb | undefined;
  for (const db of f.dbs) {
    if (db.arch.audit !== audit) continue;
    if (db.arch.name === 'x32') x32 = db;
    else primary = db;
  }
  if (!primary && !x32) return { act: f.badArchAction, via: 'bad-arch' };
  if (audit === archInfo('x86_64').audit) {
    // gen_bpf.c "additional ABI filtering" when only one of x86_64 / x32 is in the filter.
    if (primary && !x32 && nr >= X32_SYSCALL_BIT && nr !== 0xffffffff) {
      return { act: f.badArchAction, via: 'bad-arch' };
    }
    if (x32 && !primary && nr < X32_SYSCALL_BIT) return { act: f.badArchAction, via: 'bad-arch' };
  }
  const db = x32 && nr >= X32_SYSCALL_BIT ? x32 : (primary ?? x32);
  const sys = db?.byNr.get(nr);
  if (!sys) return { act: f.defaultAction, via: 'default', db };
  if (sys.blocks === null) return { act: sys.entry.action, via: 'rule', db };
  const act = runBlocks(sys.blocks, args, (db as ArchDb).bigEndian);
  return act ? { act, via: 'rule', db } : { act: f.defaultAction, via: 'default', db };
}
