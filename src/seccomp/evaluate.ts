/**
 * The seccomp evaluator: decide, for any syscall, what the kernel decides once a profile has
 * gone docker/podman -> runc -> libseccomp -> BPF.
 *
 * compileProfile() does the expensive part once (Docker resolution, runc's translation,
 * libseccomp's rule database, runc's -ENOSYS stub); evaluate() then answers a query with a
 * couple of map probes and, for conditional rules, a walk of libseccomp's argument tree.
 */
import { BreakwaterError } from '../errors.js';
import { LIBSECCOMP_25_ARCHES } from './known.js';
import {
  addArch,
  type FilterCollection,
  LibseccompError,
  newFilter,
  RET,
  resolveName,
  ruleAdd,
  runFilter,
  seal,
} from './libseccomp/filter.js';
import { type Act, EEXIST } from './libseccomp/tree.js';
import type { ActionName, SeccompProfile } from './model.js';
import { DEFAULT_KERNEL, kernelAtLeast, type ResolvedProfile, resolveProfile } from './resolve.js';
import {
  type ArchInfo,
  type ArchName,
  archInfo,
  findArch,
  syscallName,
  syscallNumber,
} from './syscalls/index.js';
import type { CompileOptions, RuleRef, SeccompDecision, SeccompQuery } from './types.js';

export const ENOSYS = 38;
export const EPERM = 1;
/** The kernel clamps an ERRNO action's data to MAX_ERRNO before returning it. */
const MAX_ERRNO = 4095;

/** A profile that the runtime would refuse to load (the container would not start). */
export class ProfileLoadError extends BreakwaterError {
  constructor(
    message: string,
    readonly rule?: RuleRef,
  ) {
    super(message, 'seccomp-load-error');
  }
}

/** Arches runc 1.1's ConvertStringToArch accepts (libcontainer/seccomp/config.go): libseccomp 2.5's but PA-RISC. */
const RUNC_ARCHES: ReadonlySet<ArchName> = new Set(
  LIBSECCOMP_25_ARCHES.filter((a) => a !== 'parisc' && a !== 'parisc64'),
);

/** runc's getAction: the 32-bit SECCOMP_RET value for an action name (+ errnoRet). */
export function actionValue(action: ActionName, errnoRet: number | undefined): number {
  switch (action) {
    case 'SCMP_ACT_KILL':
    case 'SCMP_ACT_KILL_THREAD':
      return RET.KILL_THREAD;
    case 'SCMP_ACT_KILL_PROCESS':
      return RET.KILL_PROCESS;
    case 'SCMP_ACT_TRAP':
      return RET.TRAP;
    // runc casts errnoRet to int16 and libseccomp keeps the low 16 bits as SECCOMP_RET_DATA.
    case 'SCMP_ACT_ERRNO':
      return (RET.ERRNO | ((errnoRet ?? EPERM) & 0xffff)) >>> 0;
    case 'SCMP_ACT_TRACE':
      return (RET.TRACE | ((errnoRet ?? EPERM) & 0xffff)) >>> 0;
    case 'SCMP_ACT_LOG':
      return RET.LOG;
    case 'SCMP_ACT_NOTIFY':
      return RET.USER_NOTIF;
    case 'SCMP_ACT_ALLOW':
      return RET.ALLOW;
  }
}

type CanonicalAction = SeccompDecision['action'];

/** Name a SECCOMP_RET value the way libseccomp does; unknown values act as KILL_PROCESS in the kernel. */
export function actionName(value: number): CanonicalAction {
  switch ((value & 0xffff0000) >>> 0) {
    case RET.KILL_PROCESS:
      return 'SCMP_ACT_KILL_PROCESS';
    case RET.KILL_THREAD:
      return 'SCMP_ACT_KILL_THREAD';
    case RET.TRAP:
      return 'SCMP_ACT_TRAP';
    case RET.ERRNO:
      return 'SCMP_ACT_ERRNO';
    case RET.USER_NOTIF:
      return 'SCMP_ACT_NOTIFY';
    case RET.LOG:
      return 'SCMP_ACT_LOG';
    case RET.ALLOW:
      return 'SCMP_ACT_ALLOW';
    default:
      return (value & 0xfff00000) >>> 0 === RET.TRACE ? 'SCMP_ACT_TRACE' : 'SCMP_ACT_KILL_PROCESS';
  }
}

