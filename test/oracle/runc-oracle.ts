/**
 * Differential oracle for the seccomp evaluator: what runc (or crun) -> libseccomp -> the Linux kernel
 * actually decide.
 *
 *  - runcFilters(): start a real container whose only process is `spin` (no syscalls after execve),
 *    read the BPF filters the runtime installed with `harness dump` (ptrace PTRACE_SECCOMP_GET_FILTER),
 *    tear everything down.
 *  - evalFilters(): ask `harness eval` what those filters decide for a batch of syscalls, both by
 *    interpreting the BPF and (x86_64 queries) by letting the running kernel decide in a traced child
 *    that is killed before the syscall could run. (The kernel exempts a few numbers from seccomp;
 *    those are detected once, see harness.c seccomp_exempt(), and reported as `bypass`.)
 *
 * Node built-ins only. Needs Linux, root (PTRACE_SECCOMP_GET_FILTER needs CAP_SYS_ADMIN; runc needs
 * root), gcc and the runtime binary: see oracleAvailable().
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { accessSync, constants as fsConstants, readFileSync } from 'node:fs';
import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  open,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** AUDIT_ARCH_* values (linux/audit.h) as the kernel puts them in seccomp_data.arch. */
export const AUDIT_ARCH_X86_64 = 0xc000003e;
export const AUDIT_ARCH_I386 = 0x40000003;
export const AUDIT_ARCH_AARCH64 = 0xc00000b7;
export const AUDIT_ARCH_ARM = 0x40000028;
export const AUDIT_ARCH_RISCV64 = 0xc00000f3;
export const AUDIT_ARCH_PPC64LE = 0xc0000015;
export const AUDIT_ARCH_S390X = 0x80000016;
export const AUDIT_ARCH_MIPSEL64 = 0xc0000008;
/** x32 syscalls are x86_64 (AUDIT_ARCH_X86_64) syscalls with this bit set in the number. */
export const X32_SYSCALL_BIT = 0x40000000;

/** One classic-BPF seccomp program: [code, jt, jf, k] per instruction. */
export type BpfFilter = Array<[number, number, number, number]>;

export interface OracleQuery {
  /** AUDIT_ARCH_* value. */
  arch: number;
  /** Syscall number as the kernel sees it (x32 numbers carry X32_SYSCALL_BIT). */
  nr: number;
  /** Up to six arguments (missing ones are 0); reduced modulo 2^64. */
  args: bigint[];
}

export type KernelOutcome = 'allow' | 'errno' | 'trap' | 'kill' | 'trace' | 'timeout' | 'error';

export interface OracleAnswer {
  /** The harness's own interpretation of the BPF, combined across filters as the kernel does. */
  bpf: { ret: number; action: string; data: number };
  /**
   * What the running kernel did (x86_64 queries on an x86_64 host; null otherwise).
   * errno: for 'errno' (capped at 4095 by the kernel, unlike bpf.data). data: si_errno for 'trap',
   * the ptrace event message for 'trace'. detail: why the kernel could not be asked ('error').
   * bypass: 'allow' because the kernel never runs seccomp for this number (x86_64 uretprobe 335 and
   * uprobe 336 on recent kernels), whatever the filters say.
   */
  kernel: null | { outcome: KernelOutcome; errno?: number; data?: number; detail?: string; bypass?: boolean };
}

export interface RuncFiltersOptions {
  runtime?: 'runc' | 'crun';
  /**
   * process.noNewPrivileges. Default false, as Docker runs containers. With false, runc loads the
   * filter early and runc init's own remaining syscalls (capset, setuid, getppid, close, ...) must
   * pass it; with true it loads the filter just before execve. The filter itself is the same.
   */
  noNewPrivileges?: boolean;
  /** Runtime state dir (`--root`). Default: a private temp dir, removed afterwards. */
  stateRoot?: string;
  /** Give up on the runtime after this long. Default 60 s. */
  timeoutMs?: number;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HARNESS_SRC = path.join(HERE, 'harness.c');
const SPIN_SRC = path.join(HERE, 'spin.c');
/** Prefix of this process's per-call temp dirs (tests check none is left behind). */
export const TEMP_PREFIX = `breakwater-oracle-${process.pid}-`;

// ------------------------------------------------------------------------------------------------
// Availability

function onPath(cmd: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, cmd), fsConstants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

/** crun 1.8 exits with "cgroups in hybrid mode not supported" when the v2 hierarchy has controllers. */
function crunRefusesHost(): boolean {
  try {
    return readFileSync('/sys/fs/cgroup/unified/cgroup.controllers', 'utf8').trim().length > 0;
  } catch {
    return false;
  }
}

/**
 * Whether evalFilters() can answer with the kernel column: Linux, x86_64, gcc. No root needed (the
 * harness only traces its own children).
 */
export function harnessAvailable(): { ok: boolean; reason?: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `needs Linux (this is ${process.platform})` };
  if (process.arch !== 'x64') return { ok: false, reason: `needs an x86_64 host (this is ${process.arch})` };
  if (!onPath('gcc')) return { ok: false, reason: 'gcc not found on PATH' };
  return { ok: true };
}

