/**
 * A finding: one problem a check found, pinned to the exact place in the user's file. Every output
 * format (table, JSON, SARIF) and the `--fail-on` exit-code decision start from this one shape.
 */
import { UsageError } from '../errors.js';

/** Ordered from least to most severe; the order is what `--fail-on` compares. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type FindingSeverity = (typeof SEVERITIES)[number];

export interface Finding {
  /** Stable kebab-case id of the check that fired (also the SARIF ruleId). */
  checkId: string;
  /** Key into the check's `meta.messages`, so tools can group findings without parsing text. */
  messageId?: string;
  severity: FindingSeverity;
  message: string;
  file: string;
  /** 1-based, as editors show them; columns count UTF-16 code units. */
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** The values the message was built from (syscall names, arches...), for machine consumers. */
  data?: Record<string, unknown>;
}

/** `--fail-on` values: `none` never fails; otherwise findings at or above the level fail the run. */
export const FAIL_ON = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export function severityRank(s: FindingSeverity): number {
  return SEVERITIES.indexOf(s);
}

/** Negative when `a` is less severe than `b` (usable as a sort comparator). */
export function compareSeverity(a: FindingSeverity, b: FindingSeverity): number {
  return severityRank(a) - severityRank(b);
}

export function parseFailOn(value: string): FailOn {
  const v = value.trim().toLowerCase();
  if ((FAIL_ON as readonly string[]).includes(v)) return v as FailOn;
  throw new UsageError(`invalid --fail-on value "${value}" (expected one of: ${FAIL_ON.join(', ')})`);
}

/** Does this one finding reach the threshold? `info` never does: it is context, not a problem. */
export function meetsThreshold(severity: FindingSeverity, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return severityRank(severity) >= severityRank(failOn);
}

/** True when the run should exit 1 (findings at or above `--fail-on`). */
export function shouldFail(findings: readonly Finding[], failOn: FailOn): boolean {
  return findings.some((f) => meetsThreshold(f.severity, failOn));
}

/** Stable output order: by file, position, then check id, so reports diff cleanly between runs. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/** Count per severity, most severe first (for summaries). */
export function countBySeverity(findings: readonly Finding[]): Array<[FindingSeverity, number]> {
  const counts = new Map<FindingSeverity, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return [...SEVERITIES]
    .reverse()
    .filter((s) => counts.has(s))
    .map((s) => [s, counts.get(s) as number]);
}
