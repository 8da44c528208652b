/**
 * "The path the kernel sees": AppArmor mediates a file access by the name the kernel builds for
 * the object *as it was reached* (security/apparmor/path.c d_namespace_path -> d_absolute_path /
 * d_path), not by the string the program wrote and not by where the object "really" lives.
 *
 * resolvePath() models that for a simple environment: symlinks (by path) and bind mounts
 * (`source` mounted at `target`). It returns both the name AppArmor matches (`path`) and the
 * kernel object reached (`object`), which is what makes bind-mount escapes visible:
 *
 *   /proc bind-mounted at /tmp/p, write /tmp/p/sys/kernel/core_pattern
 *     object = /proc/sys/kernel/core_pattern   (the file the write changes)
 *     path   = /tmp/p/sys/kernel/core_pattern  (what `deny @{PROC}/sys/kernel/core_pattern w` is
 *                                               matched against: it does not match, the write
 *                                               goes through if another rule allows it)
 *
 * Not modelled: chroot/pivot_root (names relative to the namespace root are what we return),
 * attach_disconnected, overlay/union stacking, `..` crossing out of a mount on its own rules,
 * permissions needed on the directories walked.
 */
import { BreakwaterError } from '../errors.js';

export interface PathEnv {
  /** Symlinks by absolute path (as reached, or as the object path): target absolute or relative. */
  symlinks?: Record<string, string>;
  /** Bind mounts: the tree at `source` is visible (also) at `target`. */
  mounts?: Array<{ source: string; target: string }>;
  /** The calling task: /proc/self resolves to /proc/<pid>, /proc/thread-self to .../task/<tid>. */
  pid?: number;
  tid?: number;
  /** Working directory for relative paths (default `/`). */
  cwd?: string;
  /** Do not follow a symlink in the last component (O_NOFOLLOW, lstat, unlink ...). */
  nofollow?: boolean;
}

export interface ResolvedPath {
  /** The name AppArmor matches rules against. */
  path: string;
  /** The kernel object reached, named in its own filesystem (bind mounts undone). */
  object: string;
  /** Symlinks followed, in order, as `link -> target`. */
  followed: string[];
}

export class PathResolveError extends BreakwaterError {
  constructor(message: string) {
    super(message, 'apparmor-path-resolve');
  }
}

/** Linux's MAXSYMLINKS (fs/namei.c): more than 40 follows is ELOOP. */
const MAX_SYMLINKS = 40;
const DEFAULT_PID = 1234;

export function resolvePath(written: string, env: PathEnv = {}): ResolvedPath {
  const symlinks = env.symlinks ?? {};
  const mounts = (env.mounts ?? []).map((m) => ({ source: norm(m.source), target: norm(m.target) }));
  const pid = env.pid ?? DEFAULT_PID;
  const tid = env.tid ?? pid;
  const followed: string[] = [];

  // Rule 1: a relative name starts at the working directory (the kernel walks from cwd, and
  // d_path names the result from the root, so AppArmor never sees a relative name).
  const start = written.startsWith('/') ? written : `${env.cwd ?? '/'}/${written}`;

  /** Rule 6 (below) in reverse: the object a reached path names, undoing the longest bind mount. */
  const objectOf = (p: string): string => {
    let best: { source: string; target: string } | undefined;
    for (const m of mounts)
      if (under(p, m.target) && (!best || m.target.length > best.target.length)) best = m;
    if (!best) return p;
    return join(best.source, p.slice(best.target.length));
  };

  /** procfs is visible at /proc and wherever /proc (or a subtree holding `self`) is bind-mounted. */
  const isProcRoot = (p: string): boolean => objectOf(p) === '/proc';

  let rest = split(start);
  let done: string[] = [];
  let follows = 0;
  while (rest.length) {
    const comp = rest.shift() as string;
    // Rule 2: `.` and empty components (`//`) name the same directory.
    if (comp === '.' || comp === '') continue;
    // Rule 3: `..` goes to the parent of the directory reached (after symlinks: it is physical),
    // never above `/`.
    if (comp === '..') {
      done.pop();
      continue;
    }
    const parent = `/${done.join('/')}`;
    const here = join(parent, comp);
    const last = rest.length === 0;
    // Rule 4: /proc/self and /proc/thread-self are symlinks procfs makes for the calling task, so
    // AppArmor checks /proc/<pid>/... — a rule on /proc/self/... is a string real opens never meet.
    if (isProcRoot(parent) && (comp === 'self' || comp === 'thread-self') && !(last && env.nofollow)) {
      const target = comp === 'self' ? `${pid}` : `${pid}/task/${tid}`;
      followed.push(`${here} -> ${target}`);
      rest = [...split(target), ...rest];
      continue;
    }
    // Rule 5: a symlink is replaced by its target (absolute: from the root; relative: from the
    // link's directory) and the walk goes on; the last component too unless nofollow.
    const link = symlinks[here] ?? symlinks[objectOf(here)];
    if (link !== undefined && !(last && env.nofollow)) {
      if (++follows > MAX_SYMLINKS)
        throw new PathResolveError(`${written}: too many levels of symbolic links`);
      followed.push(`${here} -> ${link}`);
      if (link.startsWith('/')) done = [];
      rest = [...split(link), ...rest];
      continue;
    }
    done.push(comp);
  }
  // Rule 6: a bind mount changes nothing in the name: the object under /tmp/p is /proc's, but
  // d_path names it /tmp/p/..., and that is the string the profile's globs are matched against.
  const path = `/${done.join('/')}`;
  return { path, object: objectOf(path), followed };
}

function split(p: string): string[] {
  return p.split('/').filter((c) => c !== '');
}
function norm(p: string): string {
  const parts: string[] = [];
  for (const c of split(p)) {
    if (c === '.') continue;
    if (c === '..') parts.pop();
    else parts.push(c);
  }
  return `/${parts.join('/')}`;
}
function join(a: string, b: string): string {
  return norm(`${a}/${b}`);
}
function under(p: string, dir: string): boolean {
  return dir === '/' || p === dir || p.startsWith(`${dir}/`);
}
