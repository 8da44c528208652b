/**
 * `docker inspect <container>` (and `podman container inspect`) output -> workloads, one per
 * container of the JSON array. Values point at their node in the JSON (positions from jsonc-parser
 * offsets, see json-positions.ts).
 *
 * What inspect states is taken as stated: `"PidMode": ""` is a private PID namespace (hostPid false),
 * `"MaskedPaths": []` on an unprivileged container is an unmasked /proc. What it leaves to the daemon
 * (`"UsernsMode": ""`: whatever userns-remap says) stays absent.
 */
import type { Diagnostic } from '../errors.js';
import {
  type At,
  type Container,
  emptyContainer,
  type Mount,
  normalizeCapability,
  type ProfileRef,
  type Reader,
  type Workload,
} from '../model/workload.js';
import { applySecurityOpt, type Located, type Report, volumeMount } from './docker-run-options.js';
import {
  boolAt,
  child,
  items,
  type JsonDoc,
  type JsonNode,
  parseJsonDoc,
  props,
  stringAt,
  stringItems,
} from './json-positions.js';

const PREFIX = 'docker-inspect';

function located(doc: JsonDoc, s: At<string> & { node: JsonNode }): Located {
  return { value: s.value, pos: (i) => doc.charPos(s.node, i) };
}

function apparmorProfile(v: string): ProfileRef {
  if (v === 'unconfined') return { type: 'unconfined' };
  if (v === 'docker-default' || v.startsWith('containers-default-')) return { type: 'runtime-default' };
  return { type: 'localhost', profile: v };
}

/** The namespace mode strings: `host`, `""` (private/default), `container:<id>`, podman's `ns:<path>`... */
function mode(doc: JsonDoc, hc: JsonNode, key: string): At<string> | undefined {
  return stringAt(doc, child(hc, key), `HostConfig.${key}`);
}

