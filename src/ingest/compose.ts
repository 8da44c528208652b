/**
 * Compose files (v2, v3 and the compose spec; v1 files without `services:` too) -> one workload
 * per service, named `service <name>`, positioned at the service key.
 *
 * Values are read as compose-go reads them: `<<` merges of `x-` fragments apply, booleans may be
 * strings (`privileged: "yes"`), `${VAR}` values are reported and not guessed, short volume and
 * port syntax is split as `docker compose` splits it, and `security_opt` follows the Docker CLI
 * (`key=value`, or `key:value` when there is no `=`).
 */
import { isMap, isScalar, isSeq } from 'yaml';
import {
  type At,
  type Container,
  emptyContainer,
  type Mount,
  normalizeCapability,
  type ProfileRef,
  type Reader,
  type ReadResult,
  type Workload,
} from '../model/workload.js';
import { guarded, sortDiagnostics, YamlFile as Y, type YNode } from './yaml.js';

/** Ports published from one range are listed up to this many. */
const MAX_RANGE_PORTS = 1024;

export const readCompose: Reader = (text, file) =>
  guarded<ReadResult>(
    file,
    () => ({ workloads: [], diagnostics: [] }),
    () => {
      const y = new Y(text, file, { version: '1.2', codePrefix: 'compose', interpolation: true });
      const workloads: Workload[] = [];
      for (const doc of y.docs) {
        const root = y.resolve(doc.contents);
        if (!root || !isMap(root)) {
          y.report(
            doc.pos,
            'info',
            'compose-not-object',
            `document ${doc.index + 1} is not a mapping; skipped`,
          );
          continue;
        }
        const services = y.get(root, 'services');
        if (services !== undefined) {
          if (!y.map(services, 'services')) continue;
          for (const e of y.entries(services)) readService(y, e.key, e.keyNode, e.value, workloads);
          continue;
        }
        const v1 = y
          .entries(root)
          .filter(
            (e) =>
              !e.key.startsWith('x-') &&
              e.value &&
              isMap(e.value) &&
              (y.get(e.value, 'image') !== undefined || y.get(e.value, 'build') !== undefined),
          );
        if (v1.length && y.get(root, 'version') === undefined) {
          y.report(doc.pos, 'info', 'compose-v1', 'compose v1 file (services at the top level)');
          for (const e of v1) readService(y, e.key, e.keyNode, e.value, workloads);
        } else y.report(doc.pos, 'warning', 'compose-no-services', 'no services: mapping; nothing to audit');
      }
      return { workloads, diagnostics: sortDiagnostics(y.diagnostics) };
    },
  );

function readService(y: Y, name: string, keyNode: YNode, node: YNode | undefined, out: Workload[]): void {
  const what = `services.${name}`;
  if (!y.map(node, what)) {
    if (y.isNull(node)) y.report(keyNode, 'warning', 'compose-type', `${what}: empty service`);
    return;
  }
  const pos = y.posOf(keyNode);
  const c = emptyContainer(name, pos);
  const w: Workload = { source: 'compose', name: `service ${name}`, file: y.file, pos, containers: [c] };
  const get = (key: string) => y.get(node, key);
  const str = (key: string) => y.str(get(key), `${what}.${key}`);

  assign(c, 'image', str('image'));
  assign(c, 'privileged', y.bool(get('privileged'), `${what}.privileged`));
  assign(c, 'readOnlyRootFilesystem', y.bool(get('read_only'), `${what}.read_only`));
  assign(c, 'user', y.str(get('user'), `${what}.user`, { coerce: true }));
  assign(c, 'workdir', str('working_dir'));

  for (const [key, list] of [
    ['cap_add', c.capAdd],
    ['cap_drop', c.capDrop],
  ] as const)
    (y.seq(get(key), `${what}.${key}`) ?? []).forEach((n, i) => {
      const cap = y.str(n, `${what}.${key}[${i}]`);
      if (cap) list.push({ value: normalizeCapability(cap.value), pos: cap.pos });
    });

  const mode = (key: string, yes: string) => {
    const v = str(key);
    return v && { value: v.value === yes, pos: v.pos };
  };
  assign(w, 'hostPid', mode('pid', 'host'));
  assign(w, 'hostIpc', mode('ipc', 'host'));
  assign(w, 'hostNetwork', mode('network_mode', 'host'));
  assign(w, 'cgroupnsHost', mode('cgroup', 'host'));
  const userns = str('userns_mode');
  if (userns?.value) w.userNamespace = { value: userns.value !== 'host', pos: userns.pos };

  (y.seq(get('security_opt'), `${what}.security_opt`) ?? []).forEach((n, i) => {
    securityOpt(y, n, `${what}.security_opt[${i}]`, c);
  });
  (y.seq(get('volumes'), `${what}.volumes`) ?? []).forEach((n, i) => {
    const m = volume(y, n, `${what}.volumes[${i}]`);
    if (m) c.mounts.push(m);
  });
  tmpfs(y, get('tmpfs'), `${what}.tmpfs`, c);
  (y.seq(get('devices'), `${what}.devices`) ?? []).forEach((n, i) => {
    const d = device(y, n, `${what}.devices[${i}]`);
    if (d) c.devices.push(d);
  });
  sysctls(y, get('sysctls'), `${what}.sysctls`, c);
  (y.seq(get('ports'), `${what}.ports`) ?? []).forEach((n, i) => {
    ports(y, n, `${what}.ports[${i}]`, c);
  });
  out.push(w);
}

