/**
 * Kernel numbers the simulator passes to the seccomp evaluator when it turns a primitive into the
 * syscall the kernel would see. Values from ../shared/reference/uapi-constants.json (kernel 6.1 /
 * glibc 2.36 headers) and include/uapi/linux/mount.h for MS_*.
 */

/** Address families by their AppArmor name (bits/socket.h). */
export const ADDRESS_FAMILY: Readonly<Record<string, bigint>> = {
  unix: 1n,
  inet: 2n,
  ax25: 3n,
  ipx: 4n,
  appletalk: 5n,
  x25: 9n,
  inet6: 10n,
  key: 15n,
  netlink: 16n,
  packet: 17n,
  rds: 21n,
  can: 29n,
  tipc: 30n,
  bluetooth: 31n,
  alg: 38n,
  nfc: 39n,
  vsock: 40n,
  kcm: 41n,
  qipcrtr: 42n,
  smc: 43n,
  xdp: 44n,
  mctp: 45n,
};

/** Socket types (bits/socket_type.h). */
export const SOCKET_TYPE: Readonly<Record<string, bigint>> = {
  stream: 1n,
  dgram: 2n,
  raw: 3n,
  rdm: 4n,
  seqpacket: 5n,
  packet: 10n,
};

/** mount(2) flags by mount(8) option word (include/uapi/linux/mount.h). */
export const MOUNT_FLAG: Readonly<Record<string, bigint>> = {
  ro: 0x1n,
  nosuid: 0x2n,
  nodev: 0x4n,
  noexec: 0x8n,
  remount: 0x20n,
  bind: 0x1000n,
  move: 0x2000n,
  rbind: 0x1000n | 0x4000n,
  unbindable: 1n << 17n,
  private: 1n << 18n,
  slave: 1n << 19n,
  shared: 1n << 20n,
  'make-unbindable': 1n << 17n,
  'make-private': 1n << 18n,
  'make-slave': 1n << 19n,
  'make-shared': 1n << 20n,
  'make-rshared': (1n << 20n) | 0x4000n,
  'make-rprivate': (1n << 18n) | 0x4000n,
};

/** include/uapi/linux/sched.h */
export const CLONE_NEWUSER = 0x10000000n;
/** include/uapi/linux/ptrace.h */
export const PTRACE_ATTACH = 16n;
/** asm-generic/signal.h numbers by AppArmor signal name. */
export const SIGNAL_NUMBER: Readonly<Record<string, bigint>> = {
  hup: 1n,
  int: 2n,
  quit: 3n,
  kill: 9n,
  usr1: 10n,
  usr2: 12n,
  term: 15n,
  cont: 18n,
  stop: 19n,
};
