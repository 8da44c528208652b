/**
 * OCI runtime bundle `config.json` -> one workload (`config.json`).
 *
 * Unlike Docker or Kubernetes, an OCI config is the whole truth: runc adds nothing that is not
 * written. So an absent namespace is the host's, no `linux.seccomp` is no filter, no
 * `apparmorProfile` is no profile, no `maskedPaths` masks nothing — and the capability sets are
 * complete: the container gets exactly the bounding set (read as `capDrop: [all]` + `capAdd: <set>`).
 */
import {
  type At,
  type Container,
  emptyContainer,
  type Mount,
  normalizeCapability,
  type Reader,
  type Workload,
} from '../model/workload.js';
import {
  boolAt,
  child,
  intAt,
  items,
  type JsonDoc,
  type JsonNode,
  keyNode,
  parseJsonDoc,
  props,
  stringAt,
  stringItems,
} from './json-positions.js';

const PREFIX = 'oci-config';
const NAME = 'config.json';
const SECCOMP_PROFILE = 'config.json#linux.seccomp';

/** Where a key is written (its key), or where its parent is. */
function keyPos(doc: JsonDoc, parent: JsonNode | undefined, key: string, fallback: JsonNode) {
  return doc.at(keyNode(parent, key) ?? fallback);
}

function readCapabilities(doc: JsonDoc, process: JsonNode | undefined, c: Container): void {
  const caps = child(process, 'capabilities');
  if (!caps || caps.type === 'null') return;
  if (caps.type !== 'object') {
    doc.wrongType(caps, 'process.capabilities', 'an object');
    return;
  }
  // the sets are complete: nothing beyond them (capDrop all), then the bounding ∪ effective set
  c.capDrop.push({ value: 'all', pos: keyPos(doc, process, 'capabilities', caps) });
  const seen = new Set<string>();
  for (const set of ['bounding', 'effective'])
    for (const cap of stringItems(doc, child(caps, set), `process.capabilities.${set}`)) {
      const v = normalizeCapability(cap.value);
      if (seen.has(v)) continue;
      seen.add(v);
      c.capAdd.push({ value: v, pos: cap.pos });
    }
}

const NAMESPACES = ['pid', 'ipc', 'network', 'user', 'cgroup'] as const;