/**
 * Whether this machine can run the whole oracle (runcFilters too). Tests skip with `reason` locally
 * and fail when process.env.CI === 'true'.
 */
export function oracleAvailable(runtime: 'runc' | 'crun' = 'runc'): { ok: boolean; reason?: string } {
  const base = harnessAvailable();
  if (!base.ok) return base;
  if (process.getuid?.() !== 0)
    return { ok: false, reason: 'needs root (runc, and PTRACE_SECCOMP_GET_FILTER)' };
  if (!onPath(runtime)) return { ok: false, reason: `${runtime} not found on PATH` };
  if (runtime === 'crun' && crunRefusesHost() && !onPath('unshare')) {
    return {
      ok: false,
      reason:
        'crun 1.8 refuses hybrid cgroup hosts and unshare(1) is missing to give it a private mount namespace',
    };
  }
  try {
    // The kernel refuses PTRACE_SECCOMP_GET_FILTER to a tracer that is itself under seccomp, and
    // the harness inherits our seccomp state (e.g. inside a Docker container with its profile).
    const status = readFileSync('/proc/self/status', 'utf8');
    const mode = /^Seccomp:\s*(\d+)/m.exec(status)?.[1];
    if (mode !== undefined && mode !== '0')
      return { ok: false, reason: `this process is itself under seccomp (mode ${mode})` };
  } catch {
    return { ok: false, reason: 'cannot read /proc/self/status' };
  }
  return { ok: true };
}

// ------------------------------------------------------------------------------------------------
// Building the native parts