/** Kernel precedence (kernel/seccomp.c): lower (s32)(ret & SECCOMP_RET_ACTION_FULL) is more severe. */
export function severity(value: number): number {
  return (value & 0xffff0000) | 0;
}

interface StubArch {
  audit: number;
  /** Largest syscall number the profile names, per sub-arch (x86_64 and x32 share an audit arch). */
  max: Partial<Record<'primary' | 'x32', number>>;
  s390: boolean;
}

export interface CompiledProfile {
  /** x86_64 syscall numbers the host kernel never shows to seccomp (uretprobe, uprobe). */
  bypass: ReadonlySet<number>;
  profile: SeccompProfile;
  resolved: ResolvedProfile;
  native: ArchName;
  filter: FilterCollection;
  /** runc's -ENOSYS stub, per audit arch; empty when runc would not prepend one. */
  stub: Map<number, StubArch>;
  refs: RuleRef[];
  /** Names skipped because the runtime's libseccomp does not know them. */
  skippedNames: Array<{ name: string; rule: RuleRef }>;
}

function toAct(value: number, origin: number): Act {
  return { value: value >>> 0, origin };
}

/** Compile once: the model of what runc + libseccomp load into the kernel for this container. */
export function compileProfile(profile: SeccompProfile, opts: CompileOptions = {}): CompiledProfile {
  const native = opts.arch ?? 'x86_64';
  const runtime = opts.runtime ?? 'runc';
  const resolved = resolveProfile(profile, opts);
  const known = opts.knownSyscalls;

  if (runtime === 'runc' && resolved.flags.length > 0) {
    // runc 1.1 (libcontainer/specconv SetupSeccomp): "seccomp flags are not yet supported by runc".
    throw new ProfileLoadError('runc 1.1 refuses seccomp profiles that set flags');
  }
  if (resolved.defaultAction === 'SCMP_ACT_NOTIFY') {
    throw new ProfileLoadError('SCMP_ACT_NOTIFY cannot be used as default action');
  }
  const defaultValue = actionValue(resolved.defaultAction, resolved.defaultErrnoRet);
  if (!libseccompAcceptsAction(defaultValue)) {
    throw new ProfileLoadError(
      `libseccomp refuses the default action (errno ${defaultValue & 0xffff} is not below 4095)`,
    );
  }
  const filter = newFilter(native, toAct(defaultValue, -1), known);
  const archNames: ArchName[] = [];
  for (const a of resolved.architectures) {
    const info = findArch(a);
    if (!info || (runtime === 'runc' && !RUNC_ARCHES.has(info.name))) {
      throw new ProfileLoadError(`unknown architecture ${a}`);
    }
    archNames.push(info.name);
    addArch(filter, info.name);
  }

  const refs: RuleRef[] = [];
  const skippedNames: CompiledProfile['skippedNames'] = [];
  for (const rule of resolved.syscalls) {
    const value = actionValue(rule.action, rule.errnoRet);
    rule.names.forEach((name, i) => {
      const ref: RuleRef = {
        index: rule.index,
        name,
        ...(rule.namePos?.[i] ? { pos: rule.namePos[i] } : {}),
      };
      if (rule.action === 'SCMP_ACT_NOTIFY' && name === 'write') {
        throw new ProfileLoadError('SCMP_ACT_NOTIFY cannot be used for the write syscall', ref);
      }
      // runc matchCall: a rule with the default action is skipped before libseccomp sees it.
      if (value === defaultValue) return;
      // runc: "unknown seccomp syscall ignored" when its libseccomp cannot resolve the name.
      if (resolveName(filter, native, name) === undefined) {
        skippedNames.push({ name, rule: ref });
        return;
      }
      const origin = refs.push(ref) - 1;
      const act = toAct(value, origin);
      const conds = rule.args.map((c) => ({
        arg: c.index,
        op: c.op,
        mask: c.op === 'SCMP_CMP_MASKED_EQ' ? c.value : 0xffffffffffffffffn,
        datum: c.op === 'SCMP_CMP_MASKED_EQ' ? c.valueTwo : c.value,
      }));
      const perIndex = new Map<number, number>();
      for (const c of conds) perIndex.set(c.arg, (perIndex.get(c.arg) ?? 0) + 1);
      // runc: conditions on the same argument become separate single-condition rules (ORed).
      const split = [...perIndex.values()].some((n) => n > 1);
      try {
        if (split) for (const c of conds) ruleAdd(filter, { name }, act, [c]);
        else ruleAdd(filter, { name }, act, conds);
      } catch (e) {
        if (e instanceof LibseccompError) {
          const why =
            e.errno === EEXIST ? 'conflicts with an earlier rule for the same arguments' : e.message;
          throw new ProfileLoadError(`runc would refuse the profile: rule for ${name} ${why}`, ref);
        }
        throw e;
      }
    });
  }
  // runc InitSeccomp: "if len(config.Syscalls) > 32 { filter.SetOptimize(2) }", counting every
  // name of every rule (specconv expands names), skipped or not.
  if (runtime === 'runc' && resolved.syscalls.reduce((n, r) => n + r.names.length, 0) > 32)
    filter.optimize = 2;
  seal(filter);

  const stub = runtime === 'runc' ? runcStub(resolved, archNames, filter) : new Map<number, StubArch>();
  return {
    bypass: kernelBypass(opts.kernel ?? DEFAULT_KERNEL),
    profile,
    resolved,
    native,
    filter,
    stub,
    refs,
    skippedNames,
  };
}

