/**
 * OCI bundles for the real-container simulation: a busybox rootfs (Debian busybox-static's
 * /bin/busybox, /bin/sh -> busybox) plus the probe at /probe, and a config.json built from a small
 * spec. The config follows test/oracle/runc-oracle.ts (runtime-spec 1.0.2, runc's default devices on a
 * tmpfs /dev) and Docker's defaults: /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys read-only, plus
 * a tmpfs /tmp; new pid/mount/ipc/uts/network namespaces; a read-write root.
 */
import { chmod, copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS } from '../../scheme/runtime.js';
import { parseDockerProfile, printProfile } from '../../seccomp/profile/index.js';
import { DOCKER_DEFAULT_CAPS, resolveProfile } from '../../seccomp/resolve.js';
import { runCommand } from './probe.js';

export { DOCKER_DEFAULT_CAPS };

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DOCKER_DEFAULT_PROFILE = path.resolve(
  HERE,
  '..',
  '..',
  '..',
  'data',
  'baselines',
  'docker-default.json',
);

/** Where busybox-static installs it (Debian/Ubuntu). */
export const BUSYBOX = '/bin/busybox';
/** The probe's path inside the container. */
export const PROBE_IN_CONTAINER = '/probe';

/** moby's oci.DefaultSpec() maskedPaths / readonlyPaths (one list, shared with the scheme and the model). */
export const DOCKER_MASKED_PATHS: readonly string[] = DEFAULT_MASKED_PATHS;
/** Without /sys: the bundle mounts sysfs read-only itself, as runc's default spec does. */
export const DOCKER_READONLY_PATHS: readonly string[] = DEFAULT_READONLY_PATHS.filter((p) => p !== '/sys');

export interface ContainerSpec {
  /**
   * OCI `linux.seccomp`: an object, or its exact JSON text (e.g. printProfile(..., 'oci') output,
   * embedded verbatim so 64-bit argument values reach runc unrounded). Absent: no seccomp.
   */
  seccomp?: object | string;
  /** CAP_ names: bounding, effective and permitted set (inheritable and ambient stay empty). */
  capabilities: readonly string[];
  noNewPrivileges: boolean;
  maskedPaths: readonly string[];
  readonlyPaths: readonly string[];
  /** The container process (absolute path inside the rootfs). */
  args: readonly string[];
  /**
   * Bring the network namespace's `lo` up before the process starts, from the host side as Docker's
   * network setup does for `--network none` (a `createRuntime` hook running `ip link set lo up` in the
   * container's network namespace): inside, it would need CAP_NET_ADMIN. Default false.
   */
  loopbackUp?: boolean;
}

/** Extra rootfs content beyond busybox, /bin/sh and the probe. */
export interface RootfsExtras {
  /** Files by absolute container path (parent dirs created), with their mode (default 0644). */
  files?: Readonly<Record<string, string | { content: string; mode: number }>>;
  /** Directories by absolute container path, with their mode (default 0755). */
  dirs?: Readonly<Record<string, number>>;
  /** Busybox applets to link in /bin (`sh` always is), or 'all' for every applet it lists. */
  applets?: readonly string[] | 'all';
}

/** Docker's defaults (capabilities, masked/read-only paths), no seccomp, no no-new-privileges. */
export function dockerDefaultSpec(args: readonly string[] = ['/bin/sh']): ContainerSpec {
  return {
    capabilities: [...DOCKER_DEFAULT_CAPS],
    noNewPrivileges: false,
    maskedPaths: [...DOCKER_MASKED_PATHS],
    readonlyPaths: [...DOCKER_READONLY_PATHS],
    args: [...args],
  };
}

/**
 * A Docker-format seccomp profile as the OCI `linux.seccomp` text dockerd would hand runc for a
 * container with these capabilities (includes/excludes and archMap resolved for x86_64 first, as in
 * `breakwater seccomp print --to oci`).
 */
export async function ociSeccompFromDocker(
  file: string = DOCKER_DEFAULT_PROFILE,
  caps: readonly string[] = DOCKER_DEFAULT_CAPS,
): Promise<string> {
  const { profile, diagnostics } = parseDockerProfile(await readFile(file, 'utf8'), file);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!profile || errors.length) {
    throw new Error(`cannot parse ${file}: ${errors.map((d) => d.message).join('; ')}`);
  }
  const { syscalls, ...rest } = resolveProfile(profile, { arch: 'x86_64', caps: [...caps] });
  return printProfile({ ...rest, syscalls: syscalls.map(({ index: _i, ...r }) => r) }, 'oci');
}