let built: Promise<{ harness: string; spin: string }> | undefined;

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
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
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function compile(out: string, args: string[]): Promise<void> {
  // Compile next to the target and rename: concurrent workers never see a half-written binary.
  const tmp = `${out}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const r = await run('gcc', [...args, '-o', tmp]);
  if (r.code !== 0) {
    await rm(tmp, { force: true });
    throw new Error(`gcc ${args.join(' ')} failed:\n${r.stderr}`);
  }
  await rename(tmp, out);
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Compiles harness and spin (once per process) into a cache dir keyed by a hash of the sources. */
export function buildOracle(): Promise<{ harness: string; spin: string }> {
  built ??= (async () => {
    const [harnessSrc, spinSrc] = await Promise.all([readFile(HARNESS_SRC), readFile(SPIN_SRC)]);
    const hash = createHash('sha256')
      .update(harnessSrc)
      .update('\0')
      .update(spinSrc)
      .digest('hex')
      .slice(0, 16);
    const dir = path.join(os.tmpdir(), `breakwater-oracle-cache-${hash}`);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const harness = path.join(dir, 'harness');
    const spin = path.join(dir, 'spin');
    if (!(await exists(harness))) await compile(harness, ['-O2', '-Wall', HARNESS_SRC]);
    if (!(await exists(spin))) await compile(spin, ['-static', '-nostdlib', '-O0', SPIN_SRC]);
    return { harness, spin };
  })();
  // A failed build should not poison later attempts.
  built.catch(() => {
    built = undefined;
  });
  return built;
}

// ------------------------------------------------------------------------------------------------
// Reading the filters a runtime installs

/** OCI runtime-spec 1.0.2 config: just enough container to execve /spin under the given profile. */
function ociConfig(linuxSeccomp: unknown, noNewPrivileges: boolean): object {
  const caps = ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: ['/spin'],
      env: ['PATH=/'],
      cwd: '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges,
      // Safety net if we die before tearing the container down: spin burns CPU, so the kernel
      // SIGKILLs it after a minute of CPU time, no syscall needed.
      rlimits: [{ type: 'RLIMIT_CPU', hard: 60, soft: 60 }],
    },
    root: { path: 'rootfs', readonly: true },
    hostname: 'breakwater-oracle',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      {
        destination: '/dev',
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
      },
      {
        destination: '/dev/pts',
        type: 'devpts',
        source: 'devpts',
        options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'],
      },
      {
        destination: '/dev/shm',
        type: 'tmpfs',
        source: 'shm',
        options: ['nosuid', 'noexec', 'nodev', 'mode=1777'],
      },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    ],
    linux: {
      namespaces: [{ type: 'pid' }, { type: 'mount' }, { type: 'ipc' }, { type: 'uts' }, { type: 'network' }],
      maskedPaths: ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/sys/firmware'],
      readonlyPaths: ['/proc/sys', '/proc/sysrq-trigger'],
      seccomp: linuxSeccomp,
    },
  };
}

/** Runs the runtime CLI with stdio on files: `run -d` leaves the container holding them. */
async function runtimeCmd(
  runtime: string,
  args: string[],
  logDir: string,
  timeoutMs: number,
): Promise<{ code: number | null; stderr: string }> {
  const tag = randomBytes(4).toString('hex');
  const outPath = path.join(logDir, `${tag}.out`);
  const errPath = path.join(logDir, `${tag}.err`);
  const out = await open(outPath, 'w');
  const err = await open(errPath, 'w');
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      // crun 1.8 refuses hybrid cgroup hosts: run it in a private mount namespace without the v2
      // "unified" mount (the host's mounts are untouched), as src/simulate/real/run.ts does.
      const child =
        runtime === 'crun' && crunRefusesHost()
          ? spawn(
              'unshare',
              [
                '-m',
                '--propagation',
                'private',
                'sh',
                '-c',
                'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$@"',
                'sh',
                runtime,
                ...args,
              ],
              { stdio: ['ignore', out.fd, err.fd] },
            )
          : spawn(runtime, args, { stdio: ['ignore', out.fd, err.fd] });
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      // 'exit', not 'close': nothing to drain, and the container may keep the files open.
      child.on('exit', (c, sig) => {
        clearTimeout(timer);
        resolve(sig ? null : c);
      });
    });
    return { code, stderr: await readFile(errPath, 'utf8') };
  } finally {
    await out.close();
    await err.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `run -d` returns once runc init has been told to start, which can be before it has loaded the
 * filter (noNewPrivileges:true loads it last) and exec'd /spin. Reading earlier would see no or
 * the wrong filter, so wait until the process is /spin. If it dies first, the profile broke runc
 * init after the runtime had already reported success.
 */
async function waitForSpin(
  pid: number,
  runtime: string,
  runtimeStderr: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let comm = '';
    let state = '';
    try {
      comm = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
      state = /^State:\s*(\S)/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';
    } catch {
      state = 'gone';
    }
    if (state === 'gone' || state === 'Z' || state === 'X') {
      throw new Error(
        `${runtime} started the container but its process died before exec'ing /spin (the profile ` +
          `refuses a syscall the runtime's init makes after loading it):\n${runtimeStderr.trim()}`,
      );
    }
    if (comm === 'spin') return;
    if (Date.now() > deadline) throw new Error(`container process ${pid} never exec'd /spin (comm ${comm})`);
    await sleep(2);
  }
}

let containerSeq = 0;

/**
 * A pre-serialized JSON value to embed verbatim (e.g. a seccomp object whose 64-bit integers
 * must reach runc exactly: JSON.parse would round them to doubles).
 */
export interface RawJson {
  rawJson: string;
}

/** JSON.stringify that writes bigint and RawJson values as exact JSON text. */
export function exactJson(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(
    value,
    (_k, v) => {
      if (typeof v === 'bigint') raws.push(v.toString());
      else if (v && typeof v === 'object' && typeof (v as RawJson).rawJson === 'string')
        raws.push((v as RawJson).rawJson);
      else return v;
      return `__exact_json_${raws.length - 1}__`;
    },
    2,
  );
  return text.replace(/"__exact_json_(\d+)__"/g, (_m, i: string) => raws[Number(i)] as string);
}

/**
 * Starts a container with `linux.seccomp` = linuxSeccomp (verbatim), reads the seccomp filters the
 * runtime installed on its process and tears it down again. Filters are in kernel index order
 * (0 = newest). Throws, with the runtime's stderr, when the runtime rejects the config or the
 * container cannot start under the profile.
 */
