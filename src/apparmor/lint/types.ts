/** The shape of an AppArmor lint check: the shared check shape over the AppArmor lint context. */
import type { Check as GenericCheck, ReportPos } from '../../report/checks.js';
import type { RuleRef } from '../evaluate.js';
import type { AppArmorLintContext } from './context.js';

export type { CheckMeta, Report } from '../../report/checks.js';
export type Check<M extends string = string> = GenericCheck<AppArmorLintContext, M>;

/** A rule reference as a finding position. */
export function at(ref: RuleRef | null | undefined): ReportPos | undefined {
  return ref ? { file: ref.file, line: ref.line, column: ref.column } : undefined;
}
