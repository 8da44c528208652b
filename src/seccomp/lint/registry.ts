/**
 * Every seccomp lint check, by id. Explicit imports (no directory scanning) so the bundle is static
 * and a missing check is a compile error; the meta-test checks folders = registry = READMEs.
 */

import { defineRegistry } from '../../report/checks.js';
import { allowsBeyondBaseline } from './rules/allows-beyond-baseline/index.js';
import { escapeSyscallOpen } from './rules/escape-syscall-open/index.js';
import { libseccompUnknownName } from './rules/libseccomp-unknown-name/index.js';
import { notFailClosed } from './rules/not-fail-closed/index.js';
import { ruleEqualsDefault } from './rules/rule-equals-default/index.js';
import { runtimeRefuses } from './rules/runtime-refuses/index.js';
import { shadowedRule } from './rules/shadowed-rule/index.js';
import { unknownSyscallForArch } from './rules/unknown-syscall-for-arch/index.js';
import type { Check } from './types.js';

export { defineRegistry };

export const CHECKS = defineRegistry({
  'runtime-refuses': runtimeRefuses,
  'not-fail-closed': notFailClosed,
  'escape-syscall-open': escapeSyscallOpen,
  'allows-beyond-baseline': allowsBeyondBaseline,
  'shadowed-rule': shadowedRule,
  'libseccomp-unknown-name': libseccompUnknownName,
  'unknown-syscall-for-arch': unknownSyscallForArch,
  'rule-equals-default': ruleEqualsDefault,
} satisfies Record<string, Check>);

export type CheckId = keyof typeof CHECKS;
export const CHECK_IDS = Object.keys(CHECKS) as CheckId[];
