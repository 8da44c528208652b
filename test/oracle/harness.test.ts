/**
 * Self-tests of the differential oracle: the harness's BPF interpretation and the running kernel
 * must agree, on hand-written filters and on filters runc really loads.
 *
 * Locally the suites skip (printing why) when the machine cannot run them; with CI=true they fail.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIT_ARCH_AARCH64,
  AUDIT_ARCH_I386,
  AUDIT_ARCH_X86_64,
  type BpfFilter,
  evalFilters,
  harnessAvailable,
  listContainers,
  type OracleAnswer,
  type OracleQuery,
  oracleAvailable,
  runcFilters,
  TEMP_PREFIX,
  X32_SYSCALL_BIT,
} from './runc-oracle.js';

const inCI = process.env.CI === 'true';
const harnessOk = harnessAvailable();
const runcOk = oracleAvailable('runc');
const crunOk = oracleAvailable('crun');
for (const [what, a] of [
  ['hand-written BPF', harnessOk],
  ['runc', runcOk],
  ['crun', crunOk],
] as const) {
  if (!a.ok) console.warn(`[oracle] ${inCI ? 'FAILING' : 'skipping'} ${what} suite: ${a.reason}`);
}

describe('oracle availability', () => {
  // In CI the oracle is the ground truth for the evaluator: its absence is a failure, not a skip.
  it.runIf(inCI)('can run in CI', () => {
    expect(harnessOk.ok, harnessOk.reason).toBe(true);
    expect(runcOk.ok, runcOk.reason).toBe(true);
    expect(crunOk.ok, crunOk.reason).toBe(true);
  });
  it('reports a reason whenever it is unavailable', () => {
    for (const a of [harnessOk, runcOk, crunOk]) if (!a.ok) expect(a.reason).toBeTruthy();
  });
});

// ------------------------------------------------------------------------------------------------
// Helpers

const SECCOMP_RET = {
  KILL_PROCESS: 0x80000000,
  KILL_THREAD: 0x00000000,
  TRAP: 0x00030000,
  ERRNO: 0x00050000,
  USER_NOTIF: 0x7fc00000,
  TRACE: 0x7ff00000,
  LOG: 0x7ffc0000,
  ALLOW: 0x7fff0000,
} as const;

type Insn = [number, number, number, number];
const ldAbs = (k: number): Insn => [0x20, 0, 0, k];
const jeq = (k: number, jt: number, jf: number): Insn => [0x15, jt, jf, k >>> 0];
const ret = (k: number): Insn => [0x06, 0, 0, k >>> 0];
/** if (nr == target) return onMatch; else return otherwise. */
const onNr = (nr: number, onMatch: number, otherwise: number = SECCOMP_RET.ALLOW): BpfFilter => [
  ldAbs(0),
  jeq(nr, 0, 1),
  ret(onMatch),
  ret(otherwise),
];

const x64 = (nr: number, ...args: bigint[]): OracleQuery => ({ arch: AUDIT_ARCH_X86_64, nr, args });
const i386 = (nr: number, ...args: bigint[]): OracleQuery => ({ arch: AUDIT_ARCH_I386, nr, args });

async function ask(filters: BpfFilter[], q: OracleQuery): Promise<OracleAnswer> {
  const [a] = await evalFilters(filters, [q]);
  if (!a) throw new Error('no answer');
  return a;
}

/** The kernel outcome a BPF verdict must produce (x86_64). */
function expectedOutcome(bpf: OracleAnswer['bpf']): NonNullable<OracleAnswer['kernel']> {
  switch (bpf.action) {
    case 'SCMP_ACT_ALLOW':
    case 'SCMP_ACT_LOG':
      return { outcome: 'allow' };
    case 'SCMP_ACT_ERRNO':
      return { outcome: 'errno', errno: Math.min(bpf.data, 4095) };
    case 'SCMP_ACT_NOTIFY': // no listener: -ENOSYS
      return { outcome: 'errno', errno: 38 };
    case 'SCMP_ACT_TRAP':
      return { outcome: 'trap', data: bpf.data };
    case 'SCMP_ACT_TRACE':
      return { outcome: 'trace', data: bpf.data };
    default:
      return { outcome: 'kill' };
  }
}