function readContainer(doc: JsonDoc, obj: JsonNode, n: number): Workload | undefined {
  const path = `[${n - 1}]`;
  if (obj.type !== 'object') {
    doc.wrongType(obj, path, 'a container object');
    return undefined;
  }
  const hc = child(obj, 'HostConfig');
  if (hc?.type !== 'object') {
    doc.report(
      obj.offset,
      'warning',
      'not-a-container',
      `${path} has no HostConfig: not the inspect output of a container (an image?)`,
    );
    return undefined;
  }
  const config = child(obj, 'Config');
  const nameNode = child(obj, 'Name');
  const rawName = stringAt(doc, nameNode, 'Name')?.value.replace(/^\//, '') ?? '';
  const name = rawName || `docker inspect #${n}`;
  const c: Container = emptyContainer(name, doc.at(nameNode ?? obj));
  const w: Workload = { source: 'docker-inspect', name, file: doc.file, pos: doc.at(obj), containers: [c] };
  const report: Report = (pos, severity, code, message) =>
    doc.diagnostics.push({ ...pos, severity, code: `${PREFIX}-${code}`, message });

  c.image =
    stringAt(doc, child(config, 'Image'), 'Config.Image') ?? stringAt(doc, child(obj, 'Image'), 'Image');
  c.privileged = boolAt(doc, child(hc, 'Privileged'), 'HostConfig.Privileged');
  for (const cap of stringItems(doc, child(hc, 'CapAdd'), 'HostConfig.CapAdd'))
    c.capAdd.push({ value: normalizeCapability(cap.value), pos: cap.pos });
  for (const cap of stringItems(doc, child(hc, 'CapDrop'), 'HostConfig.CapDrop'))
    c.capDrop.push({ value: normalizeCapability(cap.value), pos: cap.pos });
  for (const opt of stringItems(doc, child(hc, 'SecurityOpt'), 'HostConfig.SecurityOpt'))
    applySecurityOpt(c, located(doc, opt), report);
  const aa = stringAt(doc, child(obj, 'AppArmorProfile'), 'AppArmorProfile');
  if (aa && aa.value !== '') c.apparmor = { value: apparmorProfile(aa.value), pos: aa.pos };

  const pid = mode(doc, hc, 'PidMode');
  if (pid) w.hostPid = { value: pid.value === 'host', pos: pid.pos };
  const ipc = mode(doc, hc, 'IpcMode');
  if (ipc) w.hostIpc = { value: ipc.value === 'host', pos: ipc.pos };
  const net = mode(doc, hc, 'NetworkMode');
  if (net) w.hostNetwork = { value: net.value === 'host', pos: net.pos };
  const userns = mode(doc, hc, 'UsernsMode');
  if (userns?.value === 'host') w.userNamespace = { value: false, pos: userns.pos };
  else if (userns && /^(keep-id|auto|nomap|private|ns:)/.test(userns.value))
    w.userNamespace = { value: true, pos: userns.pos };
  const cgroupns = mode(doc, hc, 'CgroupnsMode');
  if (cgroupns?.value === 'host' || cgroupns?.value === 'private')
    w.cgroupnsHost = { value: cgroupns.value === 'host', pos: cgroupns.pos };

  readMounts(doc, obj, hc, c, report);

  for (const [i, d] of items(child(hc, 'Devices')).entries()) {
    const p = stringAt(doc, child(d, 'PathOnHost'), `HostConfig.Devices[${i}].PathOnHost`);
    if (p && p.value !== '') c.devices.push(p);
  }
  c.readOnlyRootFilesystem = boolAt(doc, child(hc, 'ReadonlyRootfs'), 'HostConfig.ReadonlyRootfs');
  const sysctls = child(hc, 'Sysctls');
  if (sysctls && sysctls.type !== 'object' && sysctls.type !== 'null')
    doc.wrongType(sysctls, 'HostConfig.Sysctls', 'an object');
  for (const p of props(sysctls)) {
    const v = stringAt(doc, p.value, `HostConfig.Sysctls.${p.key}`);
    if (v) c.sysctls.push({ value: { name: p.key, value: v.value }, pos: doc.at(p.keyNode) });
  }
  const masked = child(hc, 'MaskedPaths');
  if (masked?.type === 'array' && !c.procMount && !c.privileged?.value)
    c.procMount = { value: items(masked).length === 0 ? 'Unmasked' : 'Default', pos: doc.at(masked) };

  const user = stringAt(doc, child(config, 'User'), 'Config.User');
  if (user && user.value !== '') c.user = user;
  const wd = stringAt(doc, child(config, 'WorkingDir'), 'Config.WorkingDir');
  if (wd && wd.value !== '') c.workdir = wd;
  for (const p of props(child(config, 'ExposedPorts'))) {
    const m = /^(\d+)(?:-(\d+))?(?:\/\w+)?$/.exec(p.key);
    if (!m) {
      report(doc.at(p.keyNode), 'warning', 'bad-port', `unreadable exposed port "${p.key}"`);
      continue;
    }
    const lo = Number(m[1]);
    const hi = m[2] !== undefined ? Number(m[2]) : lo;
    for (let port = lo; port <= hi && port < lo + 256; port++)
      c.ports.push({ value: port, pos: doc.at(p.keyNode) });
  }
  return w;
}

/**
 * Binds (`host:ctr:ro`), HostConfig.Mounts (`--mount`), then the top-level Mounts (what is mounted,
 * volumes included) for targets not already seen: inspect lists most mounts twice.
 */
function readMounts(doc: JsonDoc, obj: JsonNode, hc: JsonNode, c: Container, report: Report): void {
  const add = (m: Mount) => {
    if (!c.mounts.some((x) => x.target.value === m.target.value)) c.mounts.push(m);
  };
  for (const b of stringItems(doc, child(hc, 'Binds'), 'HostConfig.Binds')) {
    const m = volumeMount(located(doc, b), report);
    if (m) add(m);
  }
  const kind = (t: string | undefined): Mount['type'] =>
    t === 'bind' || t === 'volume' || t === 'tmpfs' ? t : t === undefined ? 'volume' : 'other';
  for (const [i, m] of items(child(hc, 'Mounts')).entries()) {
    const path = `HostConfig.Mounts[${i}]`;
    const target = stringAt(doc, child(m, 'Target'), `${path}.Target`);
    if (!target) continue;
    const type = kind(stringAt(doc, child(m, 'Type'), `${path}.Type`)?.value);
    const source = stringAt(doc, child(m, 'Source'), `${path}.Source`);
    const ro = boolAt(doc, child(m, 'ReadOnly'), `${path}.ReadOnly`);
    add({
      type,
      ...(source && source.value !== '' && type !== 'tmpfs' ? { source } : {}),
      target,
      ...(ro ? { readOnly: ro } : {}),
    });
  }
  for (const [i, m] of items(child(obj, 'Mounts')).entries()) {
    const path = `Mounts[${i}]`;
    const target = stringAt(doc, child(m, 'Destination'), `${path}.Destination`);
    if (!target) continue;
    const type = kind(stringAt(doc, child(m, 'Type'), `${path}.Type`)?.value);
    // a volume's Source is its directory under /var/lib/docker: the volume is named by Name
    const source =
      type === 'volume'
        ? stringAt(doc, child(m, 'Name'), `${path}.Name`)
        : stringAt(doc, child(m, 'Source'), `${path}.Source`);
    const rw = boolAt(doc, child(m, 'RW'), `${path}.RW`);
    add({
      type,
      ...(source && source.value !== '' && type !== 'tmpfs' ? { source } : {}),
      target,
      ...(rw ? { readOnly: { value: !rw.value, pos: rw.pos } } : {}),
    });
  }
}

/** Read `docker inspect` output: a JSON array of containers (a single object is accepted too). */
export const readDockerInspect: Reader = (text, file) => {
  const doc = parseJsonDoc(text, file, PREFIX);
  const workloads: Workload[] = [];
  const root = doc.root;
  const list = root?.type === 'array' ? items(root) : root?.type === 'object' ? [root] : [];
  if (root && root.type !== 'array' && root.type !== 'object')
    doc.wrongType(root, 'the document', 'an array');
  for (const [i, obj] of list.entries()) {
    try {
      const w = readContainer(doc, obj, i + 1);
      if (w) workloads.push(w);
    } catch (e) {
      // a bug here must not lose the other containers, nor throw at the caller
      doc.report(
        obj.offset,
        'error',
        'internal',
        `could not read this container: ${e instanceof Error ? e.message : e}`,
      );
    }
  }
  const diagnostics: Diagnostic[] = doc.diagnostics;
  return { workloads, diagnostics };
};
