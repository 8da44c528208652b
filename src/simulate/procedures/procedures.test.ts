/**
 * The vulnerable-procedure simulators, for real: one QEMU boot (Debian's kernel, AppArmor on) runs
 * every simulator under every defence, under each breakwater layer alone, and with the fixed
 * release's behaviour. An attack that fails undefended proves nothing, so that fails the suite.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeWithTools } from '../../../test/helpers/tools.js';
import { FIXED_BEHAVIOURS } from '../../scheme/management/settings.js';
import { PROCEDURE_DEFENCES } from './configs.js';
import { proceduresReport, simulateProcedures } from './report.js';
import { loadScenarios } from './scenarios.js';
import { type ProcedureLabRun, type ProcedureRun, runProcedureLab } from './vm-lab.js';

const validateReport = new Ajv2020({ strict: true, allErrors: true }).compile(
  JSON.parse(readFileSync(new URL('../../../docs/simulation-report.schema.json', import.meta.url), 'utf8')),
);

const scenarios = loadScenarios();

const show = (r: ProcedureRun | undefined): string =>
  r
    ? `${r.technique} under ${r.config}: ${r.canary} — ${r.detail}\n${[...r.steps.map((s) => JSON.stringify(s)), ...r.denials, ...r.log].join('\n')}`
    : 'no run';

describe('lab scenarios', () => {
  it('the model report of the suite is a valid simulation report', () => {
    const report = simulateProcedures(scenarios);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.defences.map((d) => d.id)).toEqual([...PROCEDURE_DEFENCES]);
  });

  it('there is a simulator for every runtime-side technique the issue names', () => {
    expect(scenarios.map((s) => s.cve).sort()).toEqual(
      [
        'CVE-2018-15664',
        'CVE-2019-14271',
        'CVE-2019-16884',
        'CVE-2019-5736',
        'CVE-2020-15257',
        'CVE-2021-30465',
        'CVE-2022-0811',
        'CVE-2023-28642',
        'CVE-2024-21626',
        'CVE-2025-31133',
      ].sort(),
    );
  });
});

describeWithTools(
  'vulnerable procedures in the AppArmor VM',
  ['qemu-system-x86_64', 'gcc', 'apparmor_parser', 'busybox'],
  {},
  () => {
    let lab: ProcedureLabRun;
    const run = (technique: string, config: string) =>
      lab.runs.find((r) => r.technique === technique && r.config === config);

    beforeAll(async () => {
      lab = await runProcedureLab(scenarios);
      process.stderr.write(
        `procedures: ${lab.runs.length} runs of ${scenarios.length} simulators in one VM boot, ${Math.round(lab.bootMs / 1000)} s (kernel ${lab.kernel})\n`,
      );
    }, 1_200_000);

    it('every run finished with exactly one canary verdict', () => {
      const broken = lab.runs.filter((r) => r.canary === 'error');
      expect(broken.map(show), 'broken runs').toEqual([]);
    });

    it.each(scenarios.map((s) => s.technique))('%s: undefended, the attack reaches its canary', (t) => {
      const r = run(t, 'none');
      expect(r?.canary, show(r)).toBe('reached');
    });

    it.each(scenarios.map((s) => s.technique))('%s: the fixed release behaviour stops it', (t) => {
      const s = scenarios.find((x) => x.technique === t);
      const fixed = s?.settings.filter((x) => x in FIXED_BEHAVIOURS) ?? [];
      expect(fixed.length, `${t} emulates no fixed behaviour`).toBeGreaterThan(0);
      const r = run(t, 'upgrade');
      expect(r?.canary, show(r)).toBe('safe');
    });

    it.each(
      scenarios.flatMap((s) =>
        PROCEDURE_DEFENCES.filter((d) => s.expect?.[d]).map((d) => [s.technique, d, s.expect?.[d]] as const),
      ),
    )('%s under %s: %s, as measured and recorded in scenario.json', (t, d, want) => {
      const r = run(t, d);
      expect(r?.canary, show(r)).toBe(want);
    });

    it('normal management procedures keep working under every defence (management profiles included)', () => {
      expect(lab.benign.length, 'no benign workload ran (lab/benign)').toBeGreaterThan(0);
      for (const run of lab.benign) {
        expect(run.canary, show(run)).not.toBe('error');
        expect(run.checks?.length, show(run)).toBeGreaterThan(0);
        const failed = (run.checks ?? []).filter((c) => !c.ok).map((c) => `${c.check}: ${c.detail}`);
        expect(failed, `${run.technique} under ${run.config}\n${run.denials.join('\n')}`).toEqual([]);
      }
      expect(new Set(lab.benign.map((r) => r.config))).toEqual(new Set(PROCEDURE_DEFENCES));
      // The runtime, volume, exec, masks, sysctl, cp out/in, shim, and the real runc: 10 per defence.
      for (const d of PROCEDURE_DEFENCES) {
        const checks = lab.benign.filter((r) => r.config === d).flatMap((r) => r.checks ?? []);
        expect(checks.length, d).toBeGreaterThanOrEqual(10);
      }
    });

    it('the model decides every procedure under every defence as the lab did', () => {
      const report = proceduresReport(scenarios, lab);
      const disagreements = report.results.flatMap((r) => {
        const p = r.procedure;
        if (!p || p.canary === 'error') return [];
        return (r.verdict === 'blocked') === (p.modelVerdict === 'blocked')
          ? []
          : [
              `${r.technique} under ${r.defence}: lab ${p.canary} (${r.verdict}), model ${p.modelVerdict}; ${p.refused.join('; ')}`,
            ];
      });
      expect(disagreements).toEqual([]);
    });

    it('the report takes verdicts from the canaries and names the layers that stop each attack', () => {
      const report = proceduresReport(scenarios, lab);
      expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
      expect(report.results).toHaveLength(scenarios.length * PROCEDURE_DEFENCES.length);
      for (const r of report.results) {
        expect(r.procedure, `${r.technique} ${r.defence}`).toBeDefined();
        const p = r.procedure as NonNullable<typeof r.procedure>;
        expect(r.verdict === 'blocked').toBe(p.canary === 'safe');
        if (p.canary === 'reached') expect(p.stoppedBy).toEqual([]);
      }
    });
  },
);