/**
 * Since Linux 6.13 the x86_64 uretprobe syscall (335) skips seccomp entirely ("seccomp:
 * passthrough uretprobe systemcall without filtering"), and since 6.16 uprobe (336) does too:
 * both only work from the kernel's own trampolines, so no profile can allow or deny them.
 */
export function kernelBypass(kernel: string): ReadonlySet<number> {
  const out = new Set<number>();
  if (kernelAtLeast(kernel, '6.13')) out.add(335);
  if (kernelAtLeast(kernel, '6.16')) out.add(336);
  return out;
}

/** libseccomp 2.5.4 system.c sys_chk_seccomp_action: an ERRNO's data must be below MAX_ERRNO (4095). */
function libseccompAcceptsAction(value: number): boolean {
  return (value & 0xffff0000) >>> 0 !== RET.ERRNO || (value & 0xffff) < MAX_ERRNO;
}

/** runc 1.1 libcontainer/seccomp/patchbpf: which arches get the -ENOSYS prologue, and their limits. */
function runcStub(
  resolved: ResolvedProfile,
  arches: ArchName[],
  filter: FilterCollection,
): Map<number, StubArch> {
  const stub = new Map<number, StubArch>();
  const action = resolved.defaultAction;
  if (action === 'SCMP_ACT_ALLOW' || action === 'SCMP_ACT_LOG' || action === 'SCMP_ACT_TRACE') return stub;
  for (const arch of arches) {
    // findLastSyscalls: every rule name counts, even rules runc later skips for equalling the default.
    let largest = 0;
    for (const rule of resolved.syscalls) {
      for (const name of rule.names) {
        const nr = resolveName(filter, arch, name);
        if (nr !== undefined && nr > largest) largest = nr;
      }
    }
    if (largest === 0) continue; // "could not find any syscalls for arch"
    const info = archInfo(arch);
    const entry = stub.get(info.audit) ?? {
      audit: info.audit,
      max: {},
      s390: arch === 's390' || arch === 's390x',
    };
    entry.max[arch === 'x32' ? 'x32' : 'primary'] = largest;
    stub.set(info.audit, entry);
  }
  return stub;
}

