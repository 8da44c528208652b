import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { primitiveSchema, TECHNIQUE_CLASSES } from '../catalog/schema.js';
import { LAYERS, type SimulationReport } from './types.js';

const schemaPath = fileURLToPath(new URL('../../docs/simulation-report.schema.json', import.meta.url));
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
  $defs: Record<string, { enum?: unknown[]; properties?: Record<string, { enum?: unknown[] }> }>;
};
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);

/** Typed, so a change to SimulationReport that the schema does not follow fails to compile or to validate. */
const report: SimulationReport = {
  schemaVersion: 1,
  generatedBy: 'breakwater 0.1.0 (model engine)',
  techniques: [
    {
      id: 'writable-core-pattern',
      title: 'Writable /proc/sys/kernel/core_pattern',
      class: 'misconfiguration',
      cves: [],
      severity: 'critical',
    },
    {
      id: 'runc-leaked-fd-workdir',
      title: 'runc leaked fd working directory',
      class: 'runtime',
      cves: ['CVE-2024-21626'],
      severity: 'high',
    },
  ],
  defences: [{ id: 'docker-default', description: "Docker's defaults" }],
  results: [
    {
      technique: 'writable-core-pattern',
      defence: 'docker-default',
      verdict: 'blocked',
      reason: 'every chain is stopped',
      chains: [
        {
          chain: 'pipe-core-handler',
          blocked: true,
          steps: [
            {
              primitive: 'w /proc/sys/kernel/core_pattern',
              kind: 'file',
              decision: 'deny',
              layer: 'read-only-paths',
              rule: '/proc/sys is mounted read-only',
            },
            {
              primitive: 'signal segv to a container process',
              kind: 'signal',
              decision: 'allow',
              layer: 'apparmor',
              rule: 'signal (receive) peer=unconfined,',
              location: { file: 'docker-default', line: 12, column: 3 },
            },
          ],
        },
      ],
      steps: [],
    },
    {
      technique: 'runc-leaked-fd-workdir',
      defence: 'docker-default',
      verdict: 'not-applicable',
      fix: 'runc >= 1.1.12',
      reason: 'the runtime does it on the host',
      chains: [],
      steps: [],
    },
  ],
  benign: [
    {
      workload: 'shell-script',
      defence: 'docker-default',
      verdict: 'works',
      steps: [
        {
          primitive: 'clone(0x1200011)',
          kind: 'syscall',
          decision: 'allow',
          layer: 'seccomp',
          rule: 'clone(0x1200011): SCMP_ACT_ALLOW by the rule for clone',
          location: { file: 'docker-default.json', line: 600, column: 5 },
        },
      ],
    },
  ],
  summary: [
    {
      defence: 'docker-default',
      blocked: 1,
      notBlocked: 0,
      notApplicable: 1,
      total: 2,
      benignBroken: 0,
    },
  ],
};

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('docs/simulation-report.schema.json', () => {
  it('accepts a well-formed report', () => {
    const ok = validate(clone(report));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects an unknown verdict', () => {
    const bad = clone(report) as unknown as { results: Array<{ verdict: string }> };
    (bad.results[0] as { verdict: string }).verdict = 'mostly-blocked';
    expect(validate(bad)).toBe(false);
    expect(validate.errors?.some((e) => e.instancePath === '/results/0/verdict')).toBe(true);
  });

  it('rejects another schema version, unknown fields and missing required fields', () => {
    expect(validate({ ...clone(report), schemaVersion: 2 })).toBe(false);
    expect(validate({ ...clone(report), extra: true })).toBe(false);
    const { summary: _summary, ...noSummary } = clone(report);
    expect(validate(noSummary)).toBe(false);
    const badLayer = clone(report);
    (badLayer.benign[0]?.steps[0] as { layer: string }).layer = 'selinux';
    expect(validate(badLayer)).toBe(false);
  });

  it('enumerates the same layers, classes and primitive kinds as the code', () => {
    expect(schema.$defs.layer?.enum).toEqual([...LAYERS]);
    expect(schema.$defs.technique?.properties?.class?.enum).toEqual([...TECHNIQUE_CLASSES]);
    const kinds = primitiveSchema.options.map((o) => o.shape.kind.value);
    expect([...(schema.$defs.primitiveKind?.enum ?? [])].sort()).toEqual([...kinds].sort());
  });
});
