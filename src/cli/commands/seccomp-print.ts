/** `breakwater seccomp print --to FORMAT`: parse, then print canonically (OCI output is resolved first). */
import type { ProfileFormat, SeccompProfile } from '../../seccomp/model.js';
import { loadProfile, printProfile } from '../../seccomp/profile/index.js';
import { resolveProfile } from '../../seccomp/resolve.js';
import { type ContextFlags, compileOptions } from './context.js';

export async function run(
  path: string,
  flags: ContextFlags & { to: string; profileFormat: string },
): Promise<void> {
  const { profile } = await loadProfile(path, flags.profileFormat as never);
  const to = flags.to as ProfileFormat;
  let out: SeccompProfile = profile;
  if (
    to !== 'docker' &&
    (profile.archMap?.length || profile.syscalls.some((r) => r.includes || r.excludes))
  ) {
    // OCI and SPO cannot express includes/excludes: do what dockerd does for this container first.
    const { syscalls, ...rest } = resolveProfile(profile, compileOptions(flags));
    out = { ...rest, syscalls: syscalls.map(({ index: _i, ...r }) => r) };
  }
  process.stdout.write(printProfile(out, to));
}
