/**
 * Test support shared by the Kubernetes and compose reader tests: a compact, comparable summary
 * of what a reader produced, and the `<name>.expect.json` format of `test/corpus/ingest/<kind>/`.
 *
 * An expectation file:
 * - `workloads`: {@link summarize} of every workload, compared exactly (unset fields are absent);
 * - `at`: `"<workload>#<path>": "line:column"` for a few values, the path being a workload field
 *   (`hostPid`), empty for the workload itself, a container name (its position), or
 *   `<container>.<field>` with `[i]` indexes and mount parts (`web.mounts[0].source`);
 * - `diagnostics`: every diagnostic as `"code@line"`, ordered by line then code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Diagnostic, SourcePos } from '../errors.js';
import type { At, Container, Mount, ProfileRef, ReadResult, Workload } from '../model/workload.js';

export interface IngestExpect {
  description: string;
  workloads: unknown[];
  at?: Record<string, string>;
  diagnostics: string[];
}

export interface CorpusCase {
  name: string;
  file: string;
  text: string;
  expect: IngestExpect;
}

/** Fixtures of one corpus folder: every `<name>.yaml` with its `<name>.expect.json`. */
export function corpusCases(dir: string): CorpusCase[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort()
    .map((f) => {
      const name = f.replace(/\.ya?ml$/, '');
      return {
        name,
        file: join(dir, f),
        text: readFileSync(join(dir, f), 'utf8'),
        expect: JSON.parse(readFileSync(join(dir, `${name}.expect.json`), 'utf8')) as IngestExpect,
      };
    });
}

function profile(p: At<ProfileRef> | undefined): string | undefined {
  if (!p) return undefined;
  return p.value.type === 'localhost' ? `localhost:${p.value.profile ?? ''}` : p.value.type;
}

function mount(m: Mount): string {
  const parts = m.source ? [m.type, m.source.value, '->', m.target.value] : [m.type, '->', m.target.value];
  if (m.readOnly) parts.push(m.readOnly.value ? 'ro' : 'rw');
  if (m.subPath) parts.push(`subPath=${m.subPath.value}`);
  return parts.join(' ');
}

/** Drop undefined fields and empty lists, so expectations list only what is set. */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)),
  );
}

export function summarizeContainer(c: Container): Record<string, unknown> {
  return compact({
    name: c.name,
    role: c.role === 'main' ? undefined : c.role,
    image: c.image?.value,
    privileged: c.privileged?.value,
    capAdd: c.capAdd.map((a) => a.value),
    capDrop: c.capDrop.map((a) => a.value),
    allowPrivilegeEscalation: c.allowPrivilegeEscalation?.value,
    noNewPrivileges: c.noNewPrivileges?.value,
    readOnlyRootFilesystem: c.readOnlyRootFilesystem?.value,
    runAsUser: c.runAsUser?.value,
    runAsNonRoot: c.runAsNonRoot?.value,
    user: c.user?.value,
    seccomp: profile(c.seccomp),
    apparmor: profile(c.apparmor),
    procMount: c.procMount?.value,
    devices: c.devices.map((d) => d.value),
    mounts: c.mounts.map(mount),
    sysctls: c.sysctls.map((s) => `${s.value.name}=${s.value.value}`),
    ports: c.ports.map((p) => p.value),
    workdir: c.workdir?.value,
  });
}

export function summarize(w: Workload): Record<string, unknown> {
  return compact({
    name: w.name,
    hostPid: w.hostPid?.value,
    hostIpc: w.hostIpc?.value,
    hostNetwork: w.hostNetwork?.value,
    userNamespace: w.userNamespace?.value,
    cgroupnsHost: w.cgroupnsHost?.value,
    containers: w.containers.map(summarizeContainer),
  });
}

/** `code@line` for each diagnostic, ordered by line then code. */
export function diagnosticCodes(ds: readonly Diagnostic[]): string[] {
  return [...ds]
    .sort((a, b) => a.line - b.line || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((d) => `${d.code}@${d.line}`);
}

const show = (p: SourcePos) => `${p.line}:${p.column}`;

/** The position `key` (`<workload>#<path>`) names, as `line:column`, or a reason it names nothing. */
export function positionOf(workloads: readonly Workload[], key: string): string {
  const hash = key.indexOf('#');
  const w = workloads.find((x) => x.name === key.slice(0, hash));
  if (hash < 0 || !w) return `no workload in ${key}`;
  const path = key.slice(hash + 1);
  if (path === '') return show(w.pos);
  const segs = path.split('.');
  let cur: unknown = w;
  const head = segs[0] ?? '';
  if (!Object.hasOwn(w, head)) {
    const c = w.containers.find((x) => x.name === head);
    if (!c) return `no container ${head}`;
    cur = c;
    segs.shift();
    if (segs.length === 0) return show(c.pos);
  }
  for (const seg of segs) {
    const m = /^([A-Za-z]+)(?:\[(\d+)\])?$/.exec(seg);
    if (!m || cur === null || typeof cur !== 'object') return `bad path ${path}`;
    const field = m[1] ?? '';
    cur = Object.hasOwn(cur, field) ? (cur as Record<string, unknown>)[field] : undefined;
    if (m[2] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[2])] : undefined;
  }
  const at = cur as At<unknown> | undefined;
  return at?.pos ? show(at.pos) : `nothing at ${path}`;
}

/**
 * Property: any text made of `token`s reads without the reader failing internally, and every
 * diagnostic has a real position.
 */
export function assertReadsAnyTokens(read: (text: string) => ReadResult, token: fc.Arbitrary<string>): void {
  fc.assert(
    fc.property(fc.array(token, { maxLength: 60 }), (parts) => {
      const r = read(parts.join(''));
      expect(Array.isArray(r.workloads)).toBe(true);
      for (const d of r.diagnostics) {
        expect(d.code).not.toBe('reader-internal');
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
      }
    }),
    { numRuns: 300 },
  );
}
