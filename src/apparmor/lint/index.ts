/**
 * `breakwater apparmor lint`: run every check (or a chosen few) over each profile of a policy file.
 * Findings point at the rule that lets the request through (in an included file when it came from
 * there) and name the profile in their data.
 */
import { ruleInfo, runChecks } from '../../report/checks.js';
import { type Finding, sortFindings } from '../../report/finding.js';
import type { RuleInfo } from '../../report/sarif.js';
import type { CompiledProfile } from '../evaluate.js';
import { AppArmorLintContext, type AppArmorLintOptions } from './context.js';
import { CHECKS } from './registry.js';

export { type AppArmorLintOptions, dockerDefaultBaseline } from './context.js';
export { CHECKS, type CheckId } from './registry.js';

export function apparmorLintRuleInfo(): RuleInfo[] {
  return ruleInfo(CHECKS);
}

export function lintAppArmor(
  profiles: readonly CompiledProfile[],
  opts: AppArmorLintOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  for (const profile of profiles) {
    const ctx = new AppArmorLintContext(profile, opts);
    findings.push(
      ...runChecks('apparmor', CHECKS, opts.checks, ctx, profile.pos, () => ({ profile: profile.name })),
    );
  }
  return sortFindings(findings);
}
