/** The shape of a seccomp lint check: the shared check shape over the seccomp lint context. */
import type { Check as GenericCheck } from '../../report/checks.js';
import type { LintContext } from './context.js';

export type { CheckMeta, Report } from '../../report/checks.js';
export type Check<M extends string = string> = GenericCheck<LintContext, M>;
