/**
 * Harden Kubernetes manifests in place: edit the parsed YAML documents (the `yaml` Document API
 * keeps comments, key order and formatting of everything not touched), never regenerate them.
 * Every change is marked with a `breakwater:` comment naming the audit check it answers.
 */
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { isDangerousHostPath, isSafeSysctl } from '../checks/registry-helpers.js';
import { type NamedProfiles, profileNames, type WorkloadNeeds } from './needs.js';

const POD_SPEC_PATH: Record<string, string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
const HOST_NS = ['hostPID', 'hostNetwork', 'hostIPC'];

export interface PatchedManifest {
  text: string;
  /** One entry per patched container: where its profiles go. */
  containers: Array<{ workload: string; container: string; profiles: NamedProfiles; needs: WorkloadNeeds }>;
}

/**
 * Set `key: value` on a map, with a comment saying why. A scalar already there is changed in place,
 * so a comment the user wrote on it stays (ours is appended).
 */
function set(doc: Document, map: YAMLMap, key: string, value: unknown, why: string): void {
  const note = ` breakwater: ${why}`;
  const cur = map.get(key, true);
  if (isScalar(cur) && (value === null || typeof value !== 'object')) {
    cur.value = value;
    cur.comment = cur.comment ? `${cur.comment};${note}` : note;
    return;
  }
  const node = doc.createNode(value) as Scalar | YAMLMap | YAMLSeq;
  // An empty collection is written `{}` / `[]` with the comment after it, like a scalar.
  if (!isScalar(node) && node.items.length === 0) node.flow = true;
  if (isScalar(node) || node.flow) node.comment = note;
  else node.commentBefore = note;
  map.set(key, node);
}

function mapAt(doc: Document, parent: YAMLMap, key: string): YAMLMap {
  const cur = parent.get(key, true);
  if (isMap(cur)) return cur;
  const m = doc.createNode({}) as YAMLMap;
  parent.set(key, m);
  return m;
}

function scalar(map: YAMLMap, key: string): unknown {
  const n = map.get(key, true);
  return isScalar(n) ? n.value : undefined;
}

/**
 * Pod-level hardening: host namespaces off, user namespace on, unsafe sysctls and dangerous host
 * paths out. Returns the volumes that mount the host's /var/log (kept, mounted read-only).
 */
function patchPod(doc: Document, pod: YAMLMap): Set<string> {
  const varLog = new Set<string>();
  for (const k of HOST_NS)
    if (scalar(pod, k) === true) set(doc, pod, k, false, 'host namespace closed (host-namespaces)');
  if (scalar(pod, 'hostUsers') !== false)
    set(doc, pod, 'hostUsers', false, 'user namespace (root-without-userns)');
  const sc = pod.get('securityContext', true);
  if (isMap(sc)) {
    const sysctls = sc.get('sysctls', true);
    if (isSeq(sysctls))
      sysctls.items = sysctls.items.filter((it) => {
        if (!isMap(it)) return true;
        const name = String(scalar(it, 'name') ?? '');
        const value = String(scalar(it, 'value') ?? '');
        return isSafeSysctl(name, value);
      });
    // pod-level Unconfined profiles would be inherited by nothing after the container edits; drop them
    for (const k of ['seccompProfile', 'appArmorProfile']) {
      const p = sc.get(k, true);
      if (isMap(p) && scalar(p, 'type') === 'Unconfined') sc.delete(k);
    }
  }
  const volumes = pod.get('volumes', true);
  if (isSeq(volumes))
    for (const v of volumes.items) {
      if (!isMap(v)) continue;
      const hp = v.get('hostPath', true);
      if (!isMap(hp)) continue;
      const path = String(scalar(hp, 'path') ?? '');
      if (/^\/var\/log(\/|$)/.test(path)) varLog.add(String(scalar(v, 'name') ?? ''));
      if (!isDangerousHostPath(path)) continue;
      v.delete('hostPath');
      set(
        doc,
        v,
        'emptyDir',
        {},
        `replaced hostPath ${path} (runtime-socket-mount / host-root-mount / sensitive-host-path)`,
      );
    }
  return varLog;
}

/** Container-level hardening from the workload's needs. */
function patchContainer(
  doc: Document,
  c: YAMLMap,
  profiles: NamedProfiles,
  needs: WorkloadNeeds,
  varLog: Set<string>,
): void {
  const sc = mapAt(doc, c, 'securityContext');
  if (scalar(sc, 'privileged') === true) set(doc, sc, 'privileged', false, 'was privileged (privileged)');
  if (scalar(sc, 'allowPrivilegeEscalation') !== false)
    set(doc, sc, 'allowPrivilegeEscalation', false, 'no-new-privileges (privilege-escalation)');
  if (scalar(sc, 'procMount') === 'Unmasked')
    set(doc, sc, 'procMount', 'Default', 'masks /proc again (proc-unmasked)');
  set(
    doc,
    sc,
    'capabilities',
    {
      drop: ['ALL'],
      ...(needs.capabilities.length ? { add: needs.capabilities.map((x) => x.toUpperCase()) } : {}),
    },
    'only the capabilities the workload needs (dangerous-capability)',
  );
  set(
    doc,
    sc,
    'seccompProfile',
    { type: 'Localhost', localhostProfile: profiles.seccompFile },
    'generated allow-list (seccomp-unconfined)',
  );
  set(
    doc,
    sc,
    'appArmorProfile',
    { type: 'Localhost', localhostProfile: profiles.apparmorName },
    'generated profile (apparmor-unconfined)',
  );
  const mounts = c.get('volumeMounts', true);
  if (isSeq(mounts))
    for (const m of mounts.items)
      if (isMap(m) && varLog.has(String(scalar(m, 'name'))) && scalar(m, 'readOnly') !== true)
        set(doc, m, 'readOnly', true, 'host /var/log read-only (var-log-mount)');
  if (c.has('volumeDevices')) {
    c.delete('volumeDevices');
  }
}

export function hardenKubernetes(
  text: string,
  needsOf: (workload: string, container: string) => WorkloadNeeds,
): PatchedManifest {
  const docs = parseAllDocuments(text, { keepSourceTokens: true });
  const containers: PatchedManifest['containers'] = [];
  for (const doc of docs) {
    if (!isMap(doc.contents)) continue;
    const items = doc.get('kind') === 'List' ? doc.get('items', true) : undefined;
    const objects = isSeq(items) ? items.items.filter(isMap) : [doc.contents as YAMLMap];
    for (const obj of objects) {
      const kind = String(scalar(obj, 'kind') ?? '');
      const path = POD_SPEC_PATH[kind];
      if (!path) continue;
      const meta = obj.get('metadata', true);
      const name = isMap(meta) ? String(scalar(meta, 'name') ?? 'unnamed') : 'unnamed';
      const workload = `${kind}/${name}`;
      let pod: unknown = obj;
      for (const k of path) pod = isMap(pod) ? pod.get(k, true) : undefined;
      if (!isMap(pod)) continue;
      const varLog = patchPod(doc, pod);
      for (const list of CONTAINER_LISTS) {
        const seq = pod.get(list, true);
        if (!isSeq(seq)) continue;
        for (const c of seq.items) {
          if (!isMap(c)) continue;
          const cname = String(scalar(c, 'name') ?? 'container');
          const needs = needsOf(workload, cname);
          const profiles = profileNames(workload, cname);
          patchContainer(doc, c, profiles, needs, varLog);
          containers.push({ workload, container: cname, profiles, needs });
        }
      }
    }
  }
  return { text: docs.map((d) => d.toString({ lineWidth: 0 })).join(''), containers };
}
