/**
 * Name tables of AppArmor 3.0.8 (Debian 12), checked against the real parser:
 * capabilities (parser/base_cap_names.h), address families (parser/base_af_names.h) and socket
 * types (network.c), profile flags (parser_yacc.y flagval), rlimits (parser_misc.c rlimit_table),
 * signals (signal.cc signal_map), mount conditionals (mount.cc mnt_conds_table).
 */

/** Capability names in capability-number order (base_cap_names.h follows linux/capability.h). */
export const CAPABILITY_NAMES: readonly string[] = [
  'chown',
  'dac_override',
  'dac_read_search',
  'fowner',
  'fsetid',
  'kill',
  'setgid',
  'setuid',
  'setpcap',
  'linux_immutable',
  'net_bind_service',
  'net_broadcast',
  'net_admin',
  'net_raw',
  'ipc_lock',
  'ipc_owner',
  'sys_module',
  'sys_rawio',
  'sys_chroot',
  'sys_ptrace',
  'sys_pacct',
  'sys_admin',
  'sys_boot',
  'sys_nice',
  'sys_resource',
  'sys_time',
  'sys_tty_config',
  'mknod',
  'lease',
  'audit_write',
  'audit_control',
  'setfcap',
  'mac_override',
  'mac_admin',
  'syslog',
  'wake_alarm',
  'block_suspend',
  'audit_read',
  'perfmon',
  'bpf',
  'checkpoint_restore',
];
export const CAPABILITIES = new Set(CAPABILITY_NAMES);

/** AF_* names, lower case, from base_af_names.h (AF_MAX 46). */
export const ADDRESS_FAMILIES = new Set([
  'unspec',
  'unix',
  'inet',
  'ax25',
  'ipx',
  'appletalk',
  'netrom',
  'bridge',
  'atmpvc',
  'x25',
  'inet6',
  'rose',
  'netbeui',
  'security',
  'key',
  'netlink',
  'packet',
  'ash',
  'econet',
  'atmsvc',
  'rds',
  'sna',
  'irda',
  'pppox',
  'wanpipe',
  'llc',
  'ib',
  'mpls',
  'can',
  'tipc',
  'bluetooth',
  'iucv',
  'rxrpc',
  'isdn',
  'phonet',
  'ieee802154',
  'caif',
  'alg',
  'nfc',
  'vsock',
  'kcm',
  'qipcrtr',
  'smc',
  'xdp',
  'mctp',
]);

/** Every family maps these socket types (AA_GEN_NET_ENT). */
export const SOCKET_TYPES = new Set(['stream', 'dgram', 'seqpacket', 'rdm', 'raw', 'packet']);

/** The extra network_mappings rows: family -> types beyond SOCKET_TYPES. */
export const EXTRA_NET_TYPES: Record<string, string[]> = {
  inet: ['tcp', 'udp', 'icmp'],
  inet6: ['tcp', 'udp'],
};

/** `network X,`: X is a family or a type some mapping row has. */
export function validNetworkSingle(x: string): boolean {
  if (ADDRESS_FAMILIES.has(x) || SOCKET_TYPES.has(x)) return true;
  return Object.values(EXTRA_NET_TYPES).some((ts) => ts.includes(x));
}

/** `network F T,`: a mapping row with family F and type T. */
export function validNetworkPair(family: string, type: string): boolean {
  if (!ADDRESS_FAMILIES.has(family)) return false;
  return SOCKET_TYPES.has(type) || (EXTRA_NET_TYPES[family]?.includes(type) ?? false);
}

export const PROFILE_MODES = ['enforce', 'complain', 'kill', 'unconfined'] as const;
export const PROFILE_PATH_FLAGS = [
  'audit',
  'chroot_relative',
  'namespace_relative',
  'mediate_deleted',
  'delegate_deleted',
  'attach_disconnected',
  'no_attach_disconnected',
  'chroot_attach',
  'chroot_no_attach',
] as const;
/** Pairs of flags the parser refuses together. */
export const CONFLICTING_FLAGS: [string, string][] = [
  ['chroot_relative', 'namespace_relative'],
  ['mediate_deleted', 'delegate_deleted'],
  ['attach_disconnected', 'no_attach_disconnected'],
  ['chroot_attach', 'chroot_no_attach'],
];

