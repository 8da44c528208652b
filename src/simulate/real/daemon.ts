/**
 * The daemon lanes: the same probe batches as run.ts, run through the tools users actually run —
 * a real `dockerd` (Debian docker.io 20.10) and `podman` (4.3) — with the defence handed over the
 * way users hand it over: `--security-opt seccomp=FILE` with the Docker-format profile we generate
 * (or ship as a baseline), `--cap-drop ALL --cap-add ...`, `--security-opt no-new-privileges`.
 * This proves the files we give users load in those tools and decide as the model says.
 *
 * Everything is private and torn down: dockerd gets its own --data-root, --exec-root, pidfile, unix
 * socket and cgroup parent, and a containerd we start ourselves with its own root/state/socket (a
 * dockerd without --containerd would adopt a system containerd whose socket exists). podman gets its
 * own --root/--runroot/--tmpdir/--volumepath/--network-config-dir, the vfs storage driver, cgroupfs
 * and a per-run cgroup parent; it runs containers with runc (crun 1.8 refuses this hybrid cgroup
 * host). Both tools also create a few empty directories at fixed host paths (containerd's shim
 * socket dir /run/containerd/s, /run/docker/plugins, runc's /run/runc under podman, podman's
 * /run/containers/networks and image blob cache /var/lib/containers/cache); those that did not exist
 * before the lane started are removed when it stops, with the shim sockets of our containers (named
 * from their ids, recorded with --cidfile). dockerd reads a private --config-file (not
 * /etc/docker/daemon.json) that moves its libtrust key off /etc/docker/key.json; podman stages image
 * layers in a private $TMPDIR (not /var/tmp). Nothing under /var/lib/docker, /run/docker.sock or a
 * system containerd is ever touched. Process exit, SIGINT and SIGTERM sweep every lane still up
 * (SIGKILL the processes in its cgroup parent and the ones naming its dir, unmount, remove).
 *
 * AppArmor: this kernel has none, so every container runs with `--security-opt apparmor=unconfined`
 * (the AppArmor layer is proven in the VM lane instead).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOCKER_MASKED_PATHS, type RootfsExtras, writeRootfs } from './bundle.js';
import { buildProbe, runCommand } from './probe.js';
import { type ContainerRun, type ProbeResult, type ProbeSpec, probeResults, probeScript } from './run.js';

export type DaemonKind = 'docker' | 'podman';

/** Prefix of lane temp dirs (tests check none is left behind). */
export const DAEMON_TEMP_PREFIX = `bw-daemon-${process.pid}-`;

/** A probe spec for the daemon lanes: the seccomp profile in Docker's format, as users hand it over. */
export interface DaemonSpec extends Omit<ProbeSpec, 'seccomp'> {
  /** Docker-format seccomp JSON text (written to a file for `--security-opt seccomp=FILE`); absent: unconfined. */
  seccompProfile?: string;
}

export interface DaemonRunOptions {
  /** Kill the container after this long. Default 30 s. */
  timeoutMs?: number;
  /** The lane to run in; default the shared one (started on first use, stopped by stopSharedLanes or at exit). */
  lane?: DaemonLane;
  /** Rootfs content of the image beyond busybox, /bin/sh and the probe. */
  rootfs?: RootfsExtras;
}

export interface DaemonLane {
  kind: DaemonKind;
  /** The lane's private temp dir (state, storage, sockets, logs). */
  dir: string;
  /** What runs the containers underneath (`runc`). */
  runtime: string;
  /** The cgroup (v1: in every hierarchy) the lane's containers are created under. */
  cgroupParent: string;
  /** `dockerd --version` / `podman --version`. */
  version: string;
  /** Runs the lane's CLI (docker -H ... / podman --root ...) with these arguments. */
  cli(args: readonly string[], timeoutMs?: number): ReturnType<typeof runCommand>;
  /** The image for these rootfs extras, imported on first use (`docker import` / `podman import`). */
  image(extras?: RootfsExtras): Promise<string>;
  /**
   * Capabilities the tool refused as unknown (Docker 20.10 predates CAP_PERFMON, CAP_BPF and
   * CAP_CHECKPOINT_RESTORE): learnt on first refusal, left out of later runs.
   */
  unknownCapabilities: Set<string>;
  /** PIDs of the lane's own long-running processes (dockerd, containerd). */
  pids(): number[];
  /** Removes every container, kills what the lane started, removes its dirs. Idempotent. */
  stop(): Promise<void>;
}

// ------------------------------------------------------------------ host-side cleanup