function readNamespaces(doc: JsonDoc, root: JsonNode, linux: JsonNode | undefined, w: Workload): void {
  const list = child(linux, 'namespaces');
  const where = list
    ? keyPos(doc, linux, 'namespaces', list)
    : linux
      ? keyPos(doc, root, 'linux', linux)
      : doc.at(root);
  if (list && list.type !== 'array' && list.type !== 'null')
    doc.wrongType(list, 'linux.namespaces', 'an array');
  const found = new Map<string, { pos: At<string>['pos']; host: boolean }>();
  for (const [i, ns] of items(list).entries()) {
    const type = stringAt(doc, child(ns, 'type'), `linux.namespaces[${i}].type`);
    if (!type) continue;
    // joining PID 1's namespace is joining the host's
    const path = stringAt(doc, child(ns, 'path'), `linux.namespaces[${i}].path`);
    found.set(type.value, { pos: type.pos, host: path !== undefined && /^\/proc\/1\/ns\//.test(path.value) });
  }
  const host = (t: (typeof NAMESPACES)[number]) => {
    const f = found.get(t);
    return f ? { value: f.host, pos: f.pos } : { value: true, pos: where };
  };
  w.hostPid = host('pid');
  w.hostIpc = host('ipc');
  w.hostNetwork = host('network');
  w.cgroupnsHost = host('cgroup');
  const user = host('user');
  w.userNamespace = { value: !user.value, pos: user.pos };
}

function readMounts(doc: JsonDoc, root: JsonNode, c: Container): void {
  const mounts = child(root, 'mounts');
  if (mounts && mounts.type !== 'array' && mounts.type !== 'null')
    doc.wrongType(mounts, 'mounts', 'an array');
  for (const [i, m] of items(mounts).entries()) {
    const path = `mounts[${i}]`;
    const target = stringAt(doc, child(m, 'destination'), `${path}.destination`);
    if (!target) {
      doc.report(m.offset, 'warning', 'bad-mount', `${path} has no destination`);
      continue;
    }
    const type = stringAt(doc, child(m, 'type'), `${path}.type`)?.value;
    const options = stringItems(doc, child(m, 'options'), `${path}.options`);
    const bind = type === 'bind' || options.some((o) => o.value === 'bind' || o.value === 'rbind');
    const source = stringAt(doc, child(m, 'source'), `${path}.source`);
    const mount: Mount = {
      type: bind ? 'bind' : type === 'tmpfs' ? 'tmpfs' : 'other',
      ...(bind && source ? { source } : {}),
      target,
    };
    for (const o of options)
      if (o.value === 'ro' || o.value === 'rw') mount.readOnly = { value: o.value === 'ro', pos: o.pos };
    c.mounts.push(mount);
  }
}

export const readOciConfig: Reader = (text, file) => {
  const doc = parseJsonDoc(text, file, PREFIX);
  try {
    return read(doc, file);
  } catch (e) {
    doc.report(0, 'error', 'internal', `could not read config.json: ${e instanceof Error ? e.message : e}`);
    return { workloads: [], diagnostics: doc.diagnostics };
  }
};

function read(doc: JsonDoc, file: string): ReturnType<Reader> {
  const root = doc.root;
  if (!root) return { workloads: [], diagnostics: doc.diagnostics };
  if (root.type !== 'object') {
    doc.wrongType(root, 'config.json', 'an object');
    return { workloads: [], diagnostics: doc.diagnostics };
  }
  const process = child(root, 'process');
  const linux = child(root, 'linux');
  const c = emptyContainer(NAME, keyPos(doc, root, 'process', root));
  const w: Workload = { source: 'oci-config', name: NAME, file, pos: doc.at(root), containers: [c] };
  if (process && process.type !== 'object') doc.wrongType(process, 'process', 'an object');
  if (linux && linux.type !== 'object' && linux.type !== 'null') doc.wrongType(linux, 'linux', 'an object');

  readCapabilities(doc, process, c);
  c.noNewPrivileges = boolAt(doc, child(process, 'noNewPrivileges'), 'process.noNewPrivileges');
  c.runAsUser = intAt(doc, child(child(process, 'user'), 'uid'), 'process.user.uid');
  const cwd = stringAt(doc, child(process, 'cwd'), 'process.cwd');
  if (cwd && cwd.value !== '') c.workdir = cwd;

  const aa = stringAt(doc, child(process, 'apparmorProfile'), 'process.apparmorProfile');
  if (aa && aa.value !== '')
    c.apparmor = {
      value: aa.value === 'unconfined' ? { type: 'unconfined' } : { type: 'localhost', profile: aa.value },
      pos: aa.pos,
    };
  else if (process?.type === 'object')
    // runc applies no profile of its own
    c.apparmor = { value: { type: 'unconfined' }, pos: aa?.pos ?? keyPos(doc, root, 'process', root) };

  const seccomp = child(linux, 'seccomp');
  if (seccomp && seccomp.type !== 'null')
    c.seccomp = {
      value: { type: 'localhost', profile: SECCOMP_PROFILE },
      pos: keyPos(doc, linux, 'seccomp', seccomp),
    };
  else
    c.seccomp = {
      value: { type: 'unconfined' },
      pos: linux ? keyPos(doc, root, 'linux', linux) : doc.at(root),
    };

  readNamespaces(doc, root, linux, w);

  // /proc masking: nothing masked, or nothing read-only (/proc/sys writable), is an unmasked /proc
  const linuxPos = linux ? keyPos(doc, root, 'linux', linux) : doc.at(root);
  const masked = child(linux, 'maskedPaths');
  const readonly = child(linux, 'readonlyPaths');
  const maskedPos = masked ? keyPos(doc, linux, 'maskedPaths', masked) : linuxPos;
  if (items(masked).length === 0) c.procMount = { value: 'Unmasked', pos: maskedPos };
  else if (items(readonly).length === 0)
    c.procMount = {
      value: 'Unmasked',
      pos: readonly ? keyPos(doc, linux, 'readonlyPaths', readonly) : linuxPos,
    };
  else c.procMount = { value: 'Default', pos: maskedPos };

  for (const [i, d] of items(child(linux, 'devices')).entries()) {
    const p = stringAt(doc, child(d, 'path'), `linux.devices[${i}].path`);
    if (p) c.devices.push(p);
  }
  readMounts(doc, root, c);
  for (const p of props(child(linux, 'sysctl'))) {
    const v = stringAt(doc, p.value, `linux.sysctl.${p.key}`);
    if (v) c.sysctls.push({ value: { name: p.key, value: v.value }, pos: doc.at(p.keyNode) });
  }
  c.readOnlyRootFilesystem = boolAt(doc, child(child(root, 'root'), 'readonly'), 'root.readonly');
  return { workloads: [w], diagnostics: doc.diagnostics };
}
