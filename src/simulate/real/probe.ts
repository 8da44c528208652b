/**
 * The probe binary (probe/probe.c): a static C program that asks the kernel whether one escape
 * primitive is permitted, without using it. buildProbe() compiles it once per source version into a
 * cache dir under os.tmpdir(); probePrimitives() asks the binary for its primitive names (`probe list`
 * is the only thing ever run on the host: it only writes its list and exits).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** probe/probe.c at the repository root. */
export const PROBE_SOURCE = path.resolve(HERE, '..', '..', '..', 'probe', 'probe.c');

export const GCC_ARGS = ['-static', '-O2', '-Wall', '-Werror'] as const;

/** One line of probe output. `signal` is set when a child the probe forked died of a signal. */
export interface ProbeJson {
  primitive: string;
  ok: boolean;
  errno: number;
  errnoName: string;
  signal?: number;
  /** Nanoseconds measured inside the container (timing primitives such as syscall-loop). */
  ns?: number;
}

export class ProbeBuildError extends Error {
  override name = 'ProbeBuildError';
}

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** spawn() collecting output; rejects only when the command cannot be started. */
export function runCommand(cmd: string, args: readonly string[], timeoutMs = 60_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

let built: Promise<string> | undefined;

/**
 * Compiles probe/probe.c (gcc -static -O2 -Wall -Werror) into
 * `<tmpdir>/breakwater-probe-cache-<hash>/probe`, keyed by a hash of the source and flags, and returns
 * the binary's path. Cached per process and on disk. Throws ProbeBuildError when gcc is missing or
 * the build fails.
 */
export function buildProbe(): Promise<string> {
  built ??= (async () => {
    const src = await readFile(PROBE_SOURCE);
    const hash = createHash('sha256').update(src).update('\0').update(GCC_ARGS.join(' ')).digest('hex');
    const dir = path.join(os.tmpdir(), `breakwater-probe-cache-${hash.slice(0, 16)}`);
    const bin = path.join(dir, 'probe');
    if (await exists(bin)) return bin;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // Compile next to the target and rename: concurrent workers never see a half-written binary.
    const tmp = `${bin}.${process.pid}.${randomBytes(4).toString('hex')}`;
    let r: Ran;
    try {
      r = await runCommand('gcc', [...GCC_ARGS, '-o', tmp, PROBE_SOURCE], 120_000);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ProbeBuildError(
          'cannot build the probe: gcc not found on PATH (install gcc and libc6-dev for static glibc)',
        );
      }
      throw e;
    }
    if (r.code !== 0) {
      await rm(tmp, { force: true });
      const hint = /cannot find -lc/.test(r.stderr) ? ' (static libc missing: install libc6-dev)' : '';
      throw new ProbeBuildError(`gcc failed to build ${PROBE_SOURCE}${hint}:\n${r.stderr.trim()}`);
    }
    await rename(tmp, bin);
    return bin;
  })();
  // A failed build must not poison later attempts.
  built.catch(() => {
    built = undefined;
  });
  return built;
}

/** Parses `probe list` output: one primitive name per line. */
export function parsePrimitiveList(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

let primitives: Promise<readonly string[]> | undefined;

/**
 * PROBE_PRIMITIVES: the names `probe list` prints (builds the probe first). Running `probe list` on
 * the host is safe: after the C runtime's start-up it only calls write(2) and exit_group(2).
 */
export function probePrimitives(): Promise<readonly string[]> {
  primitives ??= (async () => {
    const bin = await buildProbe();
    const r = await runCommand(bin, ['list'], 10_000);
    if (r.code !== 0) throw new Error(`probe list exited with ${r.code ?? r.signal}: ${r.stderr.trim()}`);
    return Object.freeze(parsePrimitiveList(r.stdout));
  })();
  primitives.catch(() => {
    primitives = undefined;
  });
  return primitives;
}

/** Validates one JSON line the probe printed; undefined when it is not a probe result. */
export function parseProbeLine(line: string): ProbeJson | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  if (
    typeof o.primitive !== 'string' ||
    typeof o.ok !== 'boolean' ||
    typeof o.errno !== 'number' ||
    typeof o.errnoName !== 'string'
  )
    return undefined;
  const out: ProbeJson = { primitive: o.primitive, ok: o.ok, errno: o.errno, errnoName: o.errnoName };
  if (typeof o.signal === 'number') out.signal = o.signal;
  if (typeof o.ns === 'number') out.ns = o.ns;
  return out;
}
