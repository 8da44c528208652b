/**
 * Kubernetes manifests -> workloads. Every object that carries a pod spec is one workload: Pod,
 * PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob,
 * and each of those inside a `List` (or `PodList`, `DeploymentList`...). Other kinds are not
 * workloads and are skipped without a word.
 *
 * Container settings are the effective ones: a container's securityContext overrides the pod's
 * (runAsUser, runAsNonRoot, seccomp, AppArmor) and the position is where the winning value is
 * written. Precedence for profiles: container field > container annotation > pod field > pod
 * annotation (the deprecated annotations still reach older kubelets).
 */
import { isMap } from 'yaml';
import {
  type At,
  type Container,
  emptyContainer,
  type Mount,
  normalizeCapability,
  type ProfileRef,
  type Reader,
  type ReadResult,
  type Sysctl,
  type Workload,
} from '../model/workload.js';
import { guarded, sortDiagnostics, YamlFile, type YNode } from './yaml.js';

/** Kinds whose pod template is `spec.template`. */
const TEMPLATED = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
]);

const APPARMOR_ANN = 'container.apparmor.security.beta.kubernetes.io/';
const SECCOMP_CONTAINER_ANN = 'container.seccomp.security.alpha.kubernetes.io/';
const SECCOMP_POD_ANN = 'seccomp.security.alpha.kubernetes.io/pod';

/** Volume sources that are storage, not a host path (anything else: `other`). */
const VOLUME_SOURCES = new Set([
  'emptyDir',
  'configMap',
  'secret',
  'persistentVolumeClaim',
  'projected',
  'downwardAPI',
  'ephemeral',
  'image',
  'csi',
  'gitRepo',
]);

const MAX_LIST_DEPTH = 4;

interface Volume {
  type: Mount['type'];
  source?: At<string>;
}

interface PodLevel {
  runAsUser?: At<number>;
  runAsNonRoot?: At<boolean>;
  seccomp?: At<ProfileRef>;
  seccompAnnotation?: At<ProfileRef>;
  apparmor?: At<ProfileRef>;
  sysctls: At<Sysctl>[];
  containerSeccomp: Map<string, At<ProfileRef>>;
  containerApparmor: Map<string, At<ProfileRef>>;
  volumes: Map<string, Volume>;
}

export const readKubernetes: Reader = (text, file) =>
  guarded<ReadResult>(
    file,
    () => ({ workloads: [], diagnostics: [] }),
    () => {
      const y = new YamlFile(text, file, { version: '1.1', codePrefix: 'k8s' });
      const workloads: Workload[] = [];
      for (const doc of y.docs) readObject(y, doc.contents, `document ${doc.index + 1}`, workloads, 0);
      return { workloads, diagnostics: sortDiagnostics(y.diagnostics) };
    },
  );

function readObject(
  y: YamlFile,
  node: YNode | undefined,
  where: string,
  out: Workload[],
  depth: number,
): void {
  if (y.isNull(node)) return;
  const obj = y.resolve(node);
  if (!obj) return;
  if (!isMap(obj)) {
    y.report(obj, 'info', 'k8s-not-object', `${where} is not a Kubernetes object (a mapping); skipped`);
    return;
  }
  const kindNode = y.get(obj, 'kind');
  if (y.isNull(kindNode)) {
    y.report(obj, 'info', 'k8s-no-kind', `${where} has no kind; skipped`);
    return;
  }
  const kind = y.str(kindNode, 'kind')?.value;
  if (kind === undefined) return;

  if (kind === 'List' || (kind.endsWith('List') && y.get(obj, 'items') !== undefined)) {
    if (depth >= MAX_LIST_DEPTH) {
      y.report(obj, 'warning', 'k8s-nested-list', `${kind} nested more than ${MAX_LIST_DEPTH} deep; skipped`);
      return;
    }
    const items = y.seq(y.get(obj, 'items'), `${kind}.items`) ?? [];
    items.forEach((it, i) => {
      readObject(y, it, `item ${i + 1} of ${kind}`, out, depth + 1);
    });
    return;
  }

  let template: YNode | undefined;
  if (kind === 'Pod') template = obj;
  else if (kind === 'PodTemplate') template = y.get(obj, 'template');
  else if (TEMPLATED.has(kind)) template = y.get(y.get(obj, 'spec'), 'template');
  else if (kind === 'CronJob')
    template = y.get(y.get(y.get(y.get(obj, 'spec'), 'jobTemplate'), 'spec'), 'template');
  else return; // Service, ConfigMap, CRDs...: not workloads

  const meta = y.get(obj, 'metadata');
  y.map(meta, 'metadata');
  const name = y.str(y.get(meta, 'name'), 'metadata.name')?.value ?? '(unnamed)';
  const ns = y.str(y.get(meta, 'namespace'), 'metadata.namespace')?.value;
  const w: Workload = {
    source: 'kubernetes',
    name: `${ns ? `${ns}/` : ''}${kind}/${name}`,
    file: y.file,
    pos: y.posOf(obj),
    containers: [],
  };
  const spec = y.map(y.get(template, 'spec'), `${kind === 'Pod' ? '' : 'template.'}spec`);
  if (!spec) {
    y.report(template ?? obj, 'warning', 'k8s-no-pod-spec', `${w.name} has no pod spec; skipped`);
    return;
  }
  readPod(y, spec, y.get(template, 'metadata'), w);
  out.push(w);
}

