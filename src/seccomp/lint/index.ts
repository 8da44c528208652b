/**
 * `breakwater seccomp lint`: run every check (or a chosen few) over one profile and return findings
 * that point at the exact rule name or default action, with the fix in the message.
 */
import { UsageError } from '../../errors.js';
import { type Finding, sortFindings } from '../../report/finding.js';
import type { RuleInfo } from '../../report/sarif.js';
import type { SeccompProfile } from '../model.js';
import { LintContext, type LintOptions } from './context.js';
import { CHECKS, type CheckId } from './registry.js';
import type { Check, CheckMeta, Report } from './types.js';

export type { KnownNameList, LintOptions } from './context.js';
export { dockerDefaultProfile, shippedKnownLists } from './context.js';
export { CHECK_IDS, CHECKS, type CheckId } from './registry.js';
export type { Check, CheckMeta } from './types.js';

/** Fill `{{key}}` placeholders; an unknown key is a bug in the check, so it stays visible. */
export function formatMessage(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k in data ? String(data[k]) : m));
}

/** The check metadata in the shape the SARIF writer wants (all checks, fired or not). */
export function lintRuleInfo(): RuleInfo[] {
  return Object.values(CHECKS).map((c) => (c as Check).meta as CheckMeta & RuleInfo);
}

export function lintProfile(profile: SeccompProfile, opts: LintOptions = {}): Finding[] {
  const ids = (opts.checks ?? Object.keys(CHECKS)) as string[];
  for (const id of ids) {
    if (!(id in CHECKS))
      throw new UsageError(`unknown seccomp check "${id}" (known: ${Object.keys(CHECKS).join(', ')})`);
  }
  const ctx = new LintContext(profile, opts);
  const findings: Finding[] = [];
  for (const id of ids) {
    const check = CHECKS[id as CheckId] as Check;
    check.run(ctx, (r: Report) => {
      // Without a position (hand-built model, no source text) point at the file's start rather than drop it.
      const pos = r.pos ?? { file: ctx.file, line: 1, column: 1 };
      const template = check.meta.messages[r.messageId];
      if (template === undefined) throw new Error(`check ${id} reported unknown messageId ${r.messageId}`);
      findings.push({
        checkId: check.meta.id,
        messageId: r.messageId,
        severity: check.meta.severity,
        message: `${formatMessage(template, r.data)} (${check.meta.id})`,
        file: pos.file,
        line: pos.line,
        column: pos.column,
        data: r.data,
      });
    });
  }
  return sortFindings(findings);
}
