/**
 * What every family of checks (seccomp lint, AppArmor lint, audit) shares: typed metadata next to
 * the logic, a registry keyed by stable id, message templates filled from data, and the loop that
 * turns reports into positioned findings. A family supplies only its context type.
 */
import { UsageError } from '../errors.js';
import { type Finding, type FindingSeverity, sortFindings } from './finding.js';
import type { RuleInfo } from './sarif.js';

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

/** A place in a file, 1-based. */
export interface ReportPos {
  file: string;
  line: number;
  column: number;
}

export interface Report<M extends string = string> {
  messageId: M;
  data: Record<string, string | number>;
  /** Where the finding points; undefined only when the input has no position (hand-built models). */
  pos: ReportPos | undefined;
}

export interface Check<C, M extends string = string> {
  meta: CheckMeta<M>;
  run(ctx: C, report: (r: Report<M>) => void): void;
}

/** Build a registry, refusing a key that differs from its check's id or an id used twice. */
export function defineRegistry<T extends Record<string, Check<never>>>(checks: T): Readonly<T> {
  const seen = new Set<string>();
  for (const [key, check] of Object.entries(checks)) {
    if (key !== check.meta.id) throw new Error(`lint registry: key "${key}" holds check "${check.meta.id}"`);
    if (seen.has(check.meta.id)) throw new Error(`lint registry: duplicate check id "${check.meta.id}"`);
    seen.add(check.meta.id);
  }
  return Object.freeze(checks);
}

/** Fill `{{key}}` placeholders; an unknown key is a bug in the check, so it stays visible. */
export function formatMessage(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k in data ? String(data[k]) : m));
}

/** The check metadata in the shape the SARIF writer wants (all checks, fired or not). */
export function ruleInfo(checks: Readonly<Record<string, Check<never>>>): RuleInfo[] {
  return Object.values(checks).map((c) => c.meta as CheckMeta & RuleInfo);
}

/**
 * Run the chosen checks (all when `ids` is undefined) over one context. `family` names the kind of
 * check in the error for an unknown id; `fallback` is where a report without a position points.
 */
export function runChecks<C>(
  family: string,
  checks: Readonly<Record<string, Check<C>>>,
  ids: readonly string[] | undefined,
  ctx: C,
  fallback: ReportPos,
  extra?: (r: Report, check: Check<C>) => Record<string, unknown>,
): Finding[] {
  const chosen = ids ?? Object.keys(checks);
  for (const id of chosen) {
    if (!(id in checks))
      throw new UsageError(`unknown ${family} check "${id}" (known: ${Object.keys(checks).join(', ')})`);
  }
  const findings: Finding[] = [];
  for (const id of chosen) {
    const check = checks[id] as Check<C>;
    check.run(ctx, (r: Report) => {
      const pos = r.pos ?? fallback;
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
        data: { ...r.data, ...(extra ? extra(r, check) : {}) },
      });
    });
  }
  return sortFindings(findings);
}
