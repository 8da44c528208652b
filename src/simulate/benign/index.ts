/**
 * The benign workload registry. Every workload file is imported explicitly (no directory scanning)
 * and keyed by its file name; at load each one is validated with `benignWorkloadSchema`, its id
 * must equal its file name and be unique, and the list is sorted by id. `benign.test.ts` checks
 * that this map and the `workloads/` folder agree.
 */
import { z } from 'zod';
import { InternalError } from '../../errors.js';
import { type BenignWorkload, benignWorkloadSchema } from './schema.js';
import { workload as cronLikeScheduler } from './workloads/cron-like-scheduler.js';
import { workload as databaseFsync } from './workloads/database-fsync.js';
import { workload as dnsLookup } from './workloads/dns-lookup.js';
import { workload as gccCompile } from './workloads/gcc-compile.js';
import { workload as gitClone } from './workloads/git-clone.js';
import { workload as healthCheck } from './workloads/health-check.js';
import { workload as logRotation } from './workloads/log-rotation.js';
import { workload as nginxLikeServer } from './workloads/nginx-like-server.js';
import { workload as nodeAppStart } from './workloads/node-app-start.js';
import { workload as packageInstall } from './workloads/package-install.js';
import { workload as pythonAppStart } from './workloads/python-app-start.js';
import { workload as shellScript } from './workloads/shell-script.js';
import { workload as tlsClient } from './workloads/tls-client.js';

export type { BenignWorkload } from './schema.js';

/** File name (without `.ts`) to the workload it exports. */
export const BENIGN_FILES = {
  'cron-like-scheduler': cronLikeScheduler,
  'database-fsync': databaseFsync,
  'dns-lookup': dnsLookup,
  'gcc-compile': gccCompile,
  'git-clone': gitClone,
  'health-check': healthCheck,
  'log-rotation': logRotation,
  'nginx-like-server': nginxLikeServer,
  'node-app-start': nodeAppStart,
  'package-install': packageInstall,
  'python-app-start': pythonAppStart,
  'shell-script': shellScript,
  'tls-client': tlsClient,
} satisfies Record<string, BenignWorkload>;

/**
 * Validates and sorts workloads keyed by file name. Throws an InternalError naming the workload
 * (its id, or the file name when the id itself is unusable) on the first invalid entry.
 */
export function loadBenign(byFile: Readonly<Record<string, unknown>>): readonly BenignWorkload[] {
  const seen = new Map<string, string>();
  const out: BenignWorkload[] = [];
  for (const [file, raw] of Object.entries(byFile)) {
    const rawId = (raw as { id?: unknown } | undefined)?.id;
    const name = typeof rawId === 'string' && rawId !== '' ? rawId : file;
    const parsed = benignWorkloadSchema.safeParse(raw);
    if (!parsed.success) {
      throw new InternalError(`benign workload "${name}" is invalid:\n${z.prettifyError(parsed.error)}`);
    }
    const w = parsed.data;
    const other = seen.get(w.id);
    if (other !== undefined) {
      throw new InternalError(
        `benign workload id "${w.id}" is used by workloads/${other}.ts and workloads/${file}.ts`,
      );
    }
    if (w.id !== file) {
      throw new InternalError(
        `benign workload "${w.id}" is in workloads/${file}.ts; the id must equal the file name`,
      );
    }
    seen.set(w.id, file);
    out.push(w);
  }
  out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return Object.freeze(out);
}

/** Every benign workload, validated, sorted by id. */
export const BENIGN: readonly BenignWorkload[] = loadBenign(BENIGN_FILES);

const BY_ID: ReadonlyMap<string, BenignWorkload> = new Map(BENIGN.map((w) => [w.id, w]));

/** The workload with this id, or undefined. */
export function benignById(id: string): BenignWorkload | undefined {
  return BY_ID.get(id);
}