export async function runcFilters(
  linuxSeccomp: unknown,
  opts: RuncFiltersOptions = {},
): Promise<BpfFilter[]> {
  const runtime = opts.runtime ?? 'runc';
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const { harness, spin } = await buildOracle();
  const dir = await mkdtemp(path.join(os.tmpdir(), `${TEMP_PREFIX}run-`));
  const stateRoot = opts.stateRoot ?? path.join(dir, 'state');
  const bundle = path.join(dir, 'bundle');
  const pidFile = path.join(dir, 'container.pid');
  const id = `bw-oracle-${process.pid}-${++containerSeq}-${randomBytes(3).toString('hex')}`;
  // crun 1.8 refuses hybrid cgroup v1/v2 hosts (Debian 12 VMs, some CI runners); the oracle needs no
  // resource limits, so it runs crun without cgroups.
  const globals = runtime === 'crun' ? ['--cgroup-manager=disabled'] : [];
  const rt = (args: string[]) =>
    runtimeCmd(runtime, [...globals, '--root', stateRoot, ...args], dir, timeoutMs);
  try {
    await mkdir(path.join(bundle, 'rootfs'), { recursive: true });
    await mkdir(stateRoot, { recursive: true, mode: 0o700 });
    await copyFile(spin, path.join(bundle, 'rootfs', 'spin'));
    await chmod(path.join(bundle, 'rootfs', 'spin'), 0o755);
    const config = ociConfig(linuxSeccomp, opts.noNewPrivileges ?? false);
    await writeFile(path.join(bundle, 'config.json'), exactJson(config));

    const started = await rt(['run', '-d', '--pid-file', pidFile, '--bundle', bundle, id]);
    if (started.code !== 0) {
      throw new Error(`${runtime} failed to start a container with this profile:\n${started.stderr.trim()}`);
    }
    const pid = Number.parseInt(await readFile(pidFile, 'utf8'), 10);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${runtime} wrote no usable pid file`);

    await waitForSpin(pid, runtime, started.stderr, timeoutMs);

    const dumped = await run(harness, ['dump', String(pid)]);
    if (dumped.code !== 0) throw new Error(`harness dump ${pid} failed:\n${dumped.stderr.trim()}`);
    return (JSON.parse(dumped.stdout) as { filters: BpfFilter[] }).filters;
  } finally {
    // Always: kill (fails harmlessly if it never ran or is already dead), delete, remove temp dirs.
    await rt(['kill', id, 'KILL']).catch(() => undefined);
    const deleted = await rt(['delete', '-f', id]).catch((e: unknown) => ({ code: -1, stderr: String(e) }));
    if (deleted.code !== 0 && !/does not exist|not found|No such/i.test(deleted.stderr)) {
      process.stderr.write(`runc-oracle: ${runtime} delete -f ${id}: ${deleted.stderr}\n`);
    }
    await rm(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------
// Asking the oracle

interface RawAnswer {
  bpf: { ret: string; action: string; data: number };
  kernel: OracleAnswer['kernel'];
}

function u64(v: bigint | number): string {
  return `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;
}

/**
 * Answers every query against the filters (kernel index order, 0 = newest, as runcFilters returns
 * them). One answer per query, same order.
 */
export async function evalFilters(filters: BpfFilter[], queries: OracleQuery[]): Promise<OracleAnswer[]> {
  const { harness } = await buildOracle();
  const dir = await mkdtemp(path.join(os.tmpdir(), `${TEMP_PREFIX}eval-`));
  try {
    const file = path.join(dir, 'filters.json');
    await writeFile(file, JSON.stringify({ filters }));
    const input = queries
      .map((q) => {
        const args = [0, 1, 2, 3, 4, 5].map((i) => u64(q.args[i] ?? 0n));
        return `${u64(q.arch >>> 0)} ${u64(q.nr)} ${args.join(' ')}\n`;
      })
      .join('');

    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve, reject) => {
      const child = spawn(harness, ['eval', file], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        err += d;
      });
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
      child.stdin.on('error', () => undefined); // harness died early: reported via code/stderr
      child.stdin.end(input);
    });
    if (code !== 0) throw new Error(`harness eval exited with ${code}:\n${stderr.trim()}`);
    const lines = stdout.split('\n').filter((l) => l.length > 0);
    if (lines.length !== queries.length) {
      throw new Error(
        `harness eval answered ${lines.length} of ${queries.length} queries:\n${stderr.trim()}`,
      );
    }
    return lines.map((line) => {
      const raw = JSON.parse(line) as RawAnswer;
      return {
        bpf: { ret: Number.parseInt(raw.bpf.ret, 16), action: raw.bpf.action, data: raw.bpf.data },
        kernel: raw.kernel,
      };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Convenience for tests: the runtime's `list` output for a state dir (empty list = no containers). */
export function listContainers(stateRoot: string, runtime: 'runc' | 'crun' = 'runc'): string[] {
  const r = spawnSync(runtime, ['--root', stateRoot, 'list', '-q'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${runtime} list failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim().length > 0);
}
