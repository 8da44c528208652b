/** `breakwater apparmor lint`: findings for every profile in a policy file, as a table, JSON or SARIF. */
import type { CompiledProfile } from '../../apparmor/evaluate.js';
import { apparmorLintRuleInfo, dockerDefaultBaseline, lintAppArmor } from '../../apparmor/lint/index.js';
import { UsageError } from '../../errors.js';
import { parseFailOn, shouldFail } from '../../report/finding.js';
import { formatJson } from '../../report/json.js';
import { formatSarif } from '../../report/sarif.js';
import { colorByDefault, formatTable } from '../../report/table.js';
import { compileAll, loadPolicy } from './apparmor-load.js';

interface LintFlags {
  include: string[];
  profile?: string;
  baseline: string;
  baselineProfile?: string;
  checks?: string;
  format: string;
  failOn: string;
}

async function baseline(flags: LintFlags): Promise<CompiledProfile> {
  if (flags.baseline === 'docker-default') return dockerDefaultBaseline();
  const loaded = await loadPolicy(flags.baseline, flags.include);
  const all = compileAll(loaded, flags.baselineProfile);
  if (all.length !== 1)
    throw new UsageError(
      `baseline ${flags.baseline} has ${all.length} profiles (${all.map((p) => p.name).join(', ')}); choose one with --baseline-profile`,
    );
  return all[0] as CompiledProfile;
}

export async function run(file: string, flags: LintFlags): Promise<void> {
  const failOn = parseFailOn(flags.failOn);
  if (file === '-' && flags.baseline === '-')
    throw new UsageError('the profile and --baseline cannot both be stdin');
  const profiles = compileAll(await loadPolicy(file, flags.include), flags.profile);
  const checks = flags.checks
    ?.split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const findings = lintAppArmor(profiles, { baseline: await baseline(flags), ...(checks ? { checks } : {}) });
  switch (flags.format) {
    case 'json':
      process.stdout.write(formatJson(findings));
      break;
    case 'sarif':
      process.stdout.write(formatSarif(findings, apparmorLintRuleInfo()));
      break;
    default:
      process.stdout.write(formatTable(findings, { color: colorByDefault() }));
  }
  process.stderr.write(
    `${findings.length} finding(s) in ${profiles.length} profile(s) of ${file === '-' ? '<stdin>' : file}\n`,
  );
  if (shouldFail(findings, failOn)) process.exitCode = 1;
}
