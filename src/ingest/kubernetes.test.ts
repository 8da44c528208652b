import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  assertReadsAnyTokens,
  corpusCases,
  diagnosticCodes,
  positionOf,
  summarize,
} from './compose-kubernetes.corpus.js';
import { readKubernetes } from './kubernetes.js';

const dir = fileURLToPath(new URL('../../test/corpus/ingest/kubernetes', import.meta.url));
const cases = corpusCases(dir);

const read = (text: string) => readKubernetes(text, 'm.yaml');
const codes = (text: string) => read(text).diagnostics.map((d) => d.code);
const pod = (spec: string, meta = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${meta}spec:\n${spec}`;

describe('readKubernetes corpus (test/corpus/ingest/kubernetes)', () => {
  it('has the fixtures the reader promises to cover', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = readKubernetes(c.text, c.file);
    expect(r.workloads.map(summarize)).toEqual(c.expect.workloads);
    for (const [key, want] of Object.entries(c.expect.at ?? {}))
      expect(positionOf(r.workloads, key), key).toBe(want);
    expect(diagnosticCodes(r.diagnostics)).toEqual(c.expect.diagnostics);
    for (const w of r.workloads) {
      expect(w.source).toBe('kubernetes');
      expect(w.file).toBe(c.file);
    }
    for (const d of r.diagnostics) expect(d.file).toBe(c.file);
  });
});

describe('readKubernetes', () => {
  it('points every value at its value node, 1-based', () => {
    const r = read(
      pod('  containers:\n    - name: c\n      image: i\n      securityContext:\n        privileged: true\n'),
    );
    const c = r.workloads[0]?.containers[0];
    expect(c?.pos).toMatchObject({ line: 7, column: 7 });
    expect(c?.privileged).toEqual({ value: true, pos: { file: 'm.yaml', line: 10, column: 21 } });
    expect(c?.image?.pos).toMatchObject({ line: 8, column: 14 });
  });

  it('keeps the pod-level value with the pod-level position unless the container overrides it', () => {
    const r = read(
      pod(
        '  securityContext:\n    runAsUser: 1000\n  containers:\n    - name: a\n      image: i\n' +
          '    - name: b\n      image: i\n      securityContext:\n        runAsUser: 0\n',
      ),
    );
    const [a, b] = r.workloads[0]?.containers ?? [];
    expect(a?.runAsUser).toMatchObject({ value: 1000, pos: { line: 7 } });
    expect(b?.runAsUser).toMatchObject({ value: 0, pos: { line: 14 } });
  });

  it('reads unquoted yes/on as Kubernetes does, and rejects the quoted string', () => {
    const ok = read(pod('  containers:\n    - name: c\n      securityContext:\n        privileged: yes\n'));
    expect(ok.workloads[0]?.containers[0]?.privileged?.value).toBe(true);
    const bad = read(
      pod('  containers:\n    - name: c\n      securityContext:\n        privileged: "yes"\n'),
    );
    expect(bad.workloads[0]?.containers[0]?.privileged).toBeUndefined();
    expect(bad.diagnostics).toMatchObject([{ code: 'k8s-type', severity: 'error', line: 9, column: 21 }]);
    expect(bad.diagnostics[0]?.message).toContain('expected a boolean');
  });

  it('reports an integer beyond 2^53 instead of rounding it', () => {
    const r = read(
      pod('  securityContext:\n    runAsUser: 9007199254740993\n  containers:\n    - name: c\n'),
    );
    expect(r.workloads[0]?.containers[0]?.runAsUser).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['k8s-range']);
    const edge = read(
      pod('  securityContext:\n    runAsUser: 9007199254740991\n  containers:\n    - name: c\n'),
    );
    expect(edge.workloads[0]?.containers[0]?.runAsUser?.value).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('names workloads Kind/name with the namespace in front', () => {
    const r = read(
      'kind: Deployment\nmetadata:\n  name: web\n  namespace: prod\nspec:\n  template:\n    spec:\n      containers: [{name: c}]\n' +
        '---\nkind: Pod\nspec:\n  containers: [{name: c}]\n',
    );
    expect(r.workloads.map((w) => w.name)).toEqual(['prod/Deployment/web', 'Pod/(unnamed)']);
  });

  it('joins volumeMounts to volumes by name with a Map (no prototype lookups)', () => {
    const r = read(
      pod(
        '  containers:\n    - name: c\n      volumeMounts:\n        - {name: hasOwnProperty, mountPath: /a}\n' +
          '        - {name: valueOf, mountPath: /b}\n  volumes:\n    - name: hasOwnProperty\n      hostPath: {path: /}\n',
      ),
    );
    const mounts = r.workloads[0]?.containers[0]?.mounts ?? [];
    expect(mounts.map((m) => [m.type, m.source?.value, m.target.value])).toEqual([
      ['bind', '/', '/a'],
      ['other', undefined, '/b'],
    ]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['k8s-unknown-volume']);
  });

  it('never lets __proto__ reach an object prototype', () => {
    const text = pod(
      '  __proto__: {hostPID: true}\n  containers:\n    - name: __proto__\n      __proto__: {privileged: true}\n',
      '  annotations:\n    __proto__: {polluted: true}\n',
    );
    const r = read(text);
    expect(r.workloads[0]?.hostPid).toBeUndefined();
    expect(r.workloads[0]?.containers[0]?.privileged).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).hostPID).toBeUndefined();
    expect(Object.getPrototypeOf(r.workloads[0])).toBe(Object.prototype);
  });

  it('refuses an alias bomb quickly, with a diagnostic', () => {
    const lines = [
      'kind: Pod',
      'metadata:',
      '  name: b',
      '  annotations:',
      '    l0: &l0 [x, x, x, x, x, x, x, x, x, x]',
    ];
    for (let i = 1; i < 30; i++)
      lines.push(
        `    l${i}: &l${i} [${Array(10)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    lines.push('spec:', '  containers: [{name: c}]');
    const r = read(lines.join('\n'));
    expect(r.workloads).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['yaml-alias-limit']);
  });

  it('follows a legitimate alias (and merge keys) when reading values', () => {
    const r = read(
      pod(
        '  containers:\n    - name: a\n      securityContext: &sc {privileged: true, capabilities: {add: [SYS_ADMIN]}}\n' +
          '    - name: b\n      securityContext: *sc\n    - name: c\n      securityContext:\n        <<: *sc\n        privileged: false\n',
      ),
    );
    const [a, b, c] = r.workloads[0]?.containers ?? [];
    expect([a?.privileged?.value, b?.privileged?.value, c?.privileged?.value]).toEqual([true, true, false]);
    expect(c?.capAdd.map((x) => x.value)).toEqual(['sys_admin']);
    expect(r.diagnostics).toEqual([]);
  });

  it('reports an alias without an anchor and skips that document', () => {
    const r = read(pod('  containers: *nothing\n'));
    expect(r.workloads).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['yaml-alias']);
  });

  it.each([
    ['flow lists', `x: ${'['.repeat(100_000)}`],
    ['flow maps', `x: ${'{a: '.repeat(50_000)}`],
    ['block sequences', `x:\n${'- '.repeat(50_000)}y`],
    ['block maps', Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')],
  ])('refuses %s nested past the depth limit without crashing', (_what, text) => {
    const r = read(`${text}\n---\n${pod('  containers: [{name: c}]\n')}`);
    expect(r.diagnostics.map((d) => d.code)).toContain('yaml-too-deep');
    expect(r.workloads.map((w) => w.name)).toEqual(['Pod/p']);
  });

  it('caps invalid-utf8 diagnostics', () => {
    const r = read(`${'# \uFFFD\n'.repeat(100)}${pod('  containers: [{name: c}]\n')}`);
    expect(r.diagnostics.filter((d) => d.code === 'invalid-utf8')).toHaveLength(10);
    expect(r.workloads).toHaveLength(1);
  });

  it('skips non-workload kinds silently, reports documents that are not objects', () => {
    expect(read('kind: Service\nmetadata: {name: s}\n')).toEqual({ workloads: [], diagnostics: [] });
    expect(codes('- just\n- a list\n')).toEqual(['k8s-not-object']);
    expect(codes('metadata: {name: x}\n')).toEqual(['k8s-no-kind']);
    expect(codes('kind: [Pod]\n')).toEqual(['k8s-type']);
    expect(read('')).toEqual({ workloads: [], diagnostics: [] });
    expect(read('---\n---\n# nothing\n')).toEqual({ workloads: [], diagnostics: [] });
  });

  it('never throws on YAML-ish noise (property)', () => {
    const token = fc.constantFrom(
      'kind: Pod\n',
      'kind: List\nitems:\n',
      'spec:\n',
      '  containers:\n',
      '  - name: c\n',
      '    securityContext:\n',
      '      privileged: ',
      'true',
      '"yes"',
      '1e400',
      '99999999999999999999',
      '&a ',
      '*a',
      '<<: ',
      '<<: *a\n',
      '[',
      ']',
      '{',
      '}',
      ', ',
      ': ',
      '- ',
      '\n',
      '  ',
      '\t',
      '---\n',
      '...\n',
      '#',
      '"',
      "'",
      '!!str ',
      '!!binary ',
      '? ',
      '|\n',
      '__proto__: ',
      'volumeMounts: [{name: v, mountPath: /x}]\n',
      'volumes: [{name: v, hostPath: {path: /}}]\n',
      '\uFFFD',
      '%YAML 1.2\n',
      'x',
    );
    assertReadsAnyTokens(read, token);
  });

  it('never throws on structured manifests with random values (property)', () => {
    const value = fc.oneof(
      fc.boolean(),
      fc.integer(),
      fc.string({ maxLength: 8 }),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('type', 'path', 'name', '__proto__', 'add'), fc.string({ maxLength: 4 })),
    );
    const securityContext = fc.dictionary(
      fc.constantFrom(
        'privileged',
        'runAsUser',
        'capabilities',
        'seccompProfile',
        'appArmorProfile',
        'procMount',
        'sysctls',
      ),
      value,
    );
    const container = fc.record({
      name: value,
      image: value,
      securityContext: fc.oneof(securityContext, value),
      volumeMounts: value,
      ports: value,
    });
    const manifest = fc.record({
      kind: fc.constantFrom('Pod', 'Deployment', 'CronJob', 'List', 'PodTemplate', 'Service'),
      metadata: fc.record({ name: value, annotations: value }),
      spec: fc.record({
        hostPID: value,
        containers: fc.oneof(fc.array(container, { maxLength: 3 }), value),
        template: fc.record({ spec: fc.record({ containers: fc.array(container, { maxLength: 2 }) }) }),
        securityContext: fc.oneof(securityContext, value),
        volumes: value,
      }),
      items: value,
    });
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), (docs) => {
        const r = read(docs.map((d) => stringify(d)).join('---\n'));
        expect(r.diagnostics.every((d) => d.code !== 'reader-internal')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('reads a 10 000-document stream', () => {
    const doc = (i: number) =>
      `kind: Deployment\nmetadata: {name: d${i}, namespace: ns}\nspec:\n  template:\n    spec:\n` +
      `      containers:\n        - name: c\n          securityContext: {privileged: ${i % 2 === 0}}\n`;
    const r = read(Array.from({ length: 10_000 }, (_, i) => doc(i)).join('---\n'));
    expect(r.workloads).toHaveLength(10_000);
    expect(r.diagnostics).toEqual([]);
    expect(r.workloads[9_999]?.name).toBe('ns/Deployment/d9999');
    expect(r.workloads[9_999]?.containers[0]?.privileged).toMatchObject({
      value: false,
      pos: { line: 9_999 * 9 + 8 },
    });
  });

  it('finds duplicate keys in a mapping with 20 000 keys (linear, unlike the library check)', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `    k${i}: v`).join('\n');
    const r = read(pod('  containers: [{name: c}]\n', `  annotations:\n${keys}\n    k7: again\n`));
    expect(r.workloads).toHaveLength(1);
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['yaml-duplicate-key', 20_006]]);
  });
});