function readPod(y: YamlFile, spec: YNode, meta: YNode | undefined, w: Workload): void {
  const b = (key: string) => y.bool(y.get(spec, key), key);
  assign(w, 'hostPid', b('hostPID'));
  assign(w, 'hostIpc', b('hostIPC'));
  assign(w, 'hostNetwork', b('hostNetwork'));
  const hostUsers = b('hostUsers');
  if (hostUsers) w.userNamespace = { value: !hostUsers.value, pos: hostUsers.pos };

  const psc = y.get(spec, 'securityContext');
  y.map(psc, 'securityContext');
  const pod: PodLevel = {
    sysctls: [],
    containerSeccomp: new Map(),
    containerApparmor: new Map(),
    volumes: new Map(),
  };
  assign(pod, 'runAsUser', y.int(y.get(psc, 'runAsUser'), 'securityContext.runAsUser'));
  assign(pod, 'runAsNonRoot', y.bool(y.get(psc, 'runAsNonRoot'), 'securityContext.runAsNonRoot'));
  assign(pod, 'seccomp', profileField(y, y.get(psc, 'seccompProfile'), 'securityContext.seccompProfile'));
  assign(pod, 'apparmor', profileField(y, y.get(psc, 'appArmorProfile'), 'securityContext.appArmorProfile'));
  (y.seq(y.get(psc, 'sysctls'), 'securityContext.sysctls') ?? []).forEach((s, i) => {
    const what = `securityContext.sysctls[${i}]`;
    if (!y.map(s, what)) return;
    const n = y.str(y.get(s, 'name'), `${what}.name`);
    const vNode = y.get(s, 'value');
    const v = y.str(vNode, `${what}.value`);
    if (n) pod.sysctls.push({ value: { name: n.value, value: v?.value ?? '' }, pos: v?.pos ?? n.pos });
  });

  readAnnotations(y, y.get(meta, 'annotations'), pod);
  readVolumes(y, y.get(spec, 'volumes'), pod);

  const lists: Array<[string, Container['role']]> = [
    ['initContainers', 'init'],
    ['containers', 'main'],
    ['ephemeralContainers', 'ephemeral'],
  ];
  for (const [key, role] of lists)
    (y.seq(y.get(spec, key), key) ?? []).forEach((item, i) => {
      const c = readContainer(y, item, `${key}[${i}]`, role, i, pod);
      if (c) w.containers.push(c);
    });
  if (!w.containers.some((c) => c.role === 'main'))
    y.report(spec, 'warning', 'k8s-no-containers', `${w.name} has no containers (a pod needs at least one)`);
}

