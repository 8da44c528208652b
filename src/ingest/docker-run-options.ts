/**
 * Option syntaxes shared by `docker run` flags and `docker inspect` output: `--security-opt`
 * (`HostConfig.SecurityOpt`) and `-v` volume specs (`HostConfig.Binds`).
 */
import type { Severity, SourcePos } from '../errors.js';
import type { Container, Mount, ProfileRef } from '../model/workload.js';
import { parseGoBool } from './docker-run-flags.js';

/** A string value and the position of each of its characters. */
export interface Located {
  value: string;
  /** Position of character `i` (the start of the value when positions inside are unknown). */
  pos(i: number): SourcePos;
}

/** A diagnostic sink: `code` is the suffix after the reader's prefix (`unknown-security-opt`). */
export type Report = (pos: SourcePos, severity: Severity, code: string, message: string) => void;

/** The part of `loc` from character `from`, still with exact positions. */
export function slice(loc: Located, from: number, to?: number): Located {
  return { value: loc.value.slice(from, to), pos: (i) => loc.pos(from + i) };
}

/** `unconfined`, `builtin` (Docker's default), a file, or (in `docker inspect`) the profile itself. */
function seccompRef(v: string): ProfileRef {
  if (v === 'unconfined') return { type: 'unconfined' };
  if (v === 'builtin') return { type: 'runtime-default' };
  // docker inspect shows the content of a file given on the command line, not its name
  if (v.trimStart().startsWith('{')) return { type: 'localhost', profile: '(inline profile)' };
  return { type: 'localhost', profile: v };
}

function apparmorRef(v: string): ProfileRef {
  if (v === 'unconfined') return { type: 'unconfined' };
  if (v === 'docker-default' || v.startsWith('containers-default-')) return { type: 'runtime-default' };
  return { type: 'localhost', profile: v };
}

/**
 * Apply one `--security-opt` value to the container. Docker's reading: `key=value`, or the older
 * `key:value`; only `no-new-privileges` may stand alone. `label=` (SELinux) is ignored.
 */
export function applySecurityOpt(c: Container, opt: Located, report: Report): void {
  const s = opt.value;
  let sep = s.indexOf('=');
  if (sep < 0 && s !== 'no-new-privileges') sep = s.indexOf(':');
  const key = sep < 0 ? s : s.slice(0, sep);
  const value = sep < 0 ? '' : s.slice(sep + 1);
  const pos = opt.pos(0);
  if (sep < 0 && key !== 'no-new-privileges') {
    report(pos, 'error', 'bad-security-opt', `invalid security option "${s}": expected key=value`);
    return;
  }
  switch (key) {
    case 'seccomp':
      if (value === '') report(pos, 'error', 'bad-security-opt', 'seccomp= needs a profile');
      else c.seccomp = { value: seccompRef(value), pos };
      return;
    case 'apparmor':
      if (value === '') report(pos, 'error', 'bad-security-opt', 'apparmor= needs a profile');
      else c.apparmor = { value: apparmorRef(value), pos };
      return;
    case 'no-new-privileges': {
      const b = value === '' ? true : parseGoBool(value);
      if (b === undefined)
        report(pos, 'error', 'bad-security-opt', `no-new-privileges takes true or false, not "${value}"`);
      else c.noNewPrivileges = { value: b, pos };
      return;
    }
    case 'systempaths':
      if (value === 'unconfined') c.procMount = { value: 'Unmasked', pos };
      else report(pos, 'error', 'bad-security-opt', `systempaths only takes "unconfined", not "${value}"`);
      return;
    case 'unmask':
      // podman: unmask=ALL or a list of /proc and /sys paths to leave unmasked
      c.procMount = { value: 'Unmasked', pos };
      return;
    case 'label':
    case 'mask':
    case 'proc-opts':
    case 'writable-cgroups':
      return;
    default:
      report(pos, 'warning', 'unknown-security-opt', `unknown security option "${key}"`);
  }
}

/** Docker's valid `-v` modes (and podman's extras). */
const VOLUME_MODES = new Set([
  'ro',
  'rw',
  'z',
  'Z',
  'shared',
  'rshared',
  'slave',
  'rslave',
  'private',
  'rprivate',
  'nocopy',
  'consistent',
  'cached',
  'delegated',
  'U',
  'O',
  'exec',
  'noexec',
  'suid',
  'nosuid',
  'dev',
  'nodev',
  'copy',
  'nocopy',
  'idmap',
  'bind',
  'rbind',
  'recursive',
  'nonrecursive',
]);

/** Is a `-v` source a host path (bind) rather than a volume name? */
export function isHostPathSource(src: string): boolean {
  return /^[/.~$]/.test(src);
}

/**
 * A `-v` / `Binds` spec: `[source:]target[:mode,...]`. One part is an anonymous volume; a source
 * that is a path (absolute, `./relative`, `~`, or a `$VARIABLE`) is a bind mount, else a named volume.
 */
export function volumeMount(spec: Located, report: Report): Mount | undefined {
  const parts: Located[] = [];
  let from = 0;
  for (let i = 0; i <= spec.value.length; i++)
    if (i === spec.value.length || spec.value[i] === ':') {
      parts.push(slice(spec, from, i));
      from = i + 1;
    }
  const bad = (why: string) => {
    report(spec.pos(0), 'error', 'bad-volume', `invalid volume "${spec.value}": ${why}`);
    return undefined;
  };
  if (parts.length > 3) return bad('too many colons (expected source:target[:mode])');
  const [a, b, c] = parts as [Located, Located | undefined, Located | undefined];
  if (!b) {
    if (a.value === '') return bad('empty target');
    return { type: 'volume', target: { value: a.value, pos: a.pos(0) } };
  }
  if (a.value === '') return bad('empty source');
  if (b.value === '') return bad('empty target');
  const mount: Mount = {
    type: isHostPathSource(a.value) ? 'bind' : 'volume',
    source: { value: a.value, pos: a.pos(0) },
    target: { value: b.value, pos: b.pos(0) },
  };
  if (c) {
    let at = 0;
    for (const m of c.value.split(',')) {
      if (!VOLUME_MODES.has(m) && !/^idmap=/.test(m))
        report(c.pos(at), 'warning', 'unknown-volume-mode', `unknown volume mode "${m}"`);
      if (m === 'ro' || m === 'rw') mount.readOnly = { value: m === 'ro', pos: c.pos(at) };
      at += m.length + 1;
    }
  }
  return mount;
}