/**
 * Fixed host paths the tools create even with private roots, deepest first: removed at stop when
 * they did not exist at start (directories only when empty).
 */
const HOST_PATHS: Record<DaemonKind, readonly string[]> = {
  // containerd's shim sockets (/run/containerd/s/<hash of our address>), dockerd's plugin dir.
  docker: ['/run/containerd/s', '/run/containerd', '/run/docker/plugins', '/run/docker'],
  // runc's default --root (podman's cleanup calls runc without one), podman's network run dir and
  // containers/image's blob info cache (root always uses /var/lib/containers/cache).
  podman: [
    '/run/runc',
    '/run/containers/networks',
    '/run/containers',
    '/var/lib/containers/cache/blob-info-cache-v1.boltdb',
    '/var/lib/containers/cache',
    '/var/lib/containers',
  ],
};

interface Sweep {
  dir: string;
  cgroupParent: string;
  /** The HOST_PATHS of the lane's kind, and which of them existed when it started. */
  hostPaths: readonly string[];
  before: ReadonlySet<string>;
  /** Host files the lane's processes leave when killed (containerd shim sockets); read before the dir goes. */
  leftovers?: () => string[];
  pids: () => number[];
}

const CGROUP_ROOT = '/sys/fs/cgroup';

/** Every directory of the cgroup parent in every hierarchy, deepest first. */
function cgroupDirs(parent: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: string[];
    try {
      entries = readdirSync(d, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
    } catch {
      return;
    }
    for (const e of entries) walk(path.join(d, e));
    out.push(d);
  };
  let hierarchies: string[] = [];
  try {
    hierarchies = readdirSync(CGROUP_ROOT);
  } catch {
    return out;
  }
  for (const h of hierarchies) {
    const d = path.join(CGROUP_ROOT, h, parent);
    if (existsSync(d)) walk(d);
  }
  return out;
}

function pidsIn(cgroupDir: string): number[] {
  try {
    return readFileSync(path.join(cgroupDir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Processes whose command line names the lane dir (dockerd, containerd, shims, conmon). */
function pidsNaming(dir: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(dir)) out.push(Number(e));
    } catch {
      // gone
    }
  }
  return out;
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * The synchronous last resort (also what runs at process exit): SIGKILL the lane's containers (every
 * process in its cgroup parent), its daemons and shims (by PID), lazily unmount whatever is mounted
 * under its dir, remove the dir, its cgroups and the host paths it created.
 */
function sweepSync(s: Sweep): void {
  let leftovers: string[] = [];
  try {
    leftovers = s.leftovers?.() ?? [];
  } catch {
    // nothing recorded
  }
  for (const d of cgroupDirs(s.cgroupParent)) for (const p of pidsIn(d)) kill(p);
  for (const p of [...s.pids(), ...pidsNaming(s.dir)]) kill(p);
  try {
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[4] ?? '')
      .filter((m) => m === s.dir || m.startsWith(`${s.dir}/`))
      .sort((a, b) => b.length - a.length);
    for (const m of mounts) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
  } catch {
    // no mountinfo: nothing to unmount
  }
  for (let i = 0; i < 3; i++) {
    try {
      rmSync(s.dir, { recursive: true, force: true });
      break;
    } catch {
      sleepSync(100);
    }
  }
  // A cgroup can be removed only once its last process is reaped.
  for (let i = 0; i < 20; i++) {
    const left = cgroupDirs(s.cgroupParent).filter((d) => {
      try {
        rmdirSync(d);
        return false;
      } catch {
        return existsSync(d);
      }
    });
    if (!left.length) break;
    sleepSync(50);
  }
  for (const f of leftovers) rmSync(f, { force: true });
  for (const p of s.hostPaths.filter((h) => !s.before.has(h))) {
    try {
      if (statSync(p).isDirectory()) rmdirSync(p);
      else unlinkSync(p);
    } catch {
      // not empty (someone else uses it now) or already gone
    }
  }
}

const sweeps = new Set<Sweep>();
let hooked = false;