// ------------------------------------------------------------------------------------------------
// Hand-written filters: exercise the harness itself, corner by corner.

describe.skipIf(!harnessOk.ok && !inCI)('harness eval on hand-written BPF', () => {
  const { ERRNO, TRACE, TRAP, LOG, USER_NOTIF, KILL_PROCESS, KILL_THREAD, ALLOW } = SECCOMP_RET;

  it.each<[string, BpfFilter[], OracleQuery, OracleAnswer]>([
    [
      'same action in two filters: the newest filter (index 0) keeps its data',
      [onNr(39, ERRNO | 7), onNr(39, ERRNO | 9)],
      x64(39),
      { bpf: { ret: ERRNO | 7, action: 'SCMP_ACT_ERRNO', data: 7 }, kernel: { outcome: 'errno', errno: 7 } },
    ],
    [
      'the strictest action wins regardless of filter order',
      [onNr(39, ERRNO | 3), onNr(39, TRAP | 4)],
      x64(39),
      { bpf: { ret: TRAP | 4, action: 'SCMP_ACT_TRAP', data: 4 }, kernel: { outcome: 'trap', data: 4 } },
    ],
    [
      'ERRNO data above MAX_ERRNO: the kernel caps it at 4095',
      [onNr(39, ERRNO | 5000)],
      x64(39),
      {
        bpf: { ret: ERRNO | 5000, action: 'SCMP_ACT_ERRNO', data: 5000 },
        kernel: { outcome: 'errno', errno: 4095 },
      },
    ],
    [
      'ERRNO 0 returns 0 without running the call',
      [onNr(0, ERRNO)],
      x64(0),
      { bpf: { ret: ERRNO, action: 'SCMP_ACT_ERRNO', data: 0 }, kernel: { outcome: 'errno', errno: 0 } },
    ],
    [
      'TRACE reaches the tracer with its data',
      [onNr(39, TRACE | 42)],
      x64(39),
      {
        bpf: { ret: TRACE | 42, action: 'SCMP_ACT_TRACE', data: 42 },
        kernel: { outcome: 'trace', data: 42 },
      },
    ],
    [
      "TRACE with the tracer filter's default magic 0xBEEF is not mistaken for allow",
      [onNr(39, TRACE | 0xbeef)],
      x64(39),
      {
        bpf: { ret: TRACE | 0xbeef, action: 'SCMP_ACT_TRACE', data: 0xbeef },
        kernel: { outcome: 'trace', data: 0xbeef },
      },
    ],
    [
      'USER_NOTIF without a listener fails with ENOSYS',
      [onNr(39, USER_NOTIF)],
      x64(39),
      {
        bpf: { ret: USER_NOTIF, action: 'SCMP_ACT_NOTIFY', data: 0 },
        kernel: { outcome: 'errno', errno: 38 },
      },
    ],
    [
      'LOG lets the call through',
      [onNr(39, LOG)],
      x64(39),
      { bpf: { ret: LOG, action: 'SCMP_ACT_LOG', data: 0 }, kernel: { outcome: 'allow' } },
    ],
    [
      'ALLOW data is dropped (seccomp_run_filters starts from a bare ALLOW)',
      [onNr(39, ALLOW | 5)],
      x64(39),
      { bpf: { ret: ALLOW, action: 'SCMP_ACT_ALLOW', data: 0 }, kernel: { outcome: 'allow' } },
    ],
    [
      'an unknown action value kills like KILL_PROCESS',
      [onNr(39, 0x00010003)],
      x64(39),
      { bpf: { ret: 0x00010003, action: 'SCMP_ACT_KILL_PROCESS', data: 3 }, kernel: { outcome: 'kill' } },
    ],
    [
      'KILL_THREAD kills a single-threaded process',
      [onNr(39, KILL_THREAD)],
      x64(39),
      { bpf: { ret: 0, action: 'SCMP_ACT_KILL_THREAD', data: 0 }, kernel: { outcome: 'kill' } },
    ],
    [
      'TRAP of read(2) (nr 0) is told apart from ERRNO 0',
      [onNr(0, TRAP | 1)],
      x64(0),
      { bpf: { ret: TRAP | 1, action: 'SCMP_ACT_TRAP', data: 1 }, kernel: { outcome: 'trap', data: 1 } },
    ],
    [
      'a profile that refuses everything, exit_group included',
      [[ret(ERRNO | 3)]],
      x64(231),
      { bpf: { ret: ERRNO | 3, action: 'SCMP_ACT_ERRNO', data: 3 }, kernel: { outcome: 'errno', errno: 3 } },
    ],
    [
      'a profile that kills everything',
      [[ret(KILL_PROCESS)]],
      x64(39),
      { bpf: { ret: KILL_PROCESS, action: 'SCMP_ACT_KILL_PROCESS', data: 0 }, kernel: { outcome: 'kill' } },
    ],
    [
      'no filters at all: allow',
      [],
      x64(39),
      { bpf: { ret: ALLOW, action: 'SCMP_ACT_ALLOW', data: 0 }, kernel: { outcome: 'allow' } },
    ],
    [
      'the syscall number is 32 bits in seccomp_data (upper bits ignored)',
      [onNr(39, ERRNO | 4)],
      x64(0x1_0000_0027),
      { bpf: { ret: ERRNO | 4, action: 'SCMP_ACT_ERRNO', data: 4 }, kernel: { outcome: 'errno', errno: 4 } },
    ],
    [
      'x32 numbers reach seccomp as AUDIT_ARCH_X86_64 with bit 30 set',
      [
        [
          ldAbs(4),
          jeq(AUDIT_ARCH_X86_64, 0, 3),
          ldAbs(0),
          jeq(X32_SYSCALL_BIT | 39, 0, 1),
          ret(ERRNO | 6),
          ret(ALLOW),
        ],
      ],
      x64(X32_SYSCALL_BIT | 39),
      { bpf: { ret: ERRNO | 6, action: 'SCMP_ACT_ERRNO', data: 6 }, kernel: { outcome: 'errno', errno: 6 } },
    ],
    [
      'the upper half of a 64-bit argument is args[i] + 4 (little-endian)',
      [[ldAbs(20), [0x45, 0, 1, 0x80000000], ret(ERRNO | 11), ret(ALLOW)]],
      x64(39, 0xffffffff_00000000n),
      {
        bpf: { ret: ERRNO | 11, action: 'SCMP_ACT_ERRNO', data: 11 },
        kernel: { outcome: 'errno', errno: 11 },
      },
    ],
    [
      'an i386 query is answered by the BPF interpretation only',
      [onNr(20, ERRNO | 2)],
      i386(20),
      { bpf: { ret: ERRNO | 2, action: 'SCMP_ACT_ERRNO', data: 2 }, kernel: null },
    ],
  ])('%s', async (_name, filters, query, expected) => {
    expect(await ask(filters, query)).toEqual(expected);
  });

  it('exit_group allowed by the profile really exits the child (the only call allowed to run)', async () => {
    const a = await ask([onNr(39, ERRNO | 1)], x64(231, 0n));
    expect(a).toEqual({
      bpf: { ret: ALLOW, action: 'SCMP_ACT_ALLOW', data: 0 },
      kernel: { outcome: 'allow' },
    });
  });

  it('reports an error when the kernel rejects a filter (BPF_MOD is not allowed in seccomp)', async () => {
    const a = await ask([[[0x94, 0, 0, 3], ret(ALLOW)]], x64(39));
    expect(a.kernel).toMatchObject({ outcome: 'error', detail: expect.stringMatching(/rejected filter 0/) });
  });

  it('reports an error when an older filter refuses the seccomp() that installs a newer one', async () => {
    const a = await ask([onNr(39, ERRNO | 2), onNr(317, ERRNO)], x64(39));
    expect(a.bpf).toEqual({ ret: ERRNO | 2, action: 'SCMP_ACT_ERRNO', data: 2 });
    expect(a.kernel).toMatchObject({
      outcome: 'error',
      detail: expect.stringMatching(/cannot install filter 0/),
    });
  });

  it('answers a batch in order', async () => {
    const answers = await evalFilters([onNr(39, ERRNO | 1)], [x64(39), x64(102), i386(39)]);
    expect(answers.map((a) => a.kernel?.outcome ?? null)).toEqual(['errno', 'allow', null]);
  });
});

