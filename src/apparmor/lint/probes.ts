/**
 * The concrete requests the AppArmor checks try: sensitive host-control paths, runtime sockets,
 * mounts an escape would make, peers. Paths are the names the kernel checks (`/proc/<pid>/...`,
 * never `/proc/self/...`, which the kernel resolves before AppArmor sees it).
 */
import { RUNTIME_SOCKET_PATHS } from '../../catalog/runtime-sockets.js';
import type { MountQuery, PivotRootQuery } from '../evaluate.js';

/** /proc/sys files outside the ones each more specific check covers; each one host-global. */
export const PROC_SYS_PATHS = [
  '/proc/sys/kernel/panic',
  '/proc/sys/kernel/randomize_va_space',
  '/proc/sys/kernel/yama/ptrace_scope',
  '/proc/sys/kernel/sysrq',
  '/proc/sys/kernel/sched_child_runs_first',
  '/proc/sys/vm/overcommit_memory',
  '/proc/sys/vm/drop_caches',
  '/proc/sys/fs/suid_dumpable',
  '/proc/sys/fs/protected_symlinks',
];

/** sysfs files that change the host (outside /sys/fs/cgroup, which release-agent covers). */
export const SYS_PATHS = [
  '/sys/power/state',
  '/sys/kernel/mm/transparent_hugepage/enabled',
  '/sys/kernel/security/apparmor/.load',
  '/sys/firmware/efi/efivars/x',
  '/sys/bus/pci/rescan',
  '/sys/module/kernel/parameters/panic',
  '/sys/kernel/debug/tracing/trace',
  '/sys/devices/virtual/powercap/intel-rapl/intel-rapl:0/energy_uj',
];

export const SYSRQ_PATHS = ['/proc/sysrq-trigger'];
export const CORE_PATTERN_PATHS = ['/proc/sys/kernel/core_pattern'];
export const MODPROBE_PATHS = ['/proc/sys/kernel/modprobe'];
export const UEVENT_HELPER_PATHS = ['/sys/kernel/uevent_helper'];
/** cgroup v1 hierarchies as the runtime mounts them into a container. */
export const RELEASE_AGENT_PATHS = [
  '/sys/fs/cgroup/release_agent',
  '/sys/fs/cgroup/memory/release_agent',
  '/sys/fs/cgroup/rdma/release_agent',
  '/sys/fs/cgroup/cpuset/release_agent',
];
/** The container's init and some other process (with host PID: a host process). */
export const PROC_MEM_PATHS = ['/proc/1/mem', '/proc/4242/mem'];

/** Where container runtimes listen; a path socket is connected to with file `w` permission. */
export const RUNTIME_SOCKETS = RUNTIME_SOCKET_PATHS.map((s) => s.path);

/** Abstract addresses like containerd-shim's before 1.3.9/1.4.3 (CVE-2020-15257), and any other. */
export const ABSTRACT_ADDRS = ['@/containerd-shim/moby/0123/shim.sock', '@x'];

const MOUNT_FSTYPES = [
  'proc',
  'sysfs',
  'cgroup',
  'cgroup2',
  'tmpfs',
  'overlay',
  'ext4',
  'debugfs',
  'securityfs',
  'binfmt_misc',
  'bpf',
  'tracefs',
];
const MOUNT_TARGETS = ['/tmp/x', '/', '/proc', '/sys/fs/cgroup', '/mnt'];

/** Mounts an escape makes: new filesystems, binds, remounts, propagation changes. */
export const MOUNT_QUERIES: MountQuery[] = [
  ...MOUNT_FSTYPES.flatMap((fstype) =>
    MOUNT_TARGETS.map(
      (target): MountQuery => ({ class: 'mount', fstype, source: fstype, target, options: [] }),
    ),
  ),
  ...MOUNT_TARGETS.map(
    (target): MountQuery => ({
      class: 'mount',
      source: '/proc',
      target,
      options: ['bind'],
    }),
  ),
  ...MOUNT_TARGETS.map(
    (target): MountQuery => ({
      class: 'mount',
      source: target,
      target,
      options: ['remount', 'bind'],
    }),
  ),
  ...MOUNT_TARGETS.map((target): MountQuery => ({ class: 'mount', target, options: ['make-rshared'] })),
];

export const UMOUNT_TARGETS = ['/', '/proc/kcore', '/proc/sys', '/sys/fs/cgroup', '/tmp/x'];

export const PIVOT_ROOT_QUERIES: PivotRootQuery[] = [
  { class: 'pivot_root', new_root: '/tmp/x', put_old: '/tmp/x/old' },
  { class: 'pivot_root', new_root: '/', put_old: '/old' },
];

/** Capabilities that turn into an escape on their own (mount/namespaces, modules, tracing, handles). */
export const DANGEROUS_CAPABILITIES = ['sys_admin', 'sys_module', 'sys_ptrace', 'dac_read_search'];

/**
 * Peers for ptrace and signal probes. `SELF` stands for the profile's own label (a container's
 * processes among themselves), which differs between the profile and the baseline.
 */
export const SELF = '\0self';
export const PEERS = ['unconfined', SELF, 'some-other-profile'];