/** Process exit and Ctrl-C: sweep every lane still up. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const all = () => {
    for (const s of sweeps) sweepSync(s);
    sweeps.clear();
  };
  process.on('exit', all);
  let exiting = false;
  // `on`, not `once`: a second Ctrl-C (or tsx relaying the first) must not kill us mid-sweep.
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.on(sig, () => {
      if (exiting) return;
      exiting = true;
      all();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
}

// ------------------------------------------------------------------ lanes

function laneDir(kind: DaemonKind): string {
  return mkdtempSync(path.join(os.tmpdir(), `${DAEMON_TEMP_PREFIX}${kind}-`));
}

async function waitFor(
  what: string,
  ok: () => Promise<boolean>,
  alive: () => string | undefined,
  ms: number,
): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await ok()) return;
    const dead = alive();
    if (dead) throw new Error(`${what} exited before it was ready:\n${dead}`);
    if (Date.now() > end) throw new Error(`${what} not ready after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function stopChild(child: ChildProcess | undefined, ms: number): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), ms));
  if ((await Promise.race([exited(child), timer])) === 'late') {
    child.kill('SIGKILL');
    await exited(child);
  }
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Imports the busybox+probe rootfs (plus extras) as an image, once per extras. */
function imageCache(
  dir: string,
  kind: DaemonKind,
  cli: DaemonLane['cli'],
): (extras?: RootfsExtras) => Promise<string> {
  const images = new Map<string, Promise<string>>();
  return (extras = {}) => {
    const key = createHash('sha256').update(JSON.stringify(extras)).digest('hex').slice(0, 12);
    let p = images.get(key);
    if (!p) {
      p = (async () => {
        const probe = await buildProbe();
        const rootfs = path.join(dir, `rootfs-${key}`);
        const tar = path.join(dir, `rootfs-${key}.tar`);
        await writeRootfs(rootfs, probe, extras);
        const t = await runCommand('tar', ['-C', rootfs, '-cf', tar, '.'], 60_000);
        if (t.code !== 0) throw new Error(`tar of the lab rootfs failed: ${t.stderr.trim()}`);
        const ref = `${kind === 'podman' ? 'localhost/' : ''}breakwater-lab:${key}`;
        const r = await cli(['import', tar, ref], 120_000);
        if (r.code !== 0) throw new Error(`${kind} import failed: ${r.stderr.trim()}`);
        rmSync(rootfs, { recursive: true, force: true });
        rmSync(tar, { force: true });
        return ref;
      })();
      p.catch(() => images.delete(key));
      images.set(key, p);
    }
    return p;
  };
}

function existing(paths: readonly string[]): Set<string> {
  return new Set(paths.filter((p) => existsSync(p)));
}

/**
 * Starts a private containerd and a private dockerd using it (vfs storage, no iptables, no bridge),
 * waits until `docker version` answers on the private socket and returns the lane. Call stop() when
 * done (also on failure); process exit and Ctrl-C sweep it too.
 */