// ------------------------------------------------------------------------------------------------
// Filters runc really loads

/**
 * What runc init (and the Go runtime) call after the filter is loaded and before execve; a profile
 * that refuses them never gets a container started. With noNewPrivileges:true only the first line
 * is needed; with false (Docker's default) runc loads the filter early and also needs the rest,
 * including getppid and getuid.
 */
const RUNTIME_SYSCALLS = [
  ...['close', 'epoll_ctl', 'epoll_pwait', 'execve', 'exit_group', 'fcntl', 'fstatfs', 'futex', 'getdents64'],
  ...['madvise', 'mmap', 'mprotect', 'munmap', 'nanosleep', 'openat', 'prctl', 'read', 'rt_sigprocmask'],
  ...['rt_sigreturn', 'sched_yield', 'sigaltstack', 'tgkill', 'gettid', 'write', 'clone'],
  ...['capget', 'capset', 'chdir', 'fstat', 'newfstatat', 'getcwd', 'setgid', 'setgroups', 'setuid'],
];
/** Highest x86_64 number among the profile's syscalls: epoll_pwait. runc's -ENOSYS stub starts above it. */
const MAX_X86_64_NR = 281;

const PROFILE = {
  defaultAction: 'SCMP_ACT_ERRNO',
  architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  syscalls: [
    { names: RUNTIME_SYSCALLS, action: 'SCMP_ACT_ALLOW' },
    { names: ['getpid', 'execve'], action: 'SCMP_ACT_ALLOW' },
    { names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 },
    { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 8, op: 'SCMP_CMP_EQ' }] },
    { names: ['getppid'], action: 'SCMP_ACT_KILL_PROCESS' },
    { names: ['getuid'], action: 'SCMP_ACT_TRAP' },
  ],
};

