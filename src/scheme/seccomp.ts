/**
 * The generated seccomp profile: an allow-list with a denying default (ERRNO EPERM), built from
 * what a generic application needs. It starts from the unconditional allow-list of Docker's
 * default (what ordinary programs have been shown to need for years), takes out every syscall the
 * catalog's escapes use that an application does not need, and re-admits the dual-use ones with
 * argument filters that keep the benign forms:
 *
 * - clone: no namespace flags (Docker's mask 0x7E020000), so no new user namespace (unshare and
 *   setns are not allowed at all, as in Docker's default without CAP_SYS_ADMIN);
 * - clone3: ENOSYS, because its flags are in memory seccomp cannot read (libc falls back to clone);
 * - socket: AF_UNIX, AF_INET, AF_INET6, AF_NETLINK only (no AF_ALG, AF_PACKET, AF_VSOCK...);
 * - personality: Docker's values only;
 * - mknod / mknodat: regular files, FIFOs and sockets only, never device nodes;
 * - renameat2: never RENAME_EXCHANGE (the atomic swap of symlink-exchange races);
 * - chmod family: without setuid/setgid bits when asked (`denySetuidChmod`; needed without a
 *   user namespace, where a setuid-root file made in the container is host root's).
 *
 * No rule depends on capabilities (`includes.caps`): a capability a workload is given must not
 * widen the filter, unlike Docker's default where CAP_SYS_ADMIN re-admits mount and unshare.
 */
import { dockerDefaultProfile } from '../seccomp/lint/context.js';
import { ESCAPE_SYSCALLS } from '../seccomp/lint/rules/escape-syscall-open/index.js';
import type { ArgCondition, SeccompProfile, SyscallRule } from '../seccomp/model.js';
import { parseDockerProfile, printDockerProfile } from '../seccomp/profile/index.js';

/** include/uapi/linux/sched.h: every CLONE_NEW* flag plus CLONE_NEWTIME's neighbour, as Docker masks them. */
const CLONE_NS_MASK = 0x7e020000n;
/** include/uapi/linux/stat.h */
const S_IFMT = 0o170000n;
const S_IFREG = 0o100000n;
const S_IFIFO = 0o010000n;
const S_IFSOCK = 0o140000n;
const S_ISUID_ISGID = 0o6000n;
/** include/uapi/linux/fs.h */
const RENAME_EXCHANGE = 2n;
/** include/linux/socket.h */
const ALLOWED_FAMILIES: Array<[string, bigint]> = [
  ['AF_UNIX', 1n],
  ['AF_INET', 2n],
  ['AF_INET6', 10n],
  ['AF_NETLINK', 16n],
];
/** Docker's personality values: PER_LINUX, PER_LINUX32, UNAME26, UNAME26|PER_LINUX32, query. */
const PERSONALITIES = [0n, 8n, 0x20000n, 0x20008n, 0xffffffffn];
const ENOSYS = 38;
const EPERM = 1;

/**
 * Removed from Docker's allow-list: the escape primitives (mount API, namespaces, file handles,
 * keyrings, BPF, tracing, io_uring, userfaultfd, pipes-to-page-cache splicing) and the dual-use
 * calls re-added below with argument filters.
 */
export const REMOVED_SYSCALLS = [
  // re-added with argument filters
  'clone',
  'clone3',
  'socket',
  'personality',
  'mknod',
  'mknodat',
  'renameat2',
  'chmod',
  'fchmod',
  'fchmodat',
  'fchmodat2',
  // never for a generic application: the escape primitives the seccomp lint looks for, and more
  ...ESCAPE_SYSCALLS,
  'kcmp',
  'pidfd_getfd',
  'process_madvise',
  'splice',
  'tee',
  'vmsplice',
  'chroot',
];

export interface SeccompSchemeOptions {
  /**
   * Refuse chmod with setuid/setgid bits. Default false: the scheme runs containers in a user
   * namespace, where a setuid-root file made inside belongs to an unprivileged host uid, and
   * package managers set these bits (dpkg: setgid crontab). Ask for it when user namespaces are off.
   */
  denySetuidChmod?: boolean;
  /** Syscall name -> technique ids its filtering stops (computed by simulate/provenance.ts), added to rule comments. */
  syscallProvenance?: ReadonlyMap<string, readonly string[]>;
  /** Syscalls the workload needs beyond the generic set (they are added unconditionally). */
  extraSyscalls?: string[];
}

export interface SeccompScheme {
  /** The profile as written to seccomp.json (Docker format), and parsed back from that text. */
  text: string;
  profile: SeccompProfile;
}

const masked = (index: number, mask: bigint, equals: bigint): ArgCondition => ({
  index,
  value: mask,
  valueTwo: equals,
  op: 'SCMP_CMP_MASKED_EQ',
});
const eq = (index: number, value: bigint): ArgCondition => ({
  index,
  value,
  valueTwo: 0n,
  op: 'SCMP_CMP_EQ',
});
const allow = (
  names: string[],
  args: ArgCondition[],
  comment: string,
  extra: Partial<SyscallRule> = {},
): SyscallRule => ({
  names,
  action: 'SCMP_ACT_ALLOW',
  args,
  comment,
  ...extra,
});