export async function startDockerd(opts: { timeoutMs?: number } = {}): Promise<DaemonLane> {
  const dir = laneDir('docker');
  const ctrd = path.join(dir, 'containerd');
  const sock = path.join(dir, 'docker.sock');
  const ctrdSock = path.join(ctrd, 'containerd.sock');
  const tag = path.basename(dir).slice(DAEMON_TEMP_PREFIX.length);
  const cgroupParent = `breakwater-lab-${process.pid}-${tag}`;
  const children: ChildProcess[] = [];
  const sweep: Sweep = {
    dir,
    cgroupParent,
    hostPaths: HOST_PATHS.docker,
    before: existing(HOST_PATHS.docker),
    // A shim killed (or a container that failed to start) leaves its socket in containerd's fixed
    // /run/containerd/s, named sha256("<containerd address>/<namespace>/<container id>").
    leftovers: () =>
      readdirSync(path.join(dir, 'cids')).map((f) => {
        const id = readFileSync(path.join(dir, 'cids', f), 'utf8').trim();
        return `/run/containerd/s/${createHash('sha256').update(`${ctrdSock}/moby/${id}`).digest('hex')}`;
      }),
    pids: () => children.flatMap((c) => (c.pid && c.exitCode === null ? [c.pid] : [])),
  };
  sweeps.add(sweep);
  hookExit();
  const env = { ...process.env, DOCKER_CONFIG: path.join(dir, 'cli'), DOCKER_CLI_HINTS: 'false' };
  const cli: DaemonLane['cli'] = (args, ms = 60_000) =>
    runCommand(
      'env',
      [
        `DOCKER_CONFIG=${env.DOCKER_CONFIG}`,
        'DOCKER_CLI_HINTS=false',
        'docker',
        '-H',
        `unix://${sock}`,
        ...args,
      ],
      ms,
    );
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      try {
        const ps = await cli(['ps', '-aq'], 20_000).catch(() => undefined);
        const ids = ps?.code === 0 ? ps.stdout.split('\n').filter(Boolean) : [];
        if (ids.length) await cli(['rm', '-f', ...ids], 30_000).catch(() => undefined);
        await stopChild(children[1], 15_000);
        await stopChild(children[0], 10_000);
      } finally {
        sweepSync(sweep);
        sweeps.delete(sweep);
      }
    })();
    return stopped;
  };
  try {
    mkdirSync(ctrd, { recursive: true });
    mkdirSync(path.join(dir, 'cids'));
    mkdirSync(env.DOCKER_CONFIG, { recursive: true });
    const q = JSON.stringify;
    writeFileSync(
      path.join(ctrd, 'config.toml'),
      [
        'version = 2',
        `root = ${q(path.join(ctrd, 'root'))}`,
        `state = ${q(path.join(ctrd, 'state'))}`,
        `temp = ${q(path.join(ctrd, 'tmp'))}`,
        'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
        '[grpc]',
        `  address = ${q(ctrdSock)}`,
        '[ttrpc]',
        `  address = ${q(`${ctrdSock}.ttrpc`)}`,
        '[debug]',
        '  address = ""',
        '[plugins."io.containerd.internal.v1.opt"]',
        `  path = ${q(path.join(ctrd, 'opt'))}`,
        '',
      ].join('\n'),
    );
    mkdirSync(path.join(ctrd, 'tmp'));
    writeFileSync(
      path.join(dir, 'daemon.json'),
      `${JSON.stringify({ 'deprecated-key-path': path.join(dir, 'key.json') })}\n`,
    );
    const ctrdLog = openSync(path.join(dir, 'containerd.log'), 'a');
    children.push(
      spawn('containerd', ['--config', path.join(ctrd, 'config.toml')], {
        stdio: ['ignore', ctrdLog, ctrdLog],
      }),
    );
    const ms = opts.timeoutMs ?? 30_000;
    const dead = (c: ChildProcess | undefined, log: string) => () =>
      c && (c.exitCode !== null || c.signalCode !== null)
        ? `exit ${c.exitCode ?? c.signalCode}\n${tail(path.join(dir, log))}`
        : undefined;
    await waitFor('containerd', async () => existsSync(ctrdSock), dead(children[0], 'containerd.log'), ms);
    const dockerdLog = openSync(path.join(dir, 'dockerd.log'), 'a');
    children.push(
      spawn(
        'dockerd',
        [
          // Not /etc/docker/daemon.json (a host's settings could clash with ours) nor the libtrust
          // key dockerd 20.10 otherwise writes to /etc/docker/key.json.
          '--config-file',
          path.join(dir, 'daemon.json'),
          '--containerd',
          ctrdSock,
          '--data-root',
          path.join(dir, 'data'),
          '--exec-root',
          path.join(dir, 'exec'),
          '--pidfile',
          path.join(dir, 'dockerd.pid'),
          '-H',
          `unix://${sock}`,
          '--storage-driver',
          'vfs',
          '--iptables=false',
          '--ip6tables=false',
          '--bridge=none',
          '--ip-masq=false',
          '--cgroup-parent',
          cgroupParent,
          '--exec-opt',
          'native.cgroupdriver=cgroupfs',
          '--userland-proxy=false',
          '--log-driver',
          'none',
        ],
        { stdio: ['ignore', dockerdLog, dockerdLog], env },
      ),
    );
    await waitFor(
      'dockerd',
      async () => (await cli(['version', '--format', '{{.Server.Version}}'], 10_000)).code === 0,
      dead(children[1], 'dockerd.log'),
      ms,
    );
    const version = (await cli(['version', '--format', '{{.Server.Version}}'])).stdout.trim();
    return lane('docker', dir, cgroupParent, `dockerd ${version}`, cli, sweep, stop);
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The handle of a started lane (both kinds run their containers with runc). */
function lane(
  kind: DaemonKind,
  dir: string,
  cgroupParent: string,
  version: string,
  cli: DaemonLane['cli'],
  sweep: Sweep,
  stop: () => Promise<void>,
): DaemonLane {
  return {
    kind,
    dir,
    runtime: 'runc',
    cgroupParent,
    version,
    cli,
    unknownCapabilities: new Set(),
    image: imageCache(dir, kind, cli),
    pids: sweep.pids,
    stop,
  };
}

/**
 * A private podman: its own storage (vfs), run root, tmpdir, volume and network config dirs, cgroupfs
 * and the file events backend; containers run with runc. No daemon: stop() removes the containers and
 * the dirs.
 */
export async function startPodman(): Promise<DaemonLane> {
  const dir = laneDir('podman');
  const tag = path.basename(dir).slice(DAEMON_TEMP_PREFIX.length);
  const cgroupParent = `breakwater-lab-${process.pid}-${tag}`;
  const sweep: Sweep = {
    dir,
    cgroupParent,
    hostPaths: HOST_PATHS.podman,
    before: existing(HOST_PATHS.podman),
    pids: () => [],
  };
  sweeps.add(sweep);
  hookExit();
  const global = [
    '--root',
    path.join(dir, 'root'),
    '--runroot',
    path.join(dir, 'runroot'),
    '--tmpdir',
    path.join(dir, 'tmp'),
    '--volumepath',
    path.join(dir, 'volumes'),
    '--network-config-dir',
    path.join(dir, 'net'),
    '--storage-driver',
    'vfs',
    '--cgroup-manager',
    'cgroupfs',
    '--events-backend',
    'file',
    '--runtime',
    'runc',
  ];
  // containers/image stages image layers in $TMPDIR (default /var/tmp).
  const tmp = path.join(dir, 'image-tmp');
  mkdirSync(tmp);
  const cli: DaemonLane['cli'] = (args, ms = 60_000) =>
    runCommand('env', [`TMPDIR=${tmp}`, 'podman', ...global, ...args], ms);
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      try {
        await cli(['rm', '--all', '--force'], 30_000).catch(() => undefined);
      } finally {
        sweepSync(sweep);
        sweeps.delete(sweep);
      }
    })();
    return stopped;
  };
  try {
    const v = await cli(['--version'], 20_000);
    if (v.code !== 0) throw new Error(`podman --version: ${v.stderr.trim()}`);
    return lane('podman', dir, cgroupParent, v.stdout.trim(), cli, sweep, stop);
  } catch (e) {
    await stop();
    throw e;
  }
}

