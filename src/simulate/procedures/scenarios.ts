/**
 * The vulnerable-procedure simulators in lab/vulnerable/<technique-id>/: each re-creates one
 * management step the way the vulnerable runtime did it (see that directory's README). Here: their
 * scenario.json descriptions, and the runtime settings each honours, split into settings a user
 * can deploy today and behaviours that only a fixed release has (emulated to prove the fix).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { techniqueById } from '../../catalog/index.js';
import { DEPLOYABLE_SETTINGS, FIXED_BEHAVIOURS } from '../../scheme/management/settings.js';
import { MANAGEMENT_COMPONENTS } from '../../scheme/management/types.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const LAB_DIR = path.resolve(HERE, '..', '..', '..', 'lab', 'vulnerable');

const scenarioSchema = z
  .object({
    technique: z.string().min(1),
    cve: z.string().regex(/^CVE-\d{4}-\d{4,}$/),
    component: z.enum(MANAGEMENT_COMPONENTS as unknown as [string, ...string[]]),
    /** The catalog chains the simulator re-creates (the model's verdict for them is compared). */
    chains: z.array(z.string().min(1)).min(1),
    settings: z.array(z.string()),
    timeoutSeconds: z.number().int().positive().max(60),
    /**
     * What the lab must show per defence (`reached` / `safe`), measured and then fixed here so a
     * regression in the scheme or the simulator fails the suite.
     */
    expect: z
      .record(
        z.enum(['none', 'docker-default', 'breakwater', 'breakwater+management']),
        z.enum(['reached', 'safe']),
      )
      .optional(),
  })
  .strict();

export interface Scenario extends z.infer<typeof scenarioSchema> {
  /** The scenario's directory (lab/vulnerable/<technique>). */
  dir: string;
}

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ScenarioError';
  }
}

/** Every scenario under `labDir`, sorted by technique id; a malformed one is an error. */
export function loadScenarios(labDir: string = LAB_DIR): Scenario[] {
  const out: Scenario[] = [];
  for (const name of readdirSync(labDir).sort()) {
    const file = path.join(labDir, name, 'scenario.json');
    if (!existsSync(file)) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new ScenarioError(file, `not JSON: ${(e as Error).message}`);
    }
    const parsed = scenarioSchema.safeParse(raw);
    if (!parsed.success) throw new ScenarioError(file, parsed.error.issues.map((i) => i.message).join('; '));
    const s = parsed.data;
    if (s.technique !== name)
      throw new ScenarioError(file, `technique ${s.technique} is not the directory name`);
    const t = techniqueById(s.technique);
    if (!t) throw new ScenarioError(file, `unknown technique ${s.technique}`);
    if (!t.cves.includes(s.cve)) throw new ScenarioError(file, `${s.cve} is not a CVE of ${s.technique}`);
    for (const c of s.chains)
      if (!t.chains.some((x) => x.id === c))
        throw new ScenarioError(file, `${s.technique} has no chain ${c}`);
    for (const setting of s.settings)
      if (!(setting in DEPLOYABLE_SETTINGS) && !(setting in FIXED_BEHAVIOURS))
        throw new ScenarioError(file, `unknown setting ${setting}`);
    for (const f of ['run.sh', 'README.md'])
      if (!existsSync(path.join(labDir, name, f))) throw new ScenarioError(file, `missing ${f}`);
    out.push({ ...s, dir: path.resolve(labDir, name) });
  }
  return out;
}