/** Docker CLI: cut at `=`; without one (and not bare no-new-privileges) cut at `:`. */
function securityOpt(y: Y, node: YNode, what: string, c: Container): void {
  const s = y.str(node, what);
  if (!s) return;
  const raw = s.value;
  let cut = raw.indexOf('=');
  if (cut < 0 && raw !== 'no-new-privileges') cut = raw.indexOf(':');
  const key = cut < 0 ? raw : raw.slice(0, cut);
  const value = cut < 0 ? '' : raw.slice(cut + 1);
  const vpos = y.posIn(node, cut + 1);
  const bad = (why: string) => y.report(s.pos, 'warning', 'compose-value', `${what}: ${why}`);
  if (key !== 'no-new-privileges' && value === '') {
    bad(`${JSON.stringify(raw)} has no value`);
    return;
  }
  const profile = (ref: ProfileRef): At<ProfileRef> => ({ value: ref, pos: vpos });
  switch (key) {
    case 'seccomp':
      c.seccomp =
        value === 'unconfined'
          ? profile({ type: 'unconfined' })
          : value === 'builtin'
            ? profile({ type: 'runtime-default' })
            : profile({ type: 'localhost', profile: value });
      return;
    case 'apparmor':
      c.apparmor =
        value === 'unconfined'
          ? profile({ type: 'unconfined' })
          : profile({ type: 'localhost', profile: value });
      return;
    case 'no-new-privileges': {
      // strconv.ParseBool
      const v =
        value === '' || /^(1|t|T|TRUE|true|True)$/.test(value)
          ? true
          : /^(0|f|F|FALSE|false|False)$/.test(value)
            ? false
            : undefined;
      if (v === undefined) {
        bad(`no-new-privileges: ${JSON.stringify(value)} is not a boolean`);
        return;
      }
      c.noNewPrivileges = { value: v, pos: value === '' ? s.pos : vpos };
      return;
    }
    case 'systempaths':
      if (value === 'unconfined') c.procMount = { value: 'Unmasked', pos: vpos };
      else bad(`systempaths=${value}: only "unconfined" is known`);
      return;
    case 'label':
    case 'mask':
    case 'unmask':
    case 'proc-opts':
      return; // SELinux labels and podman-only path options: not modelled
    default:
      bad(`unknown option ${JSON.stringify(key)}`);
  }
}

/** compose-go ParseVolume: split at `:` except after a Windows drive letter. */
function splitVolume(spec: string): Array<{ text: string; at: number }> {
  const parts: Array<{ text: string; at: number }> = [];
  let start = 0;
  for (let i = 0; i < spec.length; i++) {
    if (spec[i] !== ':') continue;
    const buf = spec.slice(start, i);
    if (buf.length === 1 && /[A-Za-z]/.test(buf) && (spec[i + 1] === '\\' || spec[i + 1] === '/')) continue;
    parts.push({ text: buf, at: start });
    start = i + 1;
  }
  parts.push({ text: spec.slice(start), at: start });
  return parts;
}

function isHostPath(source: string): boolean {
  return /^([./~$]|\\\\|[A-Za-z]:[\\/])/.test(source);
}

