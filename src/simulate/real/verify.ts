/**
 * `simulate --engine real`: the model's report, with every technique verdict checked on this
 * kernel — the steps the lab can perform run in a real container (runc or crun, or through a private
 * dockerd or podman) built from the defence, and each answer is compared with the model's (see engine.ts for what is reproduced).
 */
import { release } from 'node:os';
import type { Technique } from '../../catalog/schema.js';
import type { Defence } from '../defence.js';
import type { SimulationReport } from '../types.js';
import { type LabRuntime, runTechnique } from './engine.js';

export async function verifyReport(
  report: SimulationReport,
  defences: readonly Defence[],
  techniques: readonly Technique[],
  runtime: LabRuntime,
  progress?: (done: number, total: number) => void,
): Promise<SimulationReport> {
  const byDefence = new Map(defences.map((d) => [d.id, d]));
  const byTechnique = new Map(techniques.map((t) => [t.id, t]));
  const kernel = release();
  let done = 0;
  for (const r of report.results) {
    const d = byDefence.get(r.defence);
    const t = byTechnique.get(r.technique);
    if (!d || !t) continue;
    const real = await runTechnique(d, t, runtime);
    r.verified = {
      runtime,
      kernel,
      compared: real.compared.length,
      agreed: real.compared.filter((c) => c.agree).length,
      skipped: real.skipped.length,
      disagreements: real.compared
        .filter((c) => !c.agree)
        .map(
          (c) =>
            `${c.chain}#${c.index} ${c.command.join(' ')}: model ${c.model.decision} (${c.model.layer}), kernel ${c.real.ok ? 'ok' : c.real.errnoName || c.real.error}`,
        ),
    };
    progress?.(++done, report.results.length);
  }
  return report;
}