describe.skipIf(!runcOk.ok && !inCI)('runc-loaded filters', () => {
  let stateRoot: string;
  let filters: BpfFilter[];

  beforeAll(async () => {
    stateRoot = mkdtempSync(path.join(os.tmpdir(), `${TEMP_PREFIX}state-`));
    // getppid/getuid are KILL/TRAP here, and runc init calls both after loading the filter unless
    // noNewPrivileges is set (then the filter is loaded right before execve).
    filters = await runcFilters(PROFILE, { noNewPrivileges: true, stateRoot });
  });

  afterAll(() => {
    if (!stateRoot) return;
    try {
      // Nothing may outlive the suite: containers, cgroups, temp dirs.
      expect(listContainers(stateRoot)).toEqual([]);
      const cgroupLeftovers = readdirSync('/sys/fs/cgroup', { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) => readdirSync(path.join('/sys/fs/cgroup', d.name)))
        .filter((n) => n.startsWith(`bw-oracle-${process.pid}-`));
      expect(cgroupLeftovers).toEqual([]);
    } finally {
      rmSync(stateRoot, { recursive: true, force: true });
    }
    const leftovers = readdirSync(os.tmpdir()).filter((n) => n.startsWith(TEMP_PREFIX));
    expect(leftovers).toEqual([]);
  });

  it('runc 1.1 loads a single filter (its -ENOSYS stub is patched into the libseccomp program)', () => {
    expect(filters).toHaveLength(1);
    expect(filters[0]?.length).toBeGreaterThan(20);
  });

  it.each<[string, OracleQuery, string, number, NonNullable<OracleAnswer['kernel']>['outcome'], number?]>([
    ['getpid: allowed', x64(39), 'SCMP_ACT_ALLOW', 0, 'allow'],
    ['mkdir: errnoRet 13', x64(83), 'SCMP_ACT_ERRNO', 13, 'errno', 13],
    ['personality(8): argument matches, allowed', x64(135, 8n), 'SCMP_ACT_ALLOW', 0, 'allow'],
    ['personality(0): argument differs, default EPERM', x64(135, 0n), 'SCMP_ACT_ERRNO', 1, 'errno', 1],
    [
      'personality(8 | 1<<32): SCMP_CMP_EQ compares all 64 bits',
      x64(135, 0x1_0000_0008n),
      'SCMP_ACT_ERRNO',
      1,
      'errno',
      1,
    ],
    ['getppid: KILL_PROCESS', x64(110), 'SCMP_ACT_KILL_PROCESS', 0, 'kill'],
    ['getuid: TRAP', x64(102), 'SCMP_ACT_TRAP', 0, 'trap', 0],
    ['chroot (unlisted, below the stub): default EPERM', x64(161), 'SCMP_ACT_ERRNO', 1, 'errno', 1],
    ['epoll_pwait (the highest listed number): allowed', x64(MAX_X86_64_NR), 'SCMP_ACT_ALLOW', 0, 'allow'],
    ['utimensat (just below it, unlisted): EPERM', x64(MAX_X86_64_NR - 1), 'SCMP_ACT_ERRNO', 1, 'errno', 1],
    [
      'signalfd (just above it): ENOSYS from the runc stub',
      x64(MAX_X86_64_NR + 1),
      'SCMP_ACT_ERRNO',
      38,
      'errno',
      38,
    ],
    ['clone3 (435): ENOSYS from the runc stub', x64(435), 'SCMP_ACT_ERRNO', 38, 'errno', 38],
    ['nr 1000: ENOSYS from the runc stub', x64(1000), 'SCMP_ACT_ERRNO', 38, 'errno', 38],
    ['x32 getpid: allowed', x64(X32_SYSCALL_BIT | 39), 'SCMP_ACT_ALLOW', 0, 'allow'],
  ])('x86_64 %s; BPF and kernel agree', async (_name, query, action, data, outcome, value) => {
    const a = await ask(filters, query);
    expect(a.bpf).toMatchObject({ action, data });
    const kernel: Record<string, unknown> = { outcome };
    if (outcome === 'errno') kernel.errno = value;
    if (outcome === 'trap') kernel.data = value;
    expect(a.kernel).toEqual(kernel);
  });

  it.each<[string, OracleQuery, string, number]>([
    ['i386 getpid (20): allowed', i386(20), 'SCMP_ACT_ALLOW', 0],
    ['i386 mkdir (39): errnoRet 13', i386(39), 'SCMP_ACT_ERRNO', 13],
    ['i386 nr 1000: ENOSYS from the runc stub', i386(1000), 'SCMP_ACT_ERRNO', 38],
    // libseccomp's default bad-arch action is SCMP_ACT_KILL (= KILL_THREAD, ret 0).
    [
      'aarch64 (not in the profile): bad-arch KILL_THREAD',
      { arch: AUDIT_ARCH_AARCH64, nr: 172, args: [] },
      'SCMP_ACT_KILL_THREAD',
      0,
    ],
  ])('%s (BPF only, kernel null)', async (_name, query, action, data) => {
    const a = await ask(filters, query);
    expect(a.bpf).toMatchObject({ action, data });
    expect(a.kernel).toBeNull();
  });

  it('BPF and kernel agree on every x86_64 and x32 number 0..600, except seccomp-exempt ones', async () => {
    const queries = [
      ...Array.from({ length: 601 }, (_, nr) => x64(nr, 8n)),
      ...Array.from({ length: 601 }, (_, nr) => x64(X32_SYSCALL_BIT | nr, 8n)),
    ];
    const started = Date.now();
    const answers = await evalFilters(filters, queries);
    const ms = Date.now() - started;
    const rows = answers.map((a, i) => ({ nr: queries[i]?.nr, a }));
    // Recent kernels (seccomp_uprobe_exception) never filter x86_64 uretprobe/uprobe: whatever the
    // BPF says, they run. Older kernels filter them like any other number.
    const bypassed = rows.filter(({ a }) => a.kernel?.bypass).map(({ nr }) => nr);
    expect(bypassed.filter((nr) => nr !== 335 && nr !== 336)).toEqual([]);
    for (const { a } of rows.filter(({ a }) => a.kernel?.bypass))
      expect(a.kernel).toEqual({ outcome: 'allow', bypass: true });
    const disagreements = rows.filter(
      ({ a }) => !a.kernel?.bypass && JSON.stringify(a.kernel) !== JSON.stringify(expectedOutcome(a.bpf)),
    );
    expect(disagreements).toEqual([]);
    expect(ms).toBeLessThan(30_000);
  });

  it('throws with runc stderr when runc rejects the config', async () => {
    await expect(runcFilters({ defaultAction: 'SCMP_ACT_BOGUS' }, { stateRoot })).rejects.toThrow(
      /SCMP_ACT_BOGUS is not a valid action/,
    );
  });

  it('throws when runc init itself trips over the profile (noNewPrivileges:false loads it early)', async () => {
    // runc init calls getppid (KILL_PROCESS here) and getuid (TRAP) after loading the filter.
    await expect(runcFilters(PROFILE, { stateRoot })).rejects.toThrow(
      /failed to start a container[^\n]*\n.*\S/,
    );
  });

  it('loads an equivalent filter with noNewPrivileges false (Docker default) and true', async () => {
    const profile = {
      ...PROFILE,
      syscalls: [
        { names: [...RUNTIME_SYSCALLS, 'getppid', 'getuid'], action: 'SCMP_ACT_ALLOW' },
        { names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 },
        { names: ['getpgrp'], action: 'SCMP_ACT_KILL_PROCESS' },
      ],
    };
    const [early, late] = [
      await runcFilters(profile, { stateRoot }),
      await runcFilters(profile, { noNewPrivileges: true, stateRoot }),
    ];
    // Not byte-equal: runc emits its -ENOSYS stub's per-arch sections in Go map order, so with
    // several native arches (x86_64 + i386 here) the bytes vary from run to run. Same decisions.
    const queries = [
      ...Array.from({ length: 500 }, (_, nr) => x64(nr)),
      ...Array.from({ length: 500 }, (_, nr) => i386(nr)),
    ];
    const [a, b] = [await evalFilters(early, queries), await evalFilters(late, queries)];
    expect(a.map((x) => x.bpf)).toEqual(b.map((x) => x.bpf));
    expect(a.slice(0, 500).map((x) => x.kernel)).toEqual(b.slice(0, 500).map((x) => x.kernel));
    expect([a[83]?.kernel, a[111]?.kernel, a[110]?.kernel]).toEqual([
      { outcome: 'errno', errno: 13 },
      { outcome: 'kill' },
      { outcome: 'allow' },
    ]);
  });
});

// crun on hybrid cgroup hosts runs in a private mount namespace (runc-oracle.ts runtimeCmd).
describe.skipIf(!crunOk.ok && !inCI)('crun-loaded filters', () => {
  it('crun loads the profile and the kernel enforces it', async () => {
    const profile = {
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: [
        { names: [...RUNTIME_SYSCALLS, 'getppid', 'getuid', 'getpid'], action: 'SCMP_ACT_ALLOW' },
        { names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 },
      ],
    };
    const filters = await runcFilters(profile, { runtime: 'crun', noNewPrivileges: true });
    const answers = await evalFilters(filters, [x64(39), x64(83)]);
    expect(answers.map((a) => a.kernel)).toEqual([{ outcome: 'allow' }, { outcome: 'errno', errno: 13 }]);
  });
});
