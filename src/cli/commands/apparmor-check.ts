/** `breakwater apparmor check`: our own verdict on an AppArmor policy file (no external tool). */
import { checkProfile } from '../../apparmor/check.js';
import { DEFAULT_INCLUDE_DIRS } from '../../apparmor/include.js';
import { formatDiagnostic } from '../../errors.js';
import { readPolicy } from './apparmor-fmt.js';

export interface CheckFlags {
  include: string[];
  format: 'table' | 'json';
}

export async function run(path: string, flags: CheckFlags): Promise<void> {
  const { text, name } = await readPolicy(path);
  const includeDirs = flags.include?.length ? flags.include : DEFAULT_INCLUDE_DIRS;
  const { valid, diagnostics } = checkProfile(text, name, { includeDirs });
  if (flags.format === 'json') {
    process.stdout.write(`${JSON.stringify({ valid, diagnostics }, null, 2)}\n`);
  } else {
    for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (valid) process.stdout.write(`${name}: valid\n`);
  }
  if (!valid) process.exitCode = 2;
}
