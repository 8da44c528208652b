/**
 * Runs probe commands in ONE real runc container: its process is `/bin/sh -c` running each command in
 * sequence, every command followed by an end marker carrying its exit status. The container runs
 * under `timeout -s KILL` with a private `runc --root` state dir; whatever happens, the container is
 * killed and `runc delete -f`'d and the temp dir (bundle and state) removed.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type ContainerSpec, PROBE_IN_CONTAINER, type RootfsExtras, writeBundle } from './bundle.js';
import { buildProbe, type ProbeJson, parseProbeLine, runCommand } from './probe.js';

/** Prefix of run temp dirs (tests check none is left behind). */
export const RUN_TEMP_PREFIX = `breakwater-real-${process.pid}-`;

export type ProbeSpec = Omit<ContainerSpec, 'args'>;

export interface ProbeResult extends ProbeJson {
  /** The probe arguments as given (primitive first). */
  command: string[];
  /** The probe's exit status in the container (0 normally; 128+N when killed by signal N). */
  exitCode: number;
  /** Set when the probe printed no valid result line (crash, seccomp kill, usage error). */
  error?: string;
}

export interface RunProbesOptions {
  /** Kill the container after this long. Default 30 s. */
  timeoutMs?: number;
  runtime?: string;
}

const END = '@@breakwater-end';

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The `sh -c` script: each probe command, then `echo "<END> $?"`. */
export function probeScript(commands: readonly (readonly string[])[]): string {
  return commands
    .map((c) => `${PROBE_IN_CONTAINER} ${c.map(shQuote).join(' ')}; echo "${END} $?"`)
    .join('\n');
}

/** Splits the container's stdout into one result per command. */
export function parseProbeOutput(commands: readonly (readonly string[])[], stdout: string): ProbeResult[] {
  const results: ProbeResult[] = [];
  let pending: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${END} `)) {
      const command = [...(commands[results.length] ?? [])];
      const exitCode = Number(line.slice(END.length + 1));
      const parsed = pending.map(parseProbeLine).find((p) => p !== undefined);
      if (parsed && exitCode === 0) results.push({ ...parsed, command, exitCode });
      else {
        results.push({
          primitive: command[0] ?? '',
          ok: false,
          errno: -1,
          errnoName: '',
          command,
          exitCode,
          error: `probe exited with ${exitCode}${exitCode > 128 ? ` (signal ${exitCode - 128})` : ''}: ${
            pending.join(' | ') || 'no output'
          }`,
        });
      }
      pending = [];
    } else if (line.length > 0) pending.push(line);
  }
  return results;
}

let seq = 0;

export interface ContainerRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time of the runtime's `run`, in ms. */
  ms: number;
}

export interface RunContainerOptions extends RunProbesOptions {
  /** Rootfs content beyond busybox, /bin/sh and the probe. */
  rootfs?: RootfsExtras;
}

/**
 * Runs one container built from `spec` with runc (or crun) to completion and returns its output.
 * The container runs under `timeout -s KILL` with a private `--root` state dir; whatever happens, it
 * is killed and `delete -f`'d and the temp dir (bundle and state) removed.
 */
export async function runContainer(
  spec: ContainerSpec,
  opts: RunContainerOptions = {},
): Promise<ContainerRun> {
  const runtime = opts.runtime ?? 'runc';
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const probe = await buildProbe();
  const dir = await mkdtemp(path.join(os.tmpdir(), RUN_TEMP_PREFIX));
  const bundle = path.join(dir, 'bundle');
  const state = path.join(dir, 'state');
  const id = `bw-real-${process.pid}-${++seq}-${randomBytes(3).toString('hex')}`;
  const rt = (args: string[], ms: number) =>
    runtime === 'crun'
      ? // crun 1.8 refuses this kind of hybrid cgroup host; in a private mount namespace without the
        // v2 "unified" mount it sees plain v1 (the host's mounts are untouched).
        runCommand(
          'unshare',
          [
            '-m',
            '--propagation',
            'private',
            'sh',
            '-c',
            'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"',
            'sh',
            'timeout',
            '-s',
            'KILL',
            `${Math.ceil(ms / 1000)}`,
            runtime,
            '--root',
            state,
            ...args,
          ],
          ms + 5000,
        )
      : runCommand(
          'timeout',
          ['-s', 'KILL', `${Math.ceil(ms / 1000)}`, runtime, '--root', state, ...args],
          ms + 5000,
        );
  try {
    await mkdir(bundle);
    await mkdir(state, { mode: 0o700 });
    await writeBundle(bundle, spec, probe, opts.rootfs);
    const start = performance.now();
    const r = await rt(['run', '--bundle', bundle, id], timeoutMs);
    return { ...r, ms: performance.now() - start };
  } finally {
    await rt(['kill', id, 'KILL'], 10_000).catch(() => undefined);
    const deleted = await rt(['delete', '-f', id], 10_000).catch((e: unknown) => ({
      code: -1,
      stderr: String(e),
    }));
    if (deleted.code !== 0 && !/does not exist|not found|No such/i.test(deleted.stderr)) {
      process.stderr.write(`simulate/real: ${runtime} delete -f ${id}: ${deleted.stderr}\n`);
    }
    await rm(dir, { recursive: true, force: true });
  }
}

/** The results of one probe batch, or an error naming how far the container got. */
export function probeResults(
  commands: readonly (readonly string[])[],
  r: { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string },
  what: string,
  timeoutMs: number,
): ProbeResult[] {
  const results = parseProbeOutput(commands, r.stdout);
  if (results.length !== commands.length) {
    const why = r.code === 137 || r.signal ? `timed out after ${timeoutMs} ms` : `exited with ${r.code}`;
    throw new Error(
      `${what} container ${why} after ${results.length} of ${commands.length} probe commands:\n${r.stderr.trim()}`,
    );
  }
  return results;
}

/**
 * Runs every command (`[primitive, ...args]`) through the probe in one container built from `spec`
 * and returns one result per command, in order. Throws when the container cannot run them all (runc
 * refused the config, timeout), with runc's stderr.
 */
export async function runProbes(
  spec: ProbeSpec,
  commands: readonly (readonly string[])[],
  opts: RunProbesOptions = {},
): Promise<ProbeResult[]> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const r = await runContainer({ ...spec, args: ['/bin/sh', '-c', probeScript(commands)] }, opts);
  return probeResults(commands, r, opts.runtime ?? 'runc', timeoutMs);
}
