/**
 * `breakwater audit PATH...`: findings for every workload in every file (folders recursed, kind
 * detected by content, `-` for stdin). Broken files: diagnostics on stderr and exit 2, while the
 * other files are still audited and reported.
 */

import { inputFiles } from '../../audit/files.js';
import { auditRuleInfo, auditText } from '../../audit/index.js';
import { type Diagnostic, formatDiagnostic, UsageError } from '../../errors.js';
import { SOURCE_KINDS, type SourceKind } from '../../model/workload.js';
import { type Finding, parseFailOn, shouldFail, sortFindings } from '../../report/finding.js';
import { formatJson } from '../../report/json.js';
import { formatSarif } from '../../report/sarif.js';
import { colorByDefault, formatTable } from '../../report/table.js';

interface AuditFlags {
  format: string;
  failOn: string;
  kind?: string;
  checks?: string;
}

export async function run(paths: string[], flags: AuditFlags): Promise<void> {
  const failOn = parseFailOn(flags.failOn);
  if (!paths.length) throw new UsageError('give at least one file, folder, or - for stdin');
  if (flags.kind !== undefined && !(SOURCE_KINDS as readonly string[]).includes(flags.kind))
    throw new UsageError(`unknown --kind "${flags.kind}" (one of ${SOURCE_KINDS.join(', ')})`);
  const checks = flags.checks
    ?.split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const diagnostics: Diagnostic[] = [];
  const findings: Finding[] = [];
  let files = 0;
  let workloads = 0;
  for await (const f of inputFiles(paths, diagnostics)) {
    files++;
    const r = auditText(f.text, f.file, {
      ...(flags.kind ? { kind: flags.kind as SourceKind } : {}),
      ...(checks ? { checks } : {}),
    });
    workloads += r.workloads.length;
    findings.push(...r.findings);
    diagnostics.push(...r.diagnostics);
  }
  const sorted = sortFindings(findings);
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  switch (flags.format) {
    case 'json':
      process.stdout.write(formatJson(sorted));
      break;
    case 'sarif':
      process.stdout.write(formatSarif(sorted, auditRuleInfo()));
      break;
    default:
      process.stdout.write(formatTable(sorted, { color: colorByDefault() }));
  }
  process.stderr.write(`${sorted.length} finding(s) in ${workloads} workload(s) from ${files} file(s)\n`);
  if (diagnostics.some((d) => d.severity === 'error')) process.exitCode = 2;
  else if (shouldFail(sorted, failOn)) process.exitCode = 1;
}
