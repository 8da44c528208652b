/** Small pieces several checks share. */
import { RUNTIME_SOCKET_PATHS } from '../catalog/runtime-sockets.js';
import type { Container, Mount } from '../model/workload.js';

/** Paths of container runtime API sockets, with the runtime that serves each. */
export const RUNTIME_SOCKETS: ReadonlyArray<[string, string]> = RUNTIME_SOCKET_PATHS.map((s) => [
  s.path,
  s.runtime,
]);

/** `/a/b/` and `/a//b` name the same host path as `/a/b`. */
export function normalizeHostPath(p: string): string {
  const n = p.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  return n === '' ? '/' : n;
}

/** Host-path mounts (bind / hostPath) of a container. */
export function hostMounts(c: Container): Array<Mount & { host: string }> {
  return c.mounts.flatMap((m) =>
    m.type === 'bind' && m.source ? [{ ...m, host: normalizeHostPath(m.source.value) }] : [],
  );
}

/** Is `path` equal to `dir` or inside it? */
export function within(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}

/** Capabilities a container ends up with when the runtime starts from Docker's default set. */
export function addsCapability(c: Container, cap: string): boolean {
  return c.capAdd.some((a) => a.value === cap || a.value === 'all');
}

/** Host disks, device-mapper, loop, memory, port I/O and the hypervisor: block-level host access. */
export const DANGEROUS_DEVICE =
  /^\/dev\/(sd|nvme|vd|xvd|hd|dm-|mapper\/|loop|md|mem$|kmem$|port$|kvm$|fuse$|mmcblk)/;

/** Sysctls Kubernetes and Docker treat as namespaced (safe to set per container). */
export const NAMESPACED_SYSCTLS = [
  /^kernel\.shm/,
  /^kernel\.msg/,
  /^kernel\.sem$/,
  /^fs\.mqueue\./,
  /^net\./,
  /^kernel\.domainname$/,
  /^kernel\.hostname$/,
];

/** A namespaced sysctl with a plain value (no `+`/`=` that CRI-O before 1.23.2 split on). */
export function isSafeSysctl(name: string, value: string): boolean {
  return NAMESPACED_SYSCTLS.some((re) => re.test(name)) && !/[+=]/.test(value);
}

/** Host paths a hardened workload must not mount: sockets, /, system and runtime directories. */
export function isDangerousHostPath(p: string): boolean {
  const n = normalizeHostPath(p);
  if (n === '/' || /\.sock(\.ttrpc)?$/.test(n)) return true;
  return [
    '/etc',
    '/root',
    '/proc',
    '/sys',
    '/dev',
    '/boot',
    '/lib/modules',
    '/usr',
    '/bin',
    '/sbin',
    '/var/lib/docker',
    '/var/lib/containerd',
    '/var/lib/kubelet',
    '/run/containerd',
    '/var/run',
    '/run',
    '/home',
  ].some((d) => within(n, d));
}