function readAnnotations(y: YamlFile, node: YNode | undefined, pod: PodLevel): void {
  if (!y.map(node, 'metadata.annotations')) return;
  for (const { key, value } of y.entries(node)) {
    let target: Map<string, At<ProfileRef>> | undefined;
    let container = '';
    if (key.startsWith(APPARMOR_ANN)) {
      target = pod.containerApparmor;
      container = key.slice(APPARMOR_ANN.length);
    } else if (key.startsWith(SECCOMP_CONTAINER_ANN)) {
      target = pod.containerSeccomp;
      container = key.slice(SECCOMP_CONTAINER_ANN.length);
    } else if (key !== SECCOMP_POD_ANN) continue;
    const v = y.str(value, `annotation ${key}`);
    if (!v) continue;
    const ref = annotationProfile(v.value);
    if (!ref) {
      y.report(
        v.pos,
        'warning',
        'k8s-value',
        `annotation ${key}: unknown profile ${JSON.stringify(v.value)} (runtime/default, localhost/<name> or unconfined)`,
      );
      continue;
    }
    const at = { value: ref, pos: v.pos };
    if (target) target.set(container, at);
    else pod.seccompAnnotation = at;
  }
}

function annotationProfile(v: string): ProfileRef | undefined {
  if (v === 'runtime/default' || v === 'docker/default') return { type: 'runtime-default' };
  if (v === 'unconfined') return { type: 'unconfined' };
  if (v.startsWith('localhost/') && v.length > 'localhost/'.length)
    return { type: 'localhost', profile: v.slice('localhost/'.length) };
  return undefined;
}

/** `seccompProfile` / `appArmorProfile`: `{type, localhostProfile}`; the position is the type's. */
function profileField(y: YamlFile, node: YNode | undefined, what: string): At<ProfileRef> | undefined {
  if (!y.map(node, what)) return undefined;
  const type = y.str(y.get(node, 'type'), `${what}.type`);
  if (!type) return undefined;
  switch (type.value) {
    case 'Unconfined':
      return { value: { type: 'unconfined' }, pos: type.pos };
    case 'RuntimeDefault':
      return { value: { type: 'runtime-default' }, pos: type.pos };
    case 'Localhost': {
      const p = y.str(y.get(node, 'localhostProfile'), `${what}.localhostProfile`);
      if (!p) y.report(type.pos, 'warning', 'k8s-value', `${what}: type Localhost needs localhostProfile`);
      return { value: p ? { type: 'localhost', profile: p.value } : { type: 'localhost' }, pos: type.pos };
    }
    default:
      y.report(
        type.pos,
        'warning',
        'k8s-value',
        `${what}.type: unknown ${JSON.stringify(type.value)} (Unconfined, RuntimeDefault or Localhost)`,
      );
      return undefined;
  }
}

function readVolumes(y: YamlFile, node: YNode | undefined, pod: PodLevel): void {
  (y.seq(node, 'volumes') ?? []).forEach((v, i) => {
    const what = `volumes[${i}]`;
    if (!y.map(v, what)) return;
    const name = y.str(y.get(v, 'name'), `${what}.name`);
    if (!name) return;
    let vol: Volume = { type: 'other' };
    for (const { key, value } of y.entries(v)) {
      if (key === 'name') continue;
      if (key === 'hostPath') {
        const path = y.str(y.get(value, 'path'), `${what}.hostPath.path`);
        vol = path ? { type: 'bind', source: path } : { type: 'bind' };
      } else if (
        key === 'emptyDir' &&
        y.str(y.get(value, 'medium'), `${what}.emptyDir.medium`)?.value === 'Memory'
      )
        vol = { type: 'tmpfs' };
      else if (VOLUME_SOURCES.has(key)) vol = { type: 'volume', source: name };
      else continue;
      break;
    }
    if (pod.volumes.has(name.value))
      y.report(
        name.pos,
        'warning',
        'k8s-duplicate-volume',
        `volume ${JSON.stringify(name.value)} is defined twice`,
      );
    pod.volumes.set(name.value, vol);
  });
}

