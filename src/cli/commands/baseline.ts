/** Resolve `--baseline docker-default|podman-default|FILE` to a profile. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SeccompProfile } from '../../seccomp/model.js';
import { loadProfile } from '../../seccomp/profile/index.js';

const dataDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'data', 'baselines');

export const BUILTIN_BASELINES = ['docker-default', 'podman-default'] as const;

export function baselinePath(nameOrFile: string): string {
  if ((BUILTIN_BASELINES as readonly string[]).includes(nameOrFile))
    return join(dataDir, `${nameOrFile}.json`);
  return nameOrFile;
}

export async function loadBaseline(nameOrFile: string): Promise<SeccompProfile> {
  const path = baselinePath(nameOrFile);
  if (
    path === nameOrFile &&
    !existsSync(path) &&
    !nameOrFile.includes('/') &&
    !nameOrFile.endsWith('.json')
  ) {
    // A bare word that is neither a built-in nor a file: say what the built-ins are.
    const { UsageError } = await import('../../errors.js');
    throw new UsageError(
      `unknown baseline "${nameOrFile}" (built-in: ${BUILTIN_BASELINES.join(', ')}; or a file)`,
    );
  }
  return (await loadProfile(path)).profile;
}