const shared: Partial<Record<DaemonKind, Promise<DaemonLane>>> = {};

/** The lane of this kind shared by the whole process (started on first use). */
export function sharedLane(kind: DaemonKind): Promise<DaemonLane> {
  let p = shared[kind];
  if (!p) {
    p = kind === 'docker' ? startDockerd() : startPodman();
    p.catch(() => {
      delete shared[kind];
    });
    shared[kind] = p;
  }
  return p;
}

/** Stops the shared lanes (tests call it in afterAll; the CLI when the matrix is done). */
export async function stopSharedLanes(): Promise<void> {
  const lanes = Object.values(shared);
  for (const k of Object.keys(shared) as DaemonKind[]) delete shared[k];
  await Promise.all(lanes.map(async (p) => (await p.catch(() => undefined))?.stop()));
}

// ------------------------------------------------------------------ running containers

/** The extra masked paths the lane cannot express (Docker 20.10 has no per-path mask option). */
export function unsupportedSettings(kind: DaemonKind, spec: DaemonSpec): string[] {
  if (kind !== 'docker' || !spec.maskedPaths.some((p) => p.startsWith('/proc'))) return [];
  return spec.maskedPaths
    .filter((p) => !DOCKER_MASKED_PATHS.includes(p))
    .map((p) => `masked path ${p} (docker run has no option to mask a path)`);
}

/**
 * `run` arguments for the spec (after the CLI's global flags). Masked and read-only paths: a spec
 * with no /proc entries means Docker's `systempaths=unconfined` (podman `unmask=ALL`); otherwise the
 * tool's defaults apply, and podman also masks every path of the spec (`mask=`); Docker cannot add
 * masks (see unsupportedSettings).
 */
