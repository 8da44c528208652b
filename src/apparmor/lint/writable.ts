/**
 * One shape for the "writable kernel control file" checks: each has its own id and paths, and
 * reports every rule that lets a write through, with the paths it lets through.
 */
import type { FindingSeverity } from '../../report/finding.js';
import { byRule } from './context.js';
import { at, type Check } from './types.js';

export interface WritableSpec {
  id: string;
  description: string;
  severity: FindingSeverity;
  remediation: string;
  paths: readonly string[];
  /** Why a write there escapes, appended to the message. */
  why: string;
}

export function writableCheck(spec: WritableSpec): Check<'writable'> {
  return {
    meta: {
      id: spec.id,
      description: spec.description,
      severity: spec.severity,
      remediation: spec.remediation,
      messages: { writable: `{{paths}} writable through \`{{rule}}\`: ${spec.why}` },
    },
    run(ctx, report) {
      for (const g of byRule(spec.paths.map((p) => ctx.writable(p)))) {
        const paths = g.allowed.map((a) => (a.query as { path: string }).path);
        report({
          messageId: 'writable',
          data: { paths: paths.join(', '), rule: g.rule.text },
          pos: at(g.rule),
        });
      }
    },
  };
}
