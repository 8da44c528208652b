import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusCases, summarize } from './docker-run-summary.js';
import { readOciConfig } from './oci-config.js';

const cases = corpusCases('oci-config');

describe('OCI config.json corpus', () => {
  it('has enough cases', () => expect(cases.length).toBeGreaterThanOrEqual(5));
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = readOciConfig(c.text, c.name);
    const { description: _d, ...want } = c.expect;
    expect(summarize(r)).toEqual(want);
    for (const d of r.diagnostics) expect(d.file).toBe(c.name);
  });
});

describe('readOciConfig', () => {
  it('an empty object: no process, no linux section', () => {
    const r = readOciConfig('{}', 'config.json');
    expect(r.diagnostics).toEqual([]);
    const w = r.workloads[0];
    expect(w?.hostPid?.value).toBe(true);
    expect(w?.containers[0]?.seccomp?.value.type).toBe('unconfined');
    expect(w?.containers[0]?.apparmor).toBeUndefined();
    expect(w?.containers[0]?.capAdd).toEqual([]);
  });

  it('not an object: a diagnostic and no workload', () => {
    const r = readOciConfig('[1, 2]', 'config.json');
    expect(r.workloads).toEqual([]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['oci-config-bad-type']);
  });

  it('duplicate keys are flagged and the last one is used', () => {
    const r = readOciConfig('{"root": {"readonly": true, "readonly": false}}', 'config.json');
    expect(r.diagnostics.map((d) => `${d.code}@${d.column}`)).toEqual(['oci-config-duplicate-key@29']);
    expect(r.workloads[0]?.containers[0]?.readOnlyRootFilesystem?.value).toBe(false);
  });

  it('refuses JSON nested too deep instead of overflowing the stack', () => {
    const r = readOciConfig(`{"process": ${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`, 'config.json');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['oci-config-json-too-deep']);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.jsonValue(), (p, l, m) => {
        readOciConfig(JSON.stringify({ process: p, linux: l, mounts: m, root: p }), 'f');
        readOciConfig(JSON.stringify(p), 'f');
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        readOciConfig(s, 'f');
      }),
    );
  });
});
