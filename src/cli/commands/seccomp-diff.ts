/** `breakwater seccomp diff A B`: every syscall / argument condition whose decision changes, per arch. */
import { type DiffEntry, diffProfiles } from '../../seccomp/diff.js';
import { loadProfile } from '../../seccomp/profile/index.js';
import { type ContextFlags, compileOptions } from './context.js';

export async function run(
  a: string,
  b: string,
  flags: ContextFlags & { format: string; profileFormat: string },
): Promise<void> {
  const [pa, pb] = await Promise.all([
    loadProfile(a, flags.profileFormat as never),
    loadProfile(b, flags.profileFormat as never),
  ]);
  const entries = diffProfiles(pa.profile, pb.profile, compileOptions(flags));
  if (flags.format === 'json') {
    process.stdout.write(`${JSON.stringify({ schemaVersion: 1, a, b, changes: entries })}\n`);
  } else {
    process.stdout.write(entries.map(formatEntry).join('\n') + (entries.length ? '\n' : ''));
  }
  process.stderr.write(`${entries.length} change(s) between ${a} and ${b}\n`);
}

function verdict(v: DiffEntry['before']): string {
  const short = v.action.replace(/^SCMP_ACT_/, '');
  return v.errno !== undefined ? `${short}(${v.errno})` : short;
}

function formatEntry(e: DiffEntry): string {
  const args = e.args ? `(${e.args.join(', ')})` : '';
  return `${e.arch.padEnd(8)} ${`${e.syscall ?? `#${e.nr}`}${args}`.padEnd(40)} ${verdict(e.before)} -> ${verdict(e.after)}`;
}
