/** The shape of a seccomp lint check: typed metadata next to the logic that reports findings. */
import type { SourcePos } from '../../errors.js';
import type { FindingSeverity } from '../../report/finding.js';
import type { LintContext } from './context.js';

export interface CheckMeta<M extends string = string> {
  /** Stable kebab-case id: the folder name, the registry key and the SARIF ruleId. */
  id: string;
  /** One sentence; the first line of the check's README must be exactly this. */
  description: string;
  severity: FindingSeverity;
  /** How to fix it, as a sentence ending with a period. */
  remediation: string;
  /** Message templates keyed by messageId; `{{name}}` is replaced from the report's data. */
  messages: Readonly<Record<M, string>>;
}

export interface Report<M extends string = string> {
  messageId: M;
  data: Record<string, string | number>;
  /** Where the finding points; undefined only when the model has no position (hand-built profiles). */
  pos: SourcePos | undefined;
}

export interface Check<M extends string = string> {
  meta: CheckMeta<M>;
  run(ctx: LintContext, report: (r: Report<M>) => void): void;
}
