/**
 * Test support shared by the docker-run, docker-inspect, oci-config and Dockerfile reader tests: a
 * compact, stable summary of what a reader produced, compared with `<case>.expect.json` in
 * test/corpus/ingest/<kind>/. Every positioned value is written `value@line:column`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SourcePos } from '../errors.js';
import type { At, Container, Mount, ProfileRef, ReadResult, Sysctl, Workload } from '../model/workload.js';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

const where = (p: SourcePos) => `@${p.line}:${p.column}`;

function atText<T>(a: At<T> | undefined, show: (v: T) => string = String): string | undefined {
  return a ? `${show(a.value)}${where(a.pos)}` : undefined;
}

const profile = (p: ProfileRef) => `${p.type}${p.profile !== undefined ? `:${p.profile}` : ''}`;
const sysctl = (s: Sysctl) => `${s.name}=${s.value}`;

export function mountText(m: Mount): string {
  const ro = m.readOnly ? (m.readOnly.value ? ' ro' : ' rw') : '';
  const sub = m.subPath ? ` subPath=${m.subPath.value}` : '';
  return `${m.type} ${m.source?.value ?? ''}:${m.target.value}${ro}${sub}${where(m.source?.pos ?? m.target.pos)}`;
}

/** Drop undefined fields and empty lists so summaries only say what is set. */
function compact(o: Record<string, Json | undefined>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(o))
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out[k] = v;
  return out;
}

function list<T>(xs: At<T>[], show: (v: T) => string = String): string[] {
  return xs.map((x) => atText(x, show) as string);
}

export function summarizeContainer(c: Container): Record<string, Json> {
  return compact({
    name: c.name,
    at: where(c.pos).slice(1),
    role: c.role === 'main' ? undefined : c.role,
    image: atText(c.image),
    privileged: atText(c.privileged),
    capAdd: list(c.capAdd),
    capDrop: list(c.capDrop),
    allowPrivilegeEscalation: atText(c.allowPrivilegeEscalation),
    noNewPrivileges: atText(c.noNewPrivileges),
    readOnlyRootFilesystem: atText(c.readOnlyRootFilesystem),
    runAsUser: atText(c.runAsUser),
    runAsNonRoot: atText(c.runAsNonRoot),
    user: atText(c.user),
    seccomp: atText(c.seccomp, profile),
    apparmor: atText(c.apparmor, profile),
    procMount: atText(c.procMount),
    devices: list(c.devices),
    mounts: c.mounts.map(mountText),
    sysctls: list(c.sysctls, sysctl),
    ports: list(c.ports),
    workdir: atText(c.workdir),
  });
}

export function summarizeWorkload(w: Workload): Record<string, Json> {
  return compact({
    name: w.name,
    at: where(w.pos).slice(1),
    hostPid: atText(w.hostPid),
    hostIpc: atText(w.hostIpc),
    hostNetwork: atText(w.hostNetwork),
    userNamespace: atText(w.userNamespace),
    cgroupnsHost: atText(w.cgroupnsHost),
    dockerfile: w.dockerfile
      ? compact({
          syntax: atText(w.dockerfile.syntax),
          volumes: list(w.dockerfile.volumes),
          remoteAdds: list(w.dockerfile.remoteAdds),
        })
      : undefined,
    containers: w.containers.map(summarizeContainer),
  });
}

export interface Summary {
  workloads: Array<Record<string, Json>>;
  /** `code@line:column`. */
  diagnostics: string[];
}

export function summarize(r: ReadResult): Summary {
  return {
    workloads: r.workloads.map(summarizeWorkload),
    diagnostics: r.diagnostics.map((d) => `${d.code}${where(d)}`),
  };
}

export interface CorpusCase {
  name: string;
  text: string;
  expect: Summary & { description?: string };
}

/** The cases of test/corpus/ingest/<kind>/: every file with a sibling `<case>.expect.json`. */
export function corpusCases(kind: string): CorpusCase[] {
  const dir = fileURLToPath(new URL(`../../test/corpus/ingest/${kind}/`, import.meta.url));
  const files = readdirSync(dir).sort();
  return files
    .filter((f) => !f.endsWith('.expect.json') && !f.startsWith('.') && f !== 'biome.json')
    .map((f) => {
      const base = f.replace(/\.[^.]*$/, '');
      const expectFile = files.includes(`${f}.expect.json`) ? `${f}.expect.json` : `${base}.expect.json`;
      return {
        name: f,
        text: readFileSync(`${dir}${f}`, 'utf8'),
        expect: JSON.parse(readFileSync(`${dir}${expectFile}`, 'utf8')) as CorpusCase['expect'],
      };
    });
}
