/**
 * `simulate`: every technique and benign workload under every defence, with the model engine.
 * Returns the versioned report document (types.ts); rendering is report/*.
 */
import { TECHNIQUES } from '../catalog/index.js';
import type { Technique } from '../catalog/schema.js';
import { BENIGN } from './benign/index.js';
import type { BenignWorkload } from './benign/schema.js';
import type { Defence } from './defence.js';
import { decideChain, decideTechnique, environment } from './model.js';
import type { BenignResult, SimulationReport, TechniqueResult } from './types.js';

export interface SimulateInput {
  defences: readonly Defence[];
  techniques?: readonly Technique[];
  benign?: readonly BenignWorkload[];
  /** Which techniques the summary counts (default: the container-side ones). */
  counted?: (t: Technique) => boolean;
  /** The report's `generatedBy` (default: the model engine). */
  generatedBy?: string;
}

export function decideBenign(defence: Defence, w: BenignWorkload): BenignResult {
  const env = environment(defence, {});
  const chain = decideChain(env, { id: w.id, description: w.description, steps: w.steps }, {
    preconditions: {},
  } as Technique);
  return {
    workload: w.id,
    defence: defence.id,
    verdict: chain.blocked ? 'breaks' : 'works',
    steps: chain.steps,
  };
}

/** Container-side: what a profile can be expected to stop (the runtime class is fixed by versions). */
export const isContainerSide = (t: Technique) => t.class !== 'runtime';

export function simulate(input: SimulateInput): SimulationReport {
  const techniques = input.techniques ?? TECHNIQUES;
  const benign = input.benign ?? BENIGN;
  const results = input.defences.flatMap((d) => techniques.map((t) => decideTechnique(d, t)));
  const benignResults = input.defences.flatMap((d) => benign.map((w) => decideBenign(d, w)));
  const byId = new Map(techniques.map((t) => [t.id, t]));
  return {
    schemaVersion: 1,
    generatedBy: input.generatedBy ?? 'breakwater 0.1.0 (model engine)',
    techniques: techniques.map((t) => ({
      id: t.id,
      title: t.title,
      class: t.class,
      cves: t.cves,
      severity: t.severity,
    })),
    defences: input.defences.map((d) => ({ id: d.id, description: d.description })),
    results,
    benign: benignResults,
    summary: summarize(
      input.defences.map((d) => d.id),
      results.filter((r) => (input.counted ?? isContainerSide)(byId.get(r.technique) as Technique)),
      benignResults,
    ),
  };
}

/** Per defence: the verdict counts of the counted results and how many benign workloads break. */
export function summarize(
  defences: readonly string[],
  counted: readonly TechniqueResult[],
  benign: readonly BenignResult[],
): SimulationReport['summary'] {
  return defences.map((defence) => {
    const mine = counted.filter((r) => r.defence === defence);
    return {
      defence,
      blocked: mine.filter((r) => r.verdict === 'blocked').length,
      notBlocked: mine.filter((r) => r.verdict === 'not-blocked').length,
      notApplicable: mine.filter((r) => r.verdict === 'not-applicable').length,
      total: mine.length,
      benignBroken: benign.filter((b) => b.defence === defence && b.verdict === 'breaks').length,
    };
  });
}