export type RlimitKind = 'time' | 'rttime' | 'count' | 'nice' | 'size';
export const RLIMITS: Record<string, RlimitKind> = {
  cpu: 'time',
  fsize: 'size',
  data: 'size',
  stack: 'size',
  core: 'size',
  rss: 'size',
  nofile: 'count',
  ofile: 'count',
  as: 'size',
  nproc: 'count',
  memlock: 'size',
  locks: 'count',
  sigpending: 'count',
  msgqueue: 'size',
  nice: 'nice',
  rtprio: 'count',
  rttime: 'rttime',
};

export const SIGNALS = new Set([
  'hup',
  'int',
  'quit',
  'ill',
  'trap',
  'abrt',
  'bus',
  'fpe',
  'kill',
  'usr1',
  'segv',
  'usr2',
  'pipe',
  'alrm',
  'term',
  'stkflt',
  'chld',
  'cont',
  'stop',
  'stp',
  'ttin',
  'ttou',
  'urg',
  'xcpu',
  'xfsz',
  'vtalrm',
  'prof',
  'winch',
  'io',
  'pwr',
  'sys',
  'emt',
  'exists',
]);

export function validSignal(s: string): boolean {
  if (SIGNALS.has(s)) return true;
  const m = /^rtmin\+(\d+)$/.exec(s);
  return !!m && Number(m[1]) <= 32;
}

export const MOUNT_CONDS = new Set(['options', 'option', 'fstype', 'vfstype']);

/** Permission words each rule class accepts (the r/w mode letters are handled separately). */
export const RULE_PERMS: Record<'dbus' | 'signal' | 'ptrace' | 'unix', Set<string>> = {
  dbus: new Set(['bind', 'send', 'receive', 'read', 'write', 'eavesdrop']),
  signal: new Set(['send', 'receive', 'read', 'write']),
  ptrace: new Set(['trace', 'read', 'tracedby', 'readby', 'write']),
  unix: new Set([
    'create',
    'bind',
    'listen',
    'accept',
    'connect',
    'shutdown',
    'getattr',
    'setattr',
    'getopt',
    'setopt',
    'send',
    'receive',
    'read',
    'write',
  ]),
};

export const RULE_CONDS: Record<
  'dbus' | 'signal' | 'ptrace' | 'unix',
  { local: Set<string>; peer: Set<string> }
> = {
  dbus: { local: new Set(['bus', 'name', 'path', 'interface', 'member']), peer: new Set(['name', 'label']) },
  signal: { local: new Set(['set', 'peer']), peer: new Set() },
  ptrace: { local: new Set(['peer']), peer: new Set() },
  unix: {
    local: new Set(['addr', 'type', 'protocol', 'label', 'attr', 'opt']),
    peer: new Set(['addr', 'label']),
  },
};

/** mount.cc mnt_opts_table: option words a mount rule accepts. */
export const MOUNT_OPTIONS = new Set([
  'ro',
  'r',
  'read-only',
  'rw',
  'w',
  'suid',
  'nosuid',
  'dev',
  'nodev',
  'exec',
  'noexec',
  'sync',
  'async',
  'remount',
  'mand',
  'nomand',
  'dirsync',
  'atime',
  'noatime',
  'diratime',
  'nodiratime',
  'bind',
  'B',
  'move',
  'M',
  'rbind',
  'R',
  'verbose',
  'silent',
  'loud',
  'acl',
  'noacl',
  'unbindable',
  'make-unbindable',
  'runbindable',
  'make-runbindable',
  'private',
  'make-private',
  'rprivate',
  'make-rprivate',
  'slave',
  'make-slave',
  'rslave',
  'make-rslave',
  'shared',
  'make-shared',
  'rshared',
  'make-rshared',
  'relatime',
  'norelatime',
  'iversion',
  'noiversion',
  'strictatime',
  'user',
  'nouser',
]);