/** True when runc's stub answers -ENOSYS before the libseccomp filter runs. */
function stubSaysEnosys(s: StubArch, nr: number): boolean {
  const { primary, x32 } = s.max;
  if (primary !== undefined && x32 !== undefined) {
    return nr & 0x40000000 ? nr > x32 : nr > primary;
  }
  if (x32 !== undefined) return (nr & 0x40000000) !== 0 && nr > x32;
  if (primary === undefined) return false;
  if (s.s390 && nr === 0) return true;
  if (s.audit === X86_64_AUDIT && nr & 0x40000000) return false;
  return nr > primary;
}
const X86_64_AUDIT = 0xc000003e;

/** Turn a query's syscall (name or number) into the number the kernel sees for that arch. */
export function queryNumber(arch: ArchInfo, syscall: string | number): number | undefined {
  if (typeof syscall === 'number') return syscall;
  if (/^(0x[0-9a-f]+|\d+)$/i.test(syscall)) return Number(syscall);
  return syscallNumber(arch.name, syscall);
}

const NO_ARGS: readonly bigint[] = [];

/** Decide one query against a compiled profile. */
export function evaluate(compiled: CompiledProfile, query: SeccompQuery): SeccompDecision {
  const arch = archInfo(query.arch);
  const nr = queryNumber(arch, query.syscall);
  if (nr === undefined) {
    throw new BreakwaterError(`unknown syscall "${query.syscall}" on ${query.arch}`, 'unknown-syscall');
  }
  const name =
    typeof query.syscall === 'string' && !/^\d|^0x/i.test(query.syscall)
      ? query.syscall
      : syscallName(arch.name, nr);
  const u = nr >>> 0;
  if (arch.audit === X86_64_AUDIT && compiled.bypass.has(u)) {
    return {
      arch: arch.name,
      syscall: name,
      nr,
      action: 'SCMP_ACT_ALLOW',
      source: 'kernel-bypass',
      rule: null,
    };
  }
  const s = compiled.stub.get(arch.audit);
  if (s && stubSaysEnosys(s, u)) {
    return {
      arch: arch.name,
      syscall: name,
      nr,
      action: 'SCMP_ACT_ERRNO',
      errno: ENOSYS,
      source: 'runc-enosys-stub',
      rule: null,
    };
  }
  const verdict = runFilter(compiled.filter, arch.audit, u, query.args ?? NO_ARGS);
  const value = verdict.act.value;
  const action = actionName(value);
  const decision: SeccompDecision = {
    arch: arch.name,
    syscall: name,
    nr,
    action,
    source: verdict.via,
    rule: verdict.via === 'rule' ? (compiled.refs[verdict.act.origin] ?? null) : null,
  };
  if (action === 'SCMP_ACT_ERRNO') decision.errno = Math.min(value & 0xffff, MAX_ERRNO);
  if (action === 'SCMP_ACT_TRACE') decision.errno = value & 0xffff;
  return decision;
}

/** Several filters on one task: the kernel runs them all and the most severe action wins. */
export function evaluateStack(stack: readonly CompiledProfile[], query: SeccompQuery): SeccompDecision {
  let best: SeccompDecision | undefined;
  let bestSeverity = 0;
  for (const compiled of stack) {
    const d = evaluate(compiled, query);
    const sev = severity(decisionValue(d));
    // ties keep the first (the most recently installed filter comes first in `stack`)
    if (best === undefined || sev < bestSeverity) {
      best = d;
      bestSeverity = sev;
    }
  }
  if (!best) throw new BreakwaterError('empty filter stack', 'usage');
  return best;
}

export function decisionValue(d: SeccompDecision): number {
  return actionValue(d.action, d.errno);
}
