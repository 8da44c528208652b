import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readCompose } from './compose.js';
import {
  assertReadsAnyTokens,
  corpusCases,
  diagnosticCodes,
  positionOf,
  summarize,
} from './compose-kubernetes.corpus.js';

const dir = fileURLToPath(new URL('../../test/corpus/ingest/compose', import.meta.url));
const cases = corpusCases(dir);

const read = (text: string) => readCompose(text, 'compose.yaml');
/** The one container of a one-service file. */
const service = (body: string) => {
  const r = read(`services:\n  s:\n${body}`);
  return { r, c: r.workloads[0]?.containers[0], w: r.workloads[0] };
};

describe('readCompose corpus (test/corpus/ingest/compose)', () => {
  it('has the fixtures the reader promises to cover', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = readCompose(c.text, c.file);
    expect(r.workloads.map(summarize)).toEqual(c.expect.workloads);
    for (const [key, want] of Object.entries(c.expect.at ?? {}))
      expect(positionOf(r.workloads, key), key).toBe(want);
    expect(diagnosticCodes(r.diagnostics)).toEqual(c.expect.diagnostics);
    for (const w of r.workloads) {
      expect(w.source).toBe('compose');
      expect(w.containers).toHaveLength(1);
      expect(w.containers[0]?.pos).toEqual(w.pos);
    }
  });
});