function readContainer(
  y: YamlFile,
  item: YNode,
  what: string,
  role: Container['role'],
  index: number,
  pod: PodLevel,
): Container | undefined {
  if (!y.map(item, what)) return undefined;
  const name = y.str(y.get(item, 'name'), `${what}.name`)?.value ?? `#${index + 1}`;
  const c = emptyContainer(name, y.posOf(item), role);
  assign(c, 'image', y.str(y.get(item, 'image'), `${what}.image`));
  assign(c, 'workdir', y.str(y.get(item, 'workingDir'), `${what}.workingDir`));

  const scWhat = `${what}.securityContext`;
  const sc = y.get(item, 'securityContext');
  y.map(sc, scWhat);
  const b = (key: string) => y.bool(y.get(sc, key), `${scWhat}.${key}`);
  assign(c, 'privileged', b('privileged'));
  assign(c, 'allowPrivilegeEscalation', b('allowPrivilegeEscalation'));
  assign(c, 'readOnlyRootFilesystem', b('readOnlyRootFilesystem'));
  assign(c, 'runAsUser', y.int(y.get(sc, 'runAsUser'), `${scWhat}.runAsUser`) ?? pod.runAsUser);
  assign(c, 'runAsNonRoot', b('runAsNonRoot') ?? pod.runAsNonRoot);
  assign(
    c,
    'seccomp',
    profileField(y, y.get(sc, 'seccompProfile'), `${scWhat}.seccompProfile`) ??
      pod.containerSeccomp.get(name) ??
      pod.seccomp ??
      pod.seccompAnnotation,
  );
  assign(
    c,
    'apparmor',
    profileField(y, y.get(sc, 'appArmorProfile'), `${scWhat}.appArmorProfile`) ??
      pod.containerApparmor.get(name) ??
      pod.apparmor,
  );
  const procMount = y.str(y.get(sc, 'procMount'), `${scWhat}.procMount`);
  if (procMount?.value === 'Default' || procMount?.value === 'Unmasked')
    c.procMount = { value: procMount.value, pos: procMount.pos };
  else if (procMount)
    y.report(
      procMount.pos,
      'warning',
      'k8s-value',
      `${scWhat}.procMount: unknown ${JSON.stringify(procMount.value)} (Default or Unmasked)`,
    );

  const caps = y.get(sc, 'capabilities');
  y.map(caps, `${scWhat}.capabilities`);
  for (const [key, list] of [
    ['add', c.capAdd],
    ['drop', c.capDrop],
  ] as const)
    (y.seq(y.get(caps, key), `${scWhat}.capabilities.${key}`) ?? []).forEach((n, i) => {
      const cap = y.str(n, `${scWhat}.capabilities.${key}[${i}]`);
      if (cap) list.push({ value: normalizeCapability(cap.value), pos: cap.pos });
    });

  (y.seq(y.get(item, 'volumeMounts'), `${what}.volumeMounts`) ?? []).forEach((m, i) => {
    const mount = readMount(y, m, `${what}.volumeMounts[${i}]`, pod);
    if (mount) c.mounts.push(mount);
  });
  (y.seq(y.get(item, 'volumeDevices'), `${what}.volumeDevices`) ?? []).forEach((d, i) => {
    const path = y.str(y.get(d, 'devicePath'), `${what}.volumeDevices[${i}].devicePath`);
    if (path) c.devices.push(path);
  });
  (y.seq(y.get(item, 'ports'), `${what}.ports`) ?? []).forEach((p, i) => {
    const port = y.int(y.get(p, 'containerPort'), `${what}.ports[${i}].containerPort`);
    if (port) c.ports.push(port);
  });
  c.sysctls.push(...pod.sysctls);
  return c;
}

function readMount(y: YamlFile, m: YNode, what: string, pod: PodLevel): Mount | undefined {
  if (!y.map(m, what)) return undefined;
  const name = y.str(y.get(m, 'name'), `${what}.name`);
  const target = y.str(y.get(m, 'mountPath'), `${what}.mountPath`);
  if (!target) {
    if (!name) return undefined;
    y.report(name.pos, 'warning', 'k8s-missing', `${what}: no mountPath`);
    return undefined;
  }
  const vol = name ? pod.volumes.get(name.value) : undefined;
  if (name && !vol)
    y.report(
      name.pos,
      'warning',
      'k8s-unknown-volume',
      `${what}: no volume named ${JSON.stringify(name.value)} in the pod`,
    );
  const mount: Mount = { type: vol?.type ?? 'other', target };
  assign(mount, 'source', vol?.source);
  assign(mount, 'readOnly', y.bool(y.get(m, 'readOnly'), `${what}.readOnly`));
  assign(
    mount,
    'subPath',
    y.str(y.get(m, 'subPath'), `${what}.subPath`) ?? y.str(y.get(m, 'subPathExpr'), `${what}.subPathExpr`),
  );
  return mount;
}

/** Set an optional property only when there is a value (exactOptionalPropertyTypes-friendly). */
function assign<T, K extends keyof T>(obj: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) obj[key] = value;
}
