/**
 * The procedures suite: the runtime-side techniques that have a vulnerable-procedure simulator,
 * under none, docker-default, breakwater and breakwater+management. The model engine decides them
 * from the catalog (management-plane requests included); the real engine runs the simulators in
 * the AppArmor VM and takes each verdict from the canary, keeping the model's beside it.
 */
import { techniqueById } from '../../catalog/index.js';
import type { Technique } from '../../catalog/schema.js';
import { builtinDefence } from '../defence.js';
import { simulate } from '../index.js';
import { fixText } from '../model.js';
import type {
  BenignResult,
  Layer,
  ProcedureEvidence,
  SimulationReport,
  TechniqueResult,
  Verdict,
} from '../types.js';
import {
  DEFENCE_LAYERS,
  layerConfigId,
  PROCEDURE_DEFENCES,
  type ProcedureDefence,
  withoutConfigId,
} from './configs.js';
import { loadScenarios, type Scenario } from './scenarios.js';
import type { ProcedureLabRun, ProcedureRun } from './vm-lab.js';

export function procedureTechniques(scenarios: readonly Scenario[] = loadScenarios()): Technique[] {
  return scenarios.map((s) => techniqueById(s.technique) as Technique);
}

/** The model's procedures report. */
export function simulateProcedures(scenarios: readonly Scenario[] = loadScenarios()): SimulationReport {
  return simulate({
    defences: PROCEDURE_DEFENCES.map((d) => builtinDefence(d)),
    techniques: procedureTechniques(scenarios),
    benign: [],
    counted: () => true,
    generatedBy: 'breakwater 0.1.0 (model engine, procedures suite)',
  });
}

function refusedSteps(run: ProcedureRun): string[] {
  return run.steps
    .filter((s) => !s.ok)
    .map((s) => `${s.step}: ${s.errno}${s.detail ? ` (${s.detail})` : ''}`);
}

/**
 * The layers of `defence` that stop the attack: each one that stops it alone (the single-layer
 * runs), and each one without which the attack gets through (the leave-one-out runs).
 */
export function stoppedBy(defence: ProcedureDefence, runs: ReadonlyMap<string, ProcedureRun>): Layer[] {
  return DEFENCE_LAYERS[defence].filter(
    (l) =>
      runs.get(layerConfigId(defence, l))?.canary === 'safe' ||
      runs.get(withoutConfigId(defence, l))?.canary === 'reached',
  );
}

function verdictFromCanary(
  model: TechniqueResult,
  evidence: ProcedureEvidence,
  t: Technique,
): TechniqueResult {
  if (evidence.canary === 'error') return { ...model, procedure: evidence };
  if (evidence.canary === 'safe') {
    const by = evidence.stoppedBy.length ? evidence.stoppedBy.join(', ') : 'only the layers together';
    return {
      ...model,
      verdict: 'blocked',
      reason: `the re-created procedure did not reach its canary: stopped by ${by}`,
      procedure: evidence,
    };
  }
  const fix = fixText(t);
  if (evidence.upgrade === 'safe' && fix)
    return {
      ...model,
      verdict: 'not-applicable',
      fix,
      reason: `the re-created procedure reached its canary through every layer; the fixed release's behaviour stops it: upgrade (${fix})`,
      procedure: evidence,
    };
  return {
    ...model,
    verdict: 'not-blocked',
    reason: 'the re-created procedure reached its canary through every layer',
    procedure: evidence,
  };
}

/**
 * The model's verdict for the chains the simulator re-creates: blocked when each is, else the
 * technique's own open verdict (upgrade, or not blocked).
 */
export function modelVerdictFor(m: TechniqueResult, chains: readonly string[]): Verdict {
  const mine = m.chains.filter((c) => chains.includes(c.chain));
  if (mine.length && mine.every((c) => c.blocked)) return 'blocked';
  if (m.verdict !== 'blocked') return m.verdict;
  return fixText(techniqueById(m.technique) as Technique) ? 'not-applicable' : 'not-blocked';
}

/** The real engine's procedures report: the model report with each verdict taken from the lab. */
export function proceduresReport(scenarios: readonly Scenario[], lab: ProcedureLabRun): SimulationReport {
  const model = simulateProcedures(scenarios);
  const byTechnique = new Map<string, Map<string, ProcedureRun>>();
  for (const r of lab.runs) {
    const m = byTechnique.get(r.technique) ?? new Map<string, ProcedureRun>();
    m.set(r.config, r);
    byTechnique.set(r.technique, m);
  }
  const results = model.results.map((m) => {
    const runs = byTechnique.get(m.technique);
    const run = runs?.get(m.defence);
    const scenario = scenarios.find((s) => s.technique === m.technique);
    if (!runs || !run || !scenario) return m;
    const defence = m.defence as ProcedureDefence;
    const evidence: ProcedureEvidence = {
      kernel: lab.kernel,
      canary: run.canary,
      detail: run.detail,
      stoppedBy: run.canary === 'safe' ? stoppedBy(defence, runs) : [],
      refused: refusedSteps(run),
      denials: run.denials,
      modelVerdict: modelVerdictFor(m, scenario.chains),
      upgrade: runs.get('upgrade')?.canary ?? 'error',
    };
    return verdictFromCanary(m, evidence, techniqueById(m.technique) as Technique);
  });
  // The benign management workloads: each normal procedure is a workload that must keep working.
  const benign: BenignResult[] = lab.benign.flatMap((run) =>
    (run.checks ?? []).map((c) => ({
      workload: `${run.technique.replace(/^benign:/, '')}/${c.check}`,
      defence: run.config,
      verdict: c.ok && run.canary !== 'error' ? ('works' as const) : ('breaks' as const),
      steps: [],
    })),
  );
  const summary = model.summary.map((s) => {
    const mine = results.filter((r) => r.defence === s.defence);
    return {
      ...s,
      blocked: mine.filter((r) => r.verdict === 'blocked').length,
      notBlocked: mine.filter((r) => r.verdict === 'not-blocked').length,
      notApplicable: mine.filter((r) => r.verdict === 'not-applicable').length,
      benignBroken: benign.filter((b) => b.defence === s.defence && b.verdict === 'breaks').length,
    };
  });
  return {
    ...model,
    generatedBy: `breakwater 0.1.0 (real engine, procedures suite, lab VM kernel ${lab.kernel})`,
    results,
    benign,
    summary,
  };
}
