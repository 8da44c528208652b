/**
 * SARIF 2.1.0 output, the format GitHub code scanning and most CI dashboards ingest.
 *
 * Rule ids are the stable check ids and every rule links to its documentation page, so a result
 * stays recognisable across Breakwater versions (code scanning matches alerts by ruleId).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Finding, FindingSeverity } from './finding.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const HELP_BASE = 'https://breakwater.dev/checks/';

/** What SARIF needs to know about a check (lint checks' `meta` satisfies this structurally). */
export interface RuleInfo {
  id: string;
  description: string;
  severity: FindingSeverity;
  remediation?: string;
  /** Message templates keyed by messageId; exported as SARIF `messageStrings`. */
  messages?: Readonly<Record<string, string>>;
}

/** SARIF has three problem levels; critical and high both block a merge, so both are `error`. */
export function sarifLevel(s: FindingSeverity): 'error' | 'warning' | 'note' {
  switch (s) {
    case 'critical':
    case 'high':
      return 'error';
    case 'medium':
      return 'warning';
    default:
      return 'note';
  }
}

/**
 * GitHub code scanning ranks security alerts by `properties["security-severity"]` (a CVSS-like
 * score as a string): these values land in its critical/high/medium/low bands.
 */
const SECURITY_SEVERITY: Record<FindingSeverity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

export function helpUri(id: string): string {
  return `${HELP_BASE}${encodeURIComponent(id)}`;
}

let cachedVersion: string | undefined;
/** The package version, read at run time so a release never reports a stale number. */
export function toolVersion(): string {
  if (cachedVersion === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    cachedVersion = pkg.version;
  }
  return cachedVersion;
}

/**
 * A file name as a SARIF `artifactLocation.uri`: absolute paths become file:// URLs, relative ones
 * become URI references with forward slashes and escaped characters (a space must not break the URI).
 */
export function artifactUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file
    .split(/[\\/]/)
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function descriptor(rule: RuleInfo): ReportingDescriptor {
  const full = rule.remediation ? `${rule.description} ${rule.remediation}` : rule.description;
  const d: ReportingDescriptor = {
    id: rule.id,
    shortDescription: { text: rule.description },
    fullDescription: { text: full },
    helpUri: helpUri(rule.id),
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: { 'security-severity': SECURITY_SEVERITY[rule.severity], tags: ['security'] },
  };
  if (rule.remediation) d.help = { text: rule.remediation };
  if (rule.messages && Object.keys(rule.messages).length > 0) {
    d.messageStrings = Object.fromEntries(Object.entries(rule.messages).map(([k, text]) => [k, { text }]));
  }
  return d;
}

/**
 * Build the log. `rules` should list every check that ran (not only those that fired) so viewers can
 * show what was checked; a finding whose check is missing from `rules` is still reported, with a
 * minimal descriptor, rather than dropped.
 */
export function toSarif(findings: readonly Finding[], rules: readonly RuleInfo[]): Log {
  const all = [...rules];
  const index = new Map<string, number>();
  for (const r of all) if (!index.has(r.id)) index.set(r.id, index.size);
  const unique = all.filter((r, i) => all.findIndex((x) => x.id === r.id) === i);
  for (const f of findings) {
    if (!index.has(f.checkId)) {
      index.set(f.checkId, unique.length);
      unique.push({ id: f.checkId, description: f.checkId, severity: f.severity });
    }
  }
  const results: Result[] = findings.map((f) => {
    const ruleIndex = index.get(f.checkId) as number;
    const region: NonNullable<NonNullable<Result['locations']>[number]['physicalLocation']>['region'] = {
      startLine: f.line,
      startColumn: f.column,
    };
    if (f.endLine !== undefined) region.endLine = f.endLine;
    if (f.endColumn !== undefined) region.endColumn = f.endColumn;
    const r: Result = {
      ruleId: f.checkId,
      ruleIndex,
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(f.file) }, region } }],
    };
    if (f.data && Object.keys(f.data).length > 0) r.properties = { data: jsonSafe(f.data) };
    return r;
  });
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'breakwater',
            version: toolVersion(),
            informationUri: 'https://breakwater.dev/',
            rules: unique.map(descriptor),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** SARIF is JSON: bigints (syscall argument values) become decimal strings, not a serializer crash. */
function jsonSafe(v: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)));
}

export function formatSarif(findings: readonly Finding[], rules: readonly RuleInfo[]): string {
  return `${JSON.stringify(toSarif(findings, rules), null, 2)}\n`;
}
