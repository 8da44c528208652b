/**
 * Builds the initramfs of the AppArmor test VM: a newc cpio archive (written here, gzip-compressed)
 * holding busybox, the host's apparmor_parser with its shared libraries, the host's AppArmor abi,
 * tunables and abstractions, the static /check probe (check.c), the profiles under test and an
 * /init script that loads the profiles and runs every probe confined by its profile.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface CpioEntry {
  name: string;
  /** Full st_mode (type bits included). */
  mode: number;
  data?: Buffer;
  rdevMajor?: number;
  rdevMinor?: number;
}

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

export const dir = (name: string): CpioEntry => ({ name, mode: S_IFDIR | 0o755 });
export const file = (name: string, data: Buffer | string, perm = 0o644): CpioEntry => ({
  name,
  mode: S_IFREG | perm,
  data: Buffer.from(data),
});
export const symlink = (name: string, target: string): CpioEntry => ({
  name,
  mode: S_IFLNK | 0o777,
  data: Buffer.from(target),
});
export const chardev = (name: string, major: number, minor: number): CpioEntry => ({
  name,
  mode: S_IFCHR | 0o600,
  rdevMajor: major,
  rdevMinor: minor,
});

const pad4 = (n: number): Buffer => Buffer.alloc((4 - (n % 4)) % 4);
const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** The newc ("070701") format the kernel's initramfs unpacker reads, ending with TRAILER!!!. */
export function newcArchive(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  const all = [...entries, { name: 'TRAILER!!!', mode: 0 }];
  for (const e of all) {
    const name = Buffer.from(`${e.name.replace(/^\/+/, '')}\0`);
    const data = e.data ?? Buffer.alloc(0);
    const fields = [
      ino++,
      e.mode,
      0, // uid
      0, // gid
      (e.mode & S_IFDIR) === S_IFDIR ? 2 : 1,
      0, // mtime
      data.length,
      0, // dev major
      0, // dev minor
      e.rdevMajor ?? 0,
      e.rdevMinor ?? 0,
      name.length,
      0, // check
    ];
    const header = Buffer.from(`070701${fields.map(hex8).join('')}`, 'ascii');
    parts.push(header, name, pad4(header.length + name.length), data, pad4(data.length));
  }
  return Buffer.concat(parts);
}

/** Adds the parent directories of every entry (once, parents first) and drops duplicates. */
export function withParents(entries: readonly CpioEntry[]): CpioEntry[] {
  const seen = new Set<string>();
  const out: CpioEntry[] = [];
  const add = (e: CpioEntry): void => {
    const name = e.name.replace(/^\/+/, '');
    if (seen.has(name)) return;
    const parent = dirname(name);
    if (parent !== '.' && !seen.has(parent)) add(dir(parent));
    seen.add(name);
    out.push({ ...e, name });
  };
  for (const e of entries) add(e);
  return out;
}

/** A host file copied to the same path; a symlink is kept as a symlink plus its target. */
export function hostFile(path: string, perm?: number): CpioEntry[] {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) throw new Error(`initramfs: host file ${path} is missing`);
  let link: string | undefined;
  try {
    link = readlinkSync(path);
  } catch {
    link = undefined;
  }
  if (link !== undefined) {
    const target = link.startsWith('/') ? link : join(dirname(path), link);
    return [...hostFile(target, perm), symlink(path, link)];
  }
  return [file(path, readFileSync(path), perm ?? st.mode & 0o777)];
}

/** Every regular file under a host directory, copied to the same paths. */
export function hostTree(root: string): CpioEntry[] {
  const out: CpioEntry[] = [dir(root)];
  for (const name of readdirSync(root).sort()) {
    const p = join(root, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...hostTree(p));
    else if (st.isFile()) out.push(file(p, readFileSync(p), st.mode & 0o777));
  }
  return out;
}

/** The shared libraries and loader `ldd` lists for a host binary. */
export function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m?.[1]) libs.push(m[1]);
  }
  return libs;
}

const APPLETS = ['sh', 'mount', 'mkdir', 'cat', 'echo', 'poweroff', 'touch', 'chown', 'chmod', 'ls', 'sleep'];

export interface InitramfsInput {
  /** The static /check binary (compiled from check.c). */
  check: Buffer;
  profiles: { name: string; text: string }[];
  /** The /init script. */
  init: string;
  busybox?: string;
  parser?: string;
}

/**
 * What every AppArmor test VM needs: a console, the mount points, busybox with `applets` linked,
 * apparmor_parser with its shared libraries (and `extraLibraries`), and the host's AppArmor abi,
 * tunables and abstractions.
 */
export function appArmorVmBase(opts: {
  applets: readonly string[];
  busybox?: string;
  parser?: string;
  extraLibraries?: readonly string[];
}): CpioEntry[] {
  const busybox = opts.busybox ?? '/bin/busybox';
  const parser = opts.parser ?? '/usr/sbin/apparmor_parser';
  const libs = new Set([...sharedLibraries(parser), ...(opts.extraLibraries ?? [])]);
  return [
    dir('/dev'),
    chardev('/dev/console', 5, 1),
    chardev('/dev/null', 1, 3),
    dir('/proc'),
    dir('/sys'),
    dir('/tmp'),
    dir('/run'),
    file('/bin/busybox', readFileSync(busybox), 0o755),
    ...opts.applets.filter((a) => a !== 'busybox').map((a) => symlink(`/bin/${a}`, 'busybox')),
    file('/sbin/apparmor_parser', readFileSync(parser), 0o755),
    ...[...libs].flatMap((l) => hostFile(l, 0o755)),
    ...hostTree('/etc/apparmor.d/abi'),
    ...hostTree('/etc/apparmor.d/tunables'),
    ...hostTree('/etc/apparmor.d/abstractions'),
  ];
}

export function buildInitramfs(input: InitramfsInput): Buffer {
  const entries: CpioEntry[] = [
    ...appArmorVmBase({
      applets: APPLETS,
      ...(input.busybox ? { busybox: input.busybox } : {}),
      ...(input.parser ? { parser: input.parser } : {}),
    }),
    file('/check', input.check, 0o755),
    ...input.profiles.map((p, i) => file(`/profiles/p${i}`, p.text)),
    file('/init', input.init, 0o755),
  ];
  return gzipSync(newcArchive(withParents(entries)));
}
