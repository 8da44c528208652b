/**
 * Runtime settings: the layer that makes the profiles hold. A seccomp or AppArmor profile cannot
 * take back a capability, a host namespace or a writable /proc/sys; these settings do.
 */

/** runc's / Docker's default masked paths (bind-mounted over with /dev/null or an empty tmpfs). */
export const DEFAULT_MASKED_PATHS = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

/** runc's / Docker's default read-only paths. */
export const DEFAULT_READONLY_PATHS = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
];

/** Docker's default capability set, in AppArmor spelling. */
export const DOCKER_DEFAULT_CAPABILITIES = [
  'chown',
  'dac_override',
  'fsetid',
  'fowner',
  'mknod',
  'net_raw',
  'setgid',
  'setuid',
  'setfcap',
  'setpcap',
  'net_bind_service',
  'sys_chroot',
  'kill',
  'audit_write',
];

/** What a generic application needs: Docker's set without mknod, net_raw, setfcap, setpcap, sys_chroot, audit_write. */
export const GENERIC_CAPABILITIES = [
  'chown',
  'dac_override',
  'fowner',
  'fsetid',
  'kill',
  'setgid',
  'setuid',
  'net_bind_service',
];

export interface RuntimeSettings {
  /** Capabilities the container keeps (everything else dropped), AppArmor spelling. */
  capabilities: string[];
  noNewPrivileges: boolean;
  readOnlyRootFilesystem: boolean;
  /** Run in a user namespace (Kubernetes `hostUsers: false`, Docker userns-remap, podman --userns=auto). */
  userNamespace: boolean;
  maskedPaths: string[];
  readonlyPaths: string[];
  privileged: false;
  hostPID: false;
  hostIPC: false;
  hostNetwork: false;
  /** Paths that must never be mounted into the container. */
  forbiddenMounts: string[];
}

export interface RuntimeOptions {
  /** Capabilities the workload needs (default: GENERIC_CAPABILITIES). */
  capabilities?: string[];
  /** The workload writes only to volumes and tmpfs. Default false: package installs and caches write the root fs. */
  readOnlyRootFilesystem?: boolean;
}

/** Extra masked paths: kernel interfaces the catalog's techniques write that the defaults leave visible. */
const EXTRA_MASKED = [
  '/proc/sys/kernel/core_pattern',
  '/proc/sys/kernel/modprobe',
  '/sys/kernel/uevent_helper',
];

export function runtimeSettings(opts: RuntimeOptions = {}): RuntimeSettings {
  return {
    capabilities: [...(opts.capabilities ?? GENERIC_CAPABILITIES)].sort(),
    noNewPrivileges: true,
    readOnlyRootFilesystem: opts.readOnlyRootFilesystem ?? false,
    userNamespace: true,
    maskedPaths: [...DEFAULT_MASKED_PATHS, ...EXTRA_MASKED],
    readonlyPaths: [...DEFAULT_READONLY_PATHS],
    privileged: false,
    hostPID: false,
    hostIPC: false,
    hostNetwork: false,
    forbiddenMounts: [
      '/',
      '/proc',
      '/sys',
      '/dev',
      '/var/run/docker.sock',
      '/run/containerd/containerd.sock',
      '/run/crio/crio.sock',
      '/run/podman/podman.sock',
      '/var/log',
    ],
  };
}
