/** Types shared by the seccomp evaluator and its callers (CLI, lint, diff, simulate). */
import type { SourcePos } from '../errors.js';
import type { KnownSyscalls } from './known.js';
import type { ActionName } from './model.js';
import type { ArchName } from './syscalls/index.js';

/** One question: what does the filter decide for this syscall with these arguments? */
export interface SeccompQuery {
  arch: ArchName;
  /** A name, or the number as the kernel sees it (x32 numbers carry 0x40000000). */
  syscall: string | number;
  /** Up to six 64-bit arguments; missing ones are 0. */
  args?: readonly bigint[];
}

/** What decided: a profile rule, the profile default, or something the runtime/libseccomp added. */
export type DecisionSource = 'rule' | 'default' | 'bad-arch' | 'runc-enosys-stub' | 'kernel-bypass';

export interface RuleRef {
  /** Index into profile.syscalls. */
  index: number;
  /** The syscall name in that rule that matched. */
  name: string;
  pos?: SourcePos;
}

export interface SeccompDecision {
  arch: ArchName;
  syscall: string | undefined;
  nr: number;
  /** Canonical action name (SCMP_ACT_KILL is reported as SCMP_ACT_KILL_THREAD, as libseccomp defines it). */
  action: Exclude<ActionName, 'SCMP_ACT_KILL'>;
  /** For ERRNO (the errno) and TRACE (the ptrace event message). */
  errno?: number;
  source: DecisionSource;
  rule: RuleRef | null;
}

/** The container context Docker resolves `includes`/`excludes` against. */
export interface ResolveContext {
  /** Host (native) arch: picks the archMap entry. Default x86_64. */
  arch?: ArchName;
  /** Effective capability set, e.g. ['CAP_SYS_ADMIN']. Default: Docker's default set. */
  caps?: readonly string[];
  /** Kernel version, e.g. "6.1". Default: no minKernel rule is dropped. */
  kernel?: string;
}

export interface CompileOptions extends ResolveContext {
  /**
   * Names the runtime's libseccomp knows; others are skipped silently as runc does.
   * Default: every name in the generated table.
   */
  knownSyscalls?: KnownSyscalls;
  /** Runtime model: runc 1.1 prepends its -ENOSYS stub; 'libseccomp' loads the filter as is. */
  runtime?: 'runc' | 'libseccomp';
}
