/**
 * What a seccomp profile costs at run time: the probe's syscall-heavy loop (getpid, open, read,
 * close) inside a runc container under each defence, timed inside the container, as a ratio to
 * the same loop without a filter. Each defence runs `rounds` times and the fastest round counts
 * (the least disturbed by the shared machine).
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../../scheme/index.js';
import {
  DOCKER_DEFAULT_CAPS,
  DOCKER_DEFAULT_PROFILE,
  dockerDefaultSpec,
  ociSeccompFromDocker,
} from './bundle.js';
import { runProbes } from './run.js';

export interface Overhead {
  defence: string;
  /** Best round, nanoseconds per loop iteration. */
  nsPerIteration: number;
  /** Relative to `none`. */
  ratio: number;
}

export async function measureOverhead(iterations = 200_000, rounds = 3): Promise<Overhead[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bw-overhead-'));
  try {
    const generated = path.join(dir, 'seccomp.json');
    writeFileSync(generated, generate().seccomp.text);
    const { args: _a, ...base } = dockerDefaultSpec();
    const defences: Array<[string, string | undefined]> = [
      ['none', undefined],
      ['docker-default', await ociSeccompFromDocker(DOCKER_DEFAULT_PROFILE, DOCKER_DEFAULT_CAPS)],
      ['breakwater', await ociSeccompFromDocker(generated, DOCKER_DEFAULT_CAPS)],
    ];
    const best = new Map<string, number>();
    // Interleave the defences round by round, so a burst of load on the machine hits all alike.
    for (let r = 0; r < rounds; r++)
      for (const [id, seccomp] of defences) {
        const [res] = await runProbes({ ...base, ...(seccomp ? { seccomp } : {}) }, [
          ['syscall-loop', String(iterations)],
        ]);
        if (!res?.ok || res.ns === undefined)
          throw new Error(`syscall-loop failed under ${id}: ${JSON.stringify(res)}`);
        best.set(id, Math.min(best.get(id) ?? Number.POSITIVE_INFINITY, res.ns / iterations));
      }
    const none = best.get('none') as number;
    return defences.map(([id]) => ({
      defence: id,
      nsPerIteration: Number((best.get(id) as number).toFixed(1)),
      ratio: Number(((best.get(id) as number) / none).toFixed(3)),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
