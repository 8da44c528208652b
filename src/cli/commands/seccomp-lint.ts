/** `breakwater seccomp lint`: findings for one profile, as a table, JSON or SARIF. */
import { readFile } from 'node:fs/promises';
import { formatDiagnostic } from '../../errors.js';
import { parseFailOn, shouldFail } from '../../report/finding.js';
import { formatJson } from '../../report/json.js';
import { formatSarif } from '../../report/sarif.js';
import { colorByDefault, formatTable } from '../../report/table.js';
import { lintProfile, lintRuleInfo, shippedKnownLists } from '../../seccomp/lint/index.js';
import { loadProfile } from '../../seccomp/profile/index.js';
import { loadBaseline } from './baseline.js';
import { type ContextFlags, compileOptions } from './context.js';

interface LintFlags extends ContextFlags {
  baseline: string;
  format: string;
  failOn: string;
  profileFormat: string;
}

export async function run(path: string, flags: LintFlags): Promise<void> {
  const failOn = parseFailOn(flags.failOn);
  const { profile, diagnostics } = await loadProfile(path, flags.profileFormat as never);
  // Parser warnings are advice about the file itself: stderr, so stdout stays machine-readable.
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const baseline = await loadBaseline(flags.baseline);
  const compile = compileOptions(flags);
  const text = path === '-' ? undefined : await readFile(path, 'utf8');
  const knownBy = compile.knownSyscalls ? [compile.knownSyscalls] : shippedKnownLists();
  const findings = lintProfile(profile, {
    baseline,
    compile,
    knownBy,
    ...(text !== undefined ? { text } : {}),
  });
  switch (flags.format) {
    case 'json':
      process.stdout.write(formatJson(findings));
      break;
    case 'sarif':
      process.stdout.write(formatSarif(findings, lintRuleInfo()));
      break;
    default:
      process.stdout.write(formatTable(findings, { color: colorByDefault() }));
  }
  process.stderr.write(`${findings.length} finding(s) in ${profile.source ?? path}\n`);
  if (shouldFail(findings, failOn)) process.exitCode = 1;
}