export function daemonRunArgs(
  kind: DaemonKind,
  spec: DaemonSpec,
  o: { name: string; image: string; seccompFile?: string; cgroupParent?: string; cidFile?: string },
  args: readonly string[],
): string[] {
  const a = [
    'run',
    '--rm',
    '--name',
    o.name,
    '--network',
    'none',
    '--hostname',
    'breakwater-probe',
    '--user',
    '0:0',
    '--workdir',
    '/',
    '--env',
    'PATH=/bin:/',
    '--env',
    'HOME=/',
    // The bundle's /tmp: a nosuid,nodev tmpfs (probe scratch paths live there); Docker would add noexec.
    '--tmpfs',
    '/tmp:rw,exec,nosuid,nodev,mode=1777,size=16m',
    '--ulimit',
    'cpu=60:60',
    '--security-opt',
    'apparmor=unconfined',
    '--security-opt',
    `seccomp=${o.seccompFile ?? 'unconfined'}`,
    '--cap-drop',
    'ALL',
    ...spec.capabilities.flatMap((c) => ['--cap-add', c]),
  ];
  if (spec.noNewPrivileges) a.push('--security-opt', 'no-new-privileges');
  if (o.cidFile) a.push('--cidfile', o.cidFile);
  const procListed = [...spec.maskedPaths, ...spec.readonlyPaths].some((p) => p.startsWith('/proc'));
  if (!procListed) a.push('--security-opt', kind === 'docker' ? 'systempaths=unconfined' : 'unmask=ALL');
  else if (kind === 'podman' && spec.maskedPaths.length)
    a.push('--security-opt', `mask=${spec.maskedPaths.join(':')}`);
  if (kind === 'podman') {
    // This host's limits are above what podman can set without them (measured); --pull: local only.
    a.push('--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--pull', 'never');
    if (o.cgroupParent) a.push('--cgroup-parent', `/${o.cgroupParent}`);
  }
  a.push(o.image, ...args);
  return a;
}

let seq = 0;

/**
 * Runs one container in the lane to completion (`run --rm`, killed after the timeout, `rm -f`'d
 * whatever happens) and returns its output.
 */
export async function runInLane(
  spec: DaemonSpec,
  args: readonly string[],
  opts: DaemonRunOptions & { kind?: DaemonKind } = {},
): Promise<ContainerRun> {
  const lane = opts.lane ?? (await sharedLane(opts.kind ?? 'docker'));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const image = await lane.image(opts.rootfs);
  let seccompFile: string | undefined;
  if (spec.seccompProfile !== undefined) {
    const h = createHash('sha256').update(spec.seccompProfile).digest('hex').slice(0, 16);
    seccompFile = path.join(lane.dir, `seccomp-${h}.json`);
    if (!existsSync(seccompFile)) writeFileSync(seccompFile, spec.seccompProfile);
  }
  for (;;) {
    const name = `bw-lab-${process.pid}-${++seq}-${randomBytes(3).toString('hex')}`;
    const capabilities = spec.capabilities.filter((c) => !lane.unknownCapabilities.has(c));
    const runArgs = daemonRunArgs(
      lane.kind,
      { ...spec, capabilities },
      {
        name,
        image,
        cgroupParent: lane.cgroupParent,
        ...(seccompFile ? { seccompFile } : {}),
        // Docker: the container id, for the shim socket it may leave behind (see startDockerd).
        ...(lane.kind === 'docker' ? { cidFile: path.join(lane.dir, 'cids', name) } : {}),
      },
      args,
    );
    let r: ContainerRun;
    try {
      const start = performance.now();
      r = { ...(await lane.cli(runArgs, timeoutMs)), ms: 0 };
      r.ms = performance.now() - start;
    } finally {
      const rm = await lane.cli(['rm', '-f', name], 30_000).catch((e: unknown) => ({
        code: -1,
        stdout: '',
        stderr: String(e),
      }));
      if (rm.code !== 0 && !/no such container|no container with name/i.test(rm.stderr))
        process.stderr.write(`simulate/real: ${lane.kind} rm -f ${name}: ${rm.stderr}\n`);
    }
    const unknown = /unknown capability:? "?(CAP_[A-Z_]+)/i.exec(r.stderr)?.[1]?.toUpperCase();
    if (r.code === 125 && unknown && capabilities.includes(unknown)) {
      lane.unknownCapabilities.add(unknown);
      continue;
    }
    return r;
  }
}

async function runProbesIn(
  kind: DaemonKind,
  spec: DaemonSpec,
  commands: readonly (readonly string[])[],
  opts: DaemonRunOptions,
): Promise<ProbeResult[]> {
  const r = await runInLane(spec, ['/bin/sh', '-c', probeScript(commands)], { ...opts, kind });
  return probeResults(commands, r, kind, opts.timeoutMs ?? 30_000);
}

/** runProbes through `docker run` on the (shared or given) private dockerd. */
export function runProbesDocker(
  spec: DaemonSpec,
  commands: readonly (readonly string[])[],
  opts: DaemonRunOptions = {},
): Promise<ProbeResult[]> {
  return runProbesIn('docker', spec, commands, opts);
}

/** runProbes through `podman run` with private storage. */
export function runProbesPodman(
  spec: DaemonSpec,
  commands: readonly (readonly string[])[],
  opts: DaemonRunOptions = {},
): Promise<ProbeResult[]> {
  return runProbesIn('podman', spec, commands, opts);
}