/** OCI runtime-spec 1.0.2 config.json text for the spec. */
export function ociConfigJson(spec: ContainerSpec): string {
  const caps = [...spec.capabilities];
  const config = {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: [...spec.args],
      env: ['PATH=/bin:/', 'HOME=/'],
      cwd: '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      noNewPrivileges: spec.noNewPrivileges,
      // Safety net if we die before tearing the container down.
      rlimits: [{ type: 'RLIMIT_CPU', hard: 60, soft: 60 }],
    },
    root: { path: 'rootfs', readonly: false },
    hostname: 'breakwater-probe',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
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
        options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
      },
      {
        destination: '/dev/shm',
        type: 'tmpfs',
        source: 'shm',
        options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'],
      },
      {
        destination: '/dev/mqueue',
        type: 'mqueue',
        source: 'mqueue',
        options: ['nosuid', 'noexec', 'nodev'],
      },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      {
        destination: '/tmp',
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['nosuid', 'nodev', 'mode=1777', 'size=16m'],
      },
    ],
    linux: {
      namespaces: [{ type: 'pid' }, { type: 'mount' }, { type: 'ipc' }, { type: 'uts' }, { type: 'network' }],
      maskedPaths: [...spec.maskedPaths],
      readonlyPaths: [...spec.readonlyPaths],
      ...(spec.seccomp !== undefined ? { seccomp: SECCOMP_PLACEHOLDER } : {}),
    },
    ...(spec.loopbackUp ? { hooks: { createRuntime: [LOOPBACK_HOOK] } } : {}),
  };
  const text = JSON.stringify(config, null, 2);
  if (spec.seccomp === undefined) return text;
  const seccomp = typeof spec.seccomp === 'string' ? spec.seccomp.trim() : JSON.stringify(spec.seccomp);
  // A function replacement: `$` in the profile text must not be read as a pattern.
  return text.replace(`"${SECCOMP_PLACEHOLDER}"`, () => seccomp);
}

const SECCOMP_PLACEHOLDER = '__breakwater_seccomp__';

/**
 * Runs on the host in the runtime's namespaces with the container state on stdin (its "pid"), after
 * the namespaces exist and before the process starts; host busybox so no iproute2 is needed.
 */
const LOOPBACK_HOOK = {
  path: '/bin/sh',
  args: [
    'sh',
    '-c',
    `pid=$(tr , '\\n' | sed -n 's/^ *"pid": *\\([0-9][0-9]*\\).*/\\1/p'); exec nsenter -t "$pid" -n ${BUSYBOX} ip link set lo up`,
  ],
  timeout: 10,
};

let appletList: Promise<string[]> | undefined;
/** `busybox --list` of the host's busybox (the one copied into every rootfs). */
function busyboxApplets(): Promise<string[]> {
  appletList ??= runCommand(BUSYBOX, ['--list'], 10_000).then((r) =>
    r.stdout.split('\n').filter((a) => /^[\w.[\]-]+$/.test(a) && a !== 'busybox'),
  );
  return appletList;
}

/**
 * Writes the rootfs at `rootfs` (must not exist or be empty): busybox, /bin/sh, the probe at /probe
 * (when given), empty /tmp /proc /sys /dev /etc, plus `extras`. The same tree goes into an OCI bundle and into the
 * images the daemon lanes import.
 */
export async function writeRootfs(
  rootfs: string,
  probeBinary: string | undefined,
  extras: RootfsExtras = {},
): Promise<void> {
  await mkdir(path.join(rootfs, 'bin'), { recursive: true });
  for (const d of ['tmp', 'proc', 'sys', 'dev', 'etc'])
    await mkdir(path.join(rootfs, d), { recursive: true });
  // As in every image: runc gives the /tmp tmpfs the mode of the directory it is mounted on.
  await chmod(path.join(rootfs, 'tmp'), 0o1777);
  try {
    await copyFile(BUSYBOX, path.join(rootfs, 'bin', 'busybox'));
  } catch (e) {
    throw new Error(`cannot copy ${BUSYBOX} (install busybox-static): ${(e as Error).message}`);
  }
  await chmod(path.join(rootfs, 'bin', 'busybox'), 0o755);
  await symlink('busybox', path.join(rootfs, 'bin', 'sh'));
  const applets = extras.applets === 'all' ? await busyboxApplets() : (extras.applets ?? []);
  for (const a of new Set(applets)) {
    if (a === 'sh' || a === 'busybox') continue;
    await symlink('busybox', path.join(rootfs, 'bin', a));
  }
  if (probeBinary !== undefined) {
    await copyFile(probeBinary, path.join(rootfs, PROBE_IN_CONTAINER.slice(1)));
    await chmod(path.join(rootfs, PROBE_IN_CONTAINER.slice(1)), 0o755);
  }
  for (const [d, mode] of Object.entries(extras.dirs ?? {})) {
    const dest = path.join(rootfs, d);
    await mkdir(dest, { recursive: true });
    await chmod(dest, mode);
  }
  for (const [f, v] of Object.entries(extras.files ?? {})) {
    const dest = path.join(rootfs, f);
    const { content, mode } = typeof v === 'string' ? { content: v, mode: 0o644 } : v;
    await mkdir(path.dirname(dest), { recursive: true });
    await writeFile(dest, content);
    await chmod(dest, mode);
  }
}

/**
 * Writes `<dir>/rootfs` (see writeRootfs) and `<dir>/config.json`. `dir` must exist and be empty.
 */
export async function writeBundle(
  dir: string,
  spec: ContainerSpec,
  probeBinary: string,
  extras: RootfsExtras = {},
): Promise<void> {
  await writeRootfs(path.join(dir, 'rootfs'), probeBinary, extras);
  await writeFile(path.join(dir, 'config.json'), ociConfigJson(spec));
}
