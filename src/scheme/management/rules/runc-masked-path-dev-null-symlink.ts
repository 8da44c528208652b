import type { ManagementRule } from '../types.js';

/**
 * CVE-2025-31133: the runtime masks a file by bind-mounting the container's /dev/null over it, and
 * the container made /dev/null a symlink (to the masked file itself, or to a host-global procfs
 * file such as core_pattern), so the bind's source is that file and the "mask" exposes it.
 * AppArmor matches a bind mount's source by the resolved path, so a mount onto one of runc's
 * masked files from any source but /dev/null is refused. The source pattern is every path except
 * /dev/null, spelled as AppArmor globs can (no negation): not under /dev/, or under /dev/ but not
 * `null`. The targets are runc's default masked files; directories are masked with a tmpfs, whose
 * source is not a path. Left open: a /dev/null that is a regular file or another device (the
 * path is right, the inode is not); masked-path-check (runc 1.2.8, 1.3.3, 1.4.0-rc.3) is the fix.
 */
const NOT_DEV_NULL =
  '/{[^d]**,d[^e]**,de[^v]**,dev[^/]**,dev/[^n]**,dev/n[^u]**,dev/nu[^l]**,dev/nul[^l]**,dev/null?**}';
const MASKED_FILES = '/proc/{kcore,keys,latency_stats,timer_list,timer_stats,sched_debug}';

export const rules: ManagementRule[] = [
  {
    component: 'runtime',
    techniques: ['runc-masked-path-dev-null-symlink'],
    why: 'a mount onto a masked /proc file from anything but /dev/null means the container replaced /dev/null and the mask would expose the file',
    rule: { kind: 'mount', source: NOT_DEV_NULL, target: MASKED_FILES },
  },
];
