/**
 * `breakwater seccomp lint`: run every check (or a chosen few) over one profile and return findings
 * that point at the exact rule name or default action, with the fix in the message.
 */
import { ruleInfo, runChecks } from '../../report/checks.js';
import type { Finding } from '../../report/finding.js';
import type { RuleInfo } from '../../report/sarif.js';
import type { SeccompProfile } from '../model.js';
import { LintContext, type LintOptions } from './context.js';
import { CHECKS } from './registry.js';

export { formatMessage } from '../../report/checks.js';
export type { KnownNameList, LintOptions } from './context.js';
export { dockerDefaultProfile, shippedKnownLists } from './context.js';
export { CHECK_IDS, CHECKS, type CheckId } from './registry.js';
export type { Check, CheckMeta } from './types.js';

/** The check metadata in the shape the SARIF writer wants (all checks, fired or not). */
export function lintRuleInfo(): RuleInfo[] {
  return ruleInfo(CHECKS);
}

export function lintProfile(profile: SeccompProfile, opts: LintOptions = {}): Finding[] {
  const ctx = new LintContext(profile, opts);
  // Without a position (hand-built model, no source text) point at the file's start rather than drop it.
  return runChecks('seccomp', CHECKS, opts.checks, ctx, { file: ctx.file, line: 1, column: 1 });
}
