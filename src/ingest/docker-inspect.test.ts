import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDockerInspect } from './docker-inspect.js';
import { corpusCases, summarize } from './docker-run-summary.js';

const cases = corpusCases('docker-inspect');

describe('docker inspect corpus', () => {
  it('has enough cases', () => expect(cases.length).toBeGreaterThanOrEqual(5));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = readDockerInspect(c.text, c.name);
    const { description: _d, ...want } = c.expect;
    expect(summarize(r)).toEqual(want);
    for (const d of r.diagnostics) expect(d.file).toBe(c.name);
  });
});

describe('readDockerInspect', () => {
  const one = (hostConfig: string, extra = '') =>
    readDockerInspect(`[{"Name": "/x", ${extra} "HostConfig": ${hostConfig}}]`, 'i.json');

  it('an inline seccomp profile (what inspect shows for a file) is a localhost profile', () => {
    const r = one(String.raw`{"SecurityOpt": ["seccomp={\"defaultAction\":\"SCMP_ACT_ERRNO\"}"]}`);
    expect(r.workloads[0]?.containers[0]?.seccomp?.value).toEqual({
      type: 'localhost',
      profile: '(inline profile)',
    });
  });

  it('positions inside an escaped string fall back to the string start', () => {
    const r = one(String.raw`{"Binds": ["/a\u002fb:/c"]}`);
    const m = r.workloads[0]?.containers[0]?.mounts[0];
    expect(m?.source?.value).toBe('/a/b');
    expect(m?.target.pos).toEqual(m?.source?.pos);
  });

  it('a __proto__ key is just a key', () => {
    const r = one('{"Sysctls": {"__proto__": "1", "constructor": "2"}}');
    expect(r.workloads[0]?.containers[0]?.sysctls.map((s) => s.value.name)).toEqual([
      '__proto__',
      'constructor',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a single object (not an array) is read too; something else is a diagnostic', () => {
    expect(readDockerInspect('{"Name": "/x", "HostConfig": {}}', 'i.json').workloads).toHaveLength(1);
    const r = readDockerInspect('"text"', 'i.json');
    expect(r.workloads).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['docker-inspect-bad-type']);
  });

  it('an empty file is a syntax error', () => {
    expect(readDockerInspect('', 'i.json').diagnostics.map((d) => d.code)).toEqual([
      'docker-inspect-json-syntax',
    ]);
  });

  it('refuses JSON nested too deep instead of overflowing the stack', () => {
    const r = readDockerInspect(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'i.json');
    expect(r.workloads).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['docker-inspect-json-too-deep']);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.json(), fc.string({ maxLength: 50 }), (j, s) => {
        readDockerInspect(j, 'f');
        readDockerInspect(`[{"HostConfig": ${j}, "Config": ${j}, "Mounts": ${j}}]`, 'f');
        readDockerInspect(s, 'f');
      }),
      { numRuns: 300 },
    );
    const keys = fc.constantFrom(
      'Binds',
      'Mounts',
      'Devices',
      'SecurityOpt',
      'CapAdd',
      'Sysctls',
      'MaskedPaths',
      'PidMode',
      'Privileged',
    );
    fc.assert(
      fc.property(fc.dictionary(keys, fc.jsonValue()), (hc) => {
        readDockerInspect(JSON.stringify([{ Name: '/x', HostConfig: hc, Mounts: hc.Mounts ?? null }]), 'f');
      }),
      { numRuns: 300 },
    );
  });
});
