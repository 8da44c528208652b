/** `breakwater seccomp known --from-resolver`: what this host's libseccomp knows. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { UsageError } from '../../errors.js';
import { formatKnownSyscalls, knownFromResolver } from '../../seccomp/known.js';

export async function run(flags: { fromResolver: true; output?: string }): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v scmp_sys_resolver'], { stdio: 'ignore' }).status !== 0) {
    throw new UsageError('scmp_sys_resolver not found (install the Debian package "seccomp")');
  }
  // `${Version}` is dpkg-query's own format syntax, not a template literal slip.
  const version =
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query format string
    spawnSync('dpkg-query', ['-W', '-f', '${Version}', 'libseccomp2'], { encoding: 'utf8' }).stdout?.trim() ||
    'unknown';
  process.stderr.write('asking scmp_sys_resolver about every syscall name on 19 arches...\n');
  const known = knownFromResolver(`libseccomp ${version}`);
  const text = formatKnownSyscalls(known, [
    "Syscall names known to this host's libseccomp; written by `breakwater seccomp known --from-resolver`.",
    `libseccomp2 ${version}`,
  ]);
  if (flags.output) writeFileSync(flags.output, text);
  else process.stdout.write(text);
}