export function generateSeccomp(opts: SeccompSchemeOptions = {}): SeccompScheme {
  const docker = dockerDefaultProfile();
  const removed = new Set(REMOVED_SYSCALLS);
  const base = docker.syscalls.find(
    (r) => r.action === 'SCMP_ACT_ALLOW' && !r.includes && !r.excludes && !r.args.length,
  );
  if (!base) throw new Error("Docker's default profile has no unconditional allow rule");
  const names = [
    ...new Set([...base.names.filter((n) => !removed.has(n)), ...(opts.extraSyscalls ?? [])]),
  ].sort();
  // Arch-specific rules Docker keeps for the syscalls of one arch (arch_prctl on amd64...), unchanged.
  const perArch = docker.syscalls
    .filter((r) => r.action === 'SCMP_ACT_ALLOW' && r.includes?.arches && !r.includes.caps && !r.args.length)
    .map((r) => ({ ...r, names: r.names.filter((n) => !removed.has(n)) }))
    .filter((r) => r.names.length);

  const rules: SyscallRule[] = [
    allow(
      names,
      [],
      'breakwater: what generic applications need (Docker default allow-list without escape primitives)',
    ),
    ...perArch.map((r) => ({ ...r, comment: 'breakwater: arch-specific, as in Docker default' })),
    allow(['clone'], [masked(0, CLONE_NS_MASK, 0n)], 'breakwater: threads and fork, no new namespaces', {
      excludes: { arches: ['s390', 's390x'] },
    }),
    allow(['clone'], [masked(1, CLONE_NS_MASK, 0n)], 'breakwater: s390 passes clone flags second', {
      includes: { arches: ['s390', 's390x'] },
    }),
    {
      names: ['clone3'],
      action: 'SCMP_ACT_ERRNO',
      errnoRet: ENOSYS,
      args: [],
      comment:
        'breakwater: clone3 flags are in memory seccomp cannot read; ENOSYS makes libc fall back to clone',
    },
    ...ALLOWED_FAMILIES.map(([fam, v]) => allow(['socket'], [eq(0, v)], `breakwater: socket family ${fam}`)),
    ...PERSONALITIES.map((v) =>
      allow(['personality'], [eq(0, v)], 'breakwater: personality values Docker allows'),
    ),
    ...[S_IFREG, S_IFIFO, S_IFSOCK].flatMap((t) => [
      allow(
        ['mknod'],
        [masked(1, S_IFMT, t)],
        'breakwater: mknod of files, FIFOs and sockets, never devices',
      ),
      allow(
        ['mknodat'],
        [masked(2, S_IFMT, t)],
        'breakwater: mknodat of files, FIFOs and sockets, never devices',
      ),
    ]),
    allow(['renameat2'], [masked(4, RENAME_EXCHANGE, 0n)], 'breakwater: renameat2 without RENAME_EXCHANGE'),
    ...(!opts.denySetuidChmod
      ? [
          allow(
            ['chmod', 'fchmod', 'fchmodat', 'fchmodat2'],
            [],
            'breakwater: chmod (setuid bits are harmless in a user namespace)',
          ),
        ]
      : [
          allow(
            ['chmod', 'fchmod'],
            [masked(1, S_ISUID_ISGID, 0n)],
            'breakwater: chmod without setuid/setgid bits',
          ),
          allow(
            ['fchmodat', 'fchmodat2'],
            [masked(2, S_ISUID_ISGID, 0n)],
            'breakwater: chmod without setuid/setgid bits',
          ),
        ]),
  ];
  // Each rule's comment names the techniques its filtering stops (an argument filter, or clone3's ENOSYS).
  const annotated = rules.map((r) => {
    const ids = [...new Set(r.names.flatMap((n) => opts.syscallProvenance?.get(n) ?? []))].sort();
    return ids.length && r.args.length + (r.action === 'SCMP_ACT_ERRNO' ? 1 : 0) > 0
      ? { ...r, comment: `${r.comment}; techniques: ${ids.join(', ')}` }
      : r;
  });
  const model: SeccompProfile = {
    format: 'docker',
    defaultAction: 'SCMP_ACT_ERRNO',
    defaultErrnoRet: EPERM,
    architectures: [],
    ...(docker.archMap ? { archMap: docker.archMap } : {}),
    flags: [],
    syscalls: annotated,
  };
  const text = printDockerProfile(model);
  // Evaluate what was written, not the model it came from: parse the text back (with positions).
  const parsed = parseDockerProfile(text, 'seccomp.json');
  if (!parsed.profile)
    throw new Error(`generated seccomp profile does not parse: ${parsed.diagnostics[0]?.message}`);
  return { text, profile: parsed.profile };
}
