/** Shared by the checks that ask "is this syscall allowed, for some arguments?" (via the evaluator). */
import { sampleArgs, sysEntry } from '../diff.js';
import { type CompiledProfile, evaluate } from '../evaluate.js';
import { type ArchName, archInfo } from '../syscalls/index.js';
import type { SeccompDecision } from '../types.js';

/** ALLOW and LOG both run the syscall; ERRNO/KILL/TRAP do not, TRACE/NOTIFY hand it to another process. */
export function permits(d: SeccompDecision): boolean {
  return d.action === 'SCMP_ACT_ALLOW' || d.action === 'SCMP_ACT_LOG';
}

export interface Sampled {
  args: bigint[];
  decision: SeccompDecision;
}

/**
 * Decisions of `compiled` for one syscall over argument vectors that exercise every comparison of
 * the given profiles' trees (see diff.ts sampleArgs), optionally transformed (e.g. a flag ORed in).
 */
export function sampleDecisions(
  compiled: CompiledProfile,
  arch: ArchName,
  nr: number,
  also: readonly CompiledProfile[] = [],
  transform?: (args: bigint[]) => bigint[],
): Sampled[] {
  const vectors = sampleArgs(
    [sysEntry(compiled, arch, nr), ...also.map((c) => sysEntry(c, arch, nr))],
    archInfo(arch).bits,
  );
  return vectors.map((v) => {
    const args = transform ? transform(v) : v;
    return { args, decision: evaluate(compiled, { arch, syscall: nr, args }) };
  });
}