function volume(y: Y, node: YNode, what: string): Mount | undefined {
  if (isScalar(node)) {
    const s = y.str(node, what);
    if (!s) return undefined;
    const parts = splitVolume(s.value);
    const at = (i: number) => ({ value: parts[i]?.text ?? '', pos: y.posIn(node, parts[i]?.at ?? 0) });
    if (parts.length > 3)
      y.report(s.pos, 'warning', 'compose-value', `${what}: too many colons in ${s.value}`);
    if (parts.length === 1) return { type: 'volume', target: at(0) };
    const source = at(0);
    const m: Mount = { type: isHostPath(source.value) ? 'bind' : 'volume', source, target: at(1) };
    const opts = parts[2];
    if (opts) {
      const flags = opts.text.split(',');
      const pos = y.posIn(node, opts.at);
      if (flags.includes('ro')) m.readOnly = { value: true, pos };
      else if (flags.includes('rw')) m.readOnly = { value: false, pos };
    }
    return m;
  }
  if (!y.map(node, what)) return undefined;
  const target = y.str(y.get(node, 'target'), `${what}.target`);
  if (!target) {
    y.report(node, 'warning', 'compose-missing', `${what}: no target`);
    return undefined;
  }
  const source = y.str(y.get(node, 'source'), `${what}.source`);
  const type = y.str(y.get(node, 'type'), `${what}.type`)?.value;
  const kind: Mount['type'] =
    type === 'bind' || type === 'volume' || type === 'tmpfs'
      ? type
      : type !== undefined
        ? 'other'
        : source && isHostPath(source.value)
          ? 'bind'
          : 'volume';
  const m: Mount = { type: kind, target };
  if (source && kind !== 'tmpfs') m.source = source;
  assign(m, 'readOnly', y.bool(y.get(node, 'read_only'), `${what}.read_only`));
  return m;
}

/** `tmpfs: /run` or a list; `/run:size=64m` options are ignored. */
function tmpfs(y: Y, node: YNode | undefined, what: string, c: Container): void {
  const n = y.resolve(node);
  if (!n || y.isNull(n)) return;
  const items = isScalar(n) ? [n] : (y.seq(n, what) ?? []);
  items.forEach((it, i) => {
    const s = y.str(it, `${what}[${i}]`);
    if (s) c.mounts.push({ type: 'tmpfs', target: { value: s.value.split(':')[0] ?? s.value, pos: s.pos } });
  });
}

function device(y: Y, node: YNode, what: string): At<string> | undefined {
  if (isScalar(node)) {
    const s = y.str(node, what);
    if (!s) return undefined;
    // CDI names (vendor.com/class=name) have no host path: kept whole.
    return s.value.startsWith('/') ? { value: s.value.split(':')[0] ?? s.value, pos: s.pos } : s;
  }
  if (!y.map(node, what)) return undefined;
  return y.str(y.get(node, 'source'), `${what}.source`);
}

function sysctls(y: Y, node: YNode | undefined, what: string, c: Container): void {
  const n = y.resolve(node);
  if (!n || y.isNull(n)) return;
  if (isMap(n)) {
    for (const e of y.entries(n)) {
      const v = y.str(e.value, `${what}.${e.key}`, { coerce: true });
      c.sysctls.push({ value: { name: e.key, value: v?.value ?? '' }, pos: v?.pos ?? y.posOf(e.keyNode) });
    }
    return;
  }
  if (!isSeq(n)) {
    y.report(n, 'error', 'compose-type', `${what}: expected a mapping or a list`);
    return;
  }
  (y.seq(n, what) ?? []).forEach((it, i) => {
    const s = y.str(it, `${what}[${i}]`);
    if (!s) return;
    const eq = s.value.indexOf('=');
    const name = (eq < 0 ? s.value : s.value.slice(0, eq)).trim();
    c.sysctls.push({ value: { name, value: eq < 0 ? '' : s.value.slice(eq + 1) }, pos: s.pos });
  });
}

/** Container ports of `80`, `"8080:80"`, `"127.0.0.1:8080:80/udp"`, `"[::1]:8080:80"`, ranges, long syntax. */
function ports(y: Y, node: YNode, what: string, c: Container): void {
  if (isMap(node)) {
    const t = y.int(y.get(node, 'target'), `${what}.target`);
    if (t) c.ports.push(t);
    return;
  }
  const s = y.str(node, what, { coerce: true });
  if (!s) return;
  const spec = s.value.replace(/\/[a-z]+$/i, '');
  const lastColon = spec.lastIndexOf(':');
  const part = spec.slice(lastColon + 1);
  const pos = y.posIn(node, lastColon + 1);
  const m = /^(\d+)(?:-(\d+))?$/.exec(part);
  if (!m) {
    if (!/\$/.test(part))
      y.report(s.pos, 'warning', 'compose-value', `${what}: cannot read a port in ${s.value}`);
    return;
  }
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  for (let p = from; p <= to && p - from < MAX_RANGE_PORTS; p++) c.ports.push({ value: p, pos });
}

function assign<T, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) obj[key] = value;
}
