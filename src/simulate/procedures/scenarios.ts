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
import { MANAGEMENT_COMPONENTS } from '../../scheme/management/types.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const LAB_DIR = path.resolve(HERE, '..', '..', '..', 'lab', 'vulnerable');

/**
 * Settings a deployment can switch on without changing runtime versions. Each is part of the
 * `breakwater+management` defence.
 */
export const DEPLOYABLE_SETTINGS: Readonly<Record<string, string>> = {
  'readonly-runtime-binary':
    'the runtime binary is on a read-only mount (bind-mounted read-only over itself)',
};

/** Behaviours of fixed releases, switched on in the re-creation to show the fix closes the hole. */
export const FIXED_BEHAVIOURS: Readonly<Record<string, string>> = {
  'memfd-reexec': 'runc re-executes itself from a sealed memfd copy (runc 1.0.0-rc7)',
  'cwd-check':
    'runc closes leaked descriptors and checks the working directory is inside the root (runc 1.1.12)',
  'verify-procfs': 'runc checks /proc is procfs before writing the AppArmor label (runc 1.0.0-rc9, 1.1.5)',
  'mount-fd': 'runc mounts through an O_PATH descriptor of the checked destination (runc 1.0.0-rc95)',
  'cp-chroot': 'docker cp copies inside the container root (chrootarchive, Docker 19.03.1)',
  'cp-preload-nss': 'docker cp loads the NSS libraries before chrooting (Docker 19.03.1)',
  'shim-path-socket': 'the shim listens on a filesystem socket in a 0700 directory (containerd 1.3.9, 1.4.3)',
  'sysctl-value-check': 'sysctl values with + or = are refused (CRI-O 1.23.2)',
  'masked-path-check': 'masking binds only the real /dev/null character device (runc 1.2.8, 1.3.3)',
};

const scenarioSchema = z
  .object({
    technique: z.string().min(1),
    cve: z.string().regex(/^CVE-\d{4}-\d{4,}$/),
    component: z.enum(MANAGEMENT_COMPONENTS as unknown as [string, ...string[]]),
    settings: z.array(z.string()),
    timeoutSeconds: z.number().int().positive().max(60),
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
    for (const setting of s.settings)
      if (!(setting in DEPLOYABLE_SETTINGS) && !(setting in FIXED_BEHAVIOURS))
        throw new ScenarioError(file, `unknown setting ${setting}`);
    for (const f of ['run.sh', 'README.md'])
      if (!existsSync(path.join(labDir, name, f))) throw new ScenarioError(file, `missing ${f}`);
    out.push({ ...s, dir: path.join(labDir, name) });
  }
  return out;
}