describe('readCompose', () => {
  it.each([
    ['seccomp:unconfined', { seccomp: { type: 'unconfined' } }],
    ['seccomp=unconfined', { seccomp: { type: 'unconfined' } }],
    ['seccomp=builtin', { seccomp: { type: 'runtime-default' } }],
    ['seccomp=/etc/p.json', { seccomp: { type: 'localhost', profile: '/etc/p.json' } }],
    // Docker cuts at the first `=` and only then at `:`
    ['seccomp=C:\\p.json', { seccomp: { type: 'localhost', profile: 'C:\\p.json' } }],
    ['apparmor:unconfined', { apparmor: { type: 'unconfined' } }],
    ['apparmor=my-profile', { apparmor: { type: 'localhost', profile: 'my-profile' } }],
    ['no-new-privileges', { noNewPrivileges: true }],
    ['no-new-privileges:true', { noNewPrivileges: true }],
    ['no-new-privileges=1', { noNewPrivileges: true }],
    ['no-new-privileges:false', { noNewPrivileges: false }],
    ['systempaths=unconfined', { procMount: 'Unmasked' }],
    ['systempaths:unconfined', { procMount: 'Unmasked' }],
  ])('security_opt %s', (opt, want) => {
    const { c, r } = service(`    security_opt: [${JSON.stringify(opt)}]\n`);
    expect(r.diagnostics).toEqual([]);
    const got = Object.fromEntries(
      Object.keys(want).map((k) => [k, (c as unknown as Record<string, { value: unknown }>)[k]?.value]),
    );
    expect(got).toEqual(want);
  });

  it('points a security_opt value past its key when the string is written literally', () => {
    const { c } = service('    security_opt:\n      - seccomp:unconfined\n      - "apparmor=unconfined"\n');
    expect(c?.seccomp?.pos).toMatchObject({ line: 4, column: 17 });
    expect(c?.apparmor?.pos).toMatchObject({ line: 5, column: 19 });
  });

  it.each([
    ['/host:/ctr', 'bind', '/host', '/ctr', undefined],
    ['/host:/ctr:ro', 'bind', '/host', '/ctr', true],
    ['/host:/ctr:rw,z', 'bind', '/host', '/ctr', false],
    ['named:/ctr', 'volume', 'named', '/ctr', undefined],
    ['./rel:/ctr', 'bind', './rel', '/ctr', undefined],
    ['../up:/ctr', 'bind', '../up', '/ctr', undefined],
    ['~/home:/ctr', 'bind', '~/home', '/ctr', undefined],
    ['C:\\data:/data', 'bind', 'C:\\data', '/data', undefined],
    ['/anon', 'volume', undefined, '/anon', undefined],
    [
      '/var/run/docker.sock:/var/run/docker.sock',
      'bind',
      '/var/run/docker.sock',
      '/var/run/docker.sock',
      undefined,
    ],
  ])('volume %s', (spec, type, source, target, ro) => {
    const { c } = service(`    volumes: [${JSON.stringify(spec)}]\n`);
    const m = c?.mounts[0];
    expect([m?.type, m?.source?.value, m?.target.value, m?.readOnly?.value]).toEqual([
      type,
      source,
      target,
      ro,
    ]);
  });

  it.each([
    ['80', [80]],
    ['"8080:80"', [80]],
    ['"127.0.0.1:8080:80/udp"', [80]],
    ['"[::1]:8080:80"', [80]],
    ['"127.0.0.1::53"', [53]],
    ['"3000-3002:3000-3002"', [3000, 3001, 3002]],
    ['"1-65535"', Array.from({ length: 1024 }, (_, i) => i + 1)],
  ])('ports %s', (spec, want) => {
    const { c } = service(`    ports: [${spec}]\n`);
    expect(c?.ports.map((p) => p.value)).toEqual(want);
  });

  it('casts string booleans as compose does and reports variables instead of guessing', () => {
    expect(service('    privileged: "on"\n').c?.privileged?.value).toBe(true);
    expect(service('    privileged: "FALSE"\n').c?.privileged?.value).toBe(false);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a compose variable, literally
    const v = service('    privileged: ${PRIV}\n');
    expect(v.c?.privileged).toBeUndefined();
    expect(v.r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['compose-variable', 'info']]);
    const bad = service('    privileged: sometimes\n');
    expect(bad.r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['compose-type', 'error']]);
  });

  it('reads host namespaces at the workload level with the value position', () => {
    const { w } = service(
      '    pid: host\n    network_mode: "host"\n    ipc: private\n    userns_mode: host\n',
    );
    expect(w?.hostPid).toMatchObject({ value: true, pos: { line: 3, column: 10 } });
    expect(w?.hostNetwork).toMatchObject({ value: true, pos: { line: 4, column: 19 } });
    expect(w?.hostIpc?.value).toBe(false);
    expect(w?.userNamespace?.value).toBe(false);
  });

  it('applies << merges: explicit keys win, earlier sources win over later ones', () => {
    const r = read(
      'x-a: &a {privileged: true, user: a}\nx-b: &b {privileged: false, user: b, read_only: true}\n' +
        'services:\n  s:\n    <<: [*a, *b]\n    user: s\n',
    );
    const c = r.workloads[0]?.containers[0];
    expect([c?.privileged?.value, c?.user?.value, c?.readOnlyRootFilesystem?.value]).toEqual([
      true,
      's',
      true,
    ]);
    expect(c?.privileged?.pos.line).toBe(1);
  });

  it('gives __proto__ and constructor services no special meaning', () => {
    const r = read('services:\n  __proto__:\n    privileged: true\n  constructor:\n    image: x\n');
    expect(r.workloads.map((w) => w.name)).toEqual(['service __proto__', 'service constructor']);
    expect(({} as Record<string, unknown>).privileged).toBeUndefined();
  });

  it('reports a file without services and accepts an empty services mapping', () => {
    expect(read('version: "3"\n').diagnostics.map((d) => d.code)).toEqual(['compose-no-services']);
    expect(read('services: {}\n')).toEqual({ workloads: [], diagnostics: [] });
    expect(read('services:\n')).toEqual({ workloads: [], diagnostics: [] });
    expect(read('services: [a]\n').diagnostics.map((d) => d.code)).toEqual(['compose-type']);
    expect(read('')).toEqual({ workloads: [], diagnostics: [] });
  });

  it('never throws on YAML-ish noise (property)', () => {
    const token = fc.constantFrom(
      'services:\n',
      '  s:\n',
      '    privileged: ',
      '    volumes:\n',
      '      - ',
      '/a:/b:ro',
      '"C:\\\\x:/y"',
      'security_opt: [',
      'seccomp=',
      'no-new-privileges:',
      'ports: ["',
      '[::1]:80:80',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a compose variable, literally
      '${X}',
      'sysctls: ',
      'a=b',
      '&a ',
      '*a',
      '<<: *a\n',
      '[',
      ']',
      '{',
      '}',
      ': ',
      '- ',
      '\n',
      '  ',
      '---\n',
      '"',
      "'",
      '#',
      '__proto__',
      '\uFFFD',
      'x',
      '1',
    );
    assertReadsAnyTokens(read, token);
  });

  it('never throws on structured services with random values (property)', () => {
    const value = fc.oneof(
      fc.boolean(),
      fc.integer(),
      fc.string({ maxLength: 10 }),
      fc.constant(null),
      fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), { maxLength: 3 }),
      fc.dictionary(
        fc.constantFrom('type', 'source', 'target', 'read_only', '__proto__'),
        fc.string({ maxLength: 6 }),
      ),
    );
    const svc = fc.dictionary(
      fc.constantFrom(
        'image',
        'privileged',
        'cap_add',
        'security_opt',
        'volumes',
        'devices',
        'ports',
        'sysctls',
        'pid',
        'user',
        'tmpfs',
        'userns_mode',
      ),
      fc.oneof(value, fc.array(value, { maxLength: 3 })),
    );
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 5 }).filter((k) => k !== '<<'),
          svc,
          { maxKeys: 3 },
        ),
        (services) => {
          const r = read(stringify({ services }));
          expect(r.diagnostics.every((d) => d.code !== 'reader-internal')).toBe(true);
          expect(r.workloads).toHaveLength(Object.keys(services).length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
