import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DiffEntry, diffCompiled, diffProfiles, MAX_VECTORS, sampleArgs, sysEntry } from './diff.js';
import { compileProfile, evaluate } from './evaluate.js';
import type { SeccompProfile } from './model.js';
import { parseDockerProfile } from './profile/docker.js';

/** JSON text for a profile object; bigints are written as exact integer literals (not lossy doubles). */
function profile(obj: unknown, file = 'test.json'): SeccompProfile {
  const text = JSON.stringify(obj, (_k, v) => (typeof v === 'bigint' ? `@big:${v}` : v), 2).replace(
    /"@big:(\d+)"/g,
    '$1',
  );
  const r = parseDockerProfile(text, file);
  if (!r.profile) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.profile;
}
const load = (f: string): SeccompProfile => {
  const r = parseDockerProfile(readFileSync(new URL(`../../${f}`, import.meta.url), 'utf8'), f);
  if (!r.profile) throw new Error(`cannot parse ${f}`);
  return r.profile;
};

const ALLOW = { action: 'SCMP_ACT_ALLOW' } as const;
const EPERM = { action: 'SCMP_ACT_ERRNO', errno: 1 } as const;

/** Re-evaluate an entry's claim: the two profiles really decide as it says for its arguments. */
function confirm(a: SeccompProfile, b: SeccompProfile, entries: DiffEntry[]): void {
  const ca = compileProfile(a);
  const cb = compileProfile(b);
  for (const e of entries) {
    const args = (e.args ?? []).map((h) => BigInt(h));
    const da = evaluate(ca, { arch: e.arch, syscall: e.nr, args });
    const db = evaluate(cb, { arch: e.arch, syscall: e.nr, args });
    expect({ action: da.action, errno: da.errno }).toEqual({ errno: undefined, ...e.before });
    expect({ action: db.action, errno: db.errno }).toEqual({ errno: undefined, ...e.after });
    expect(e.before).not.toEqual(e.after);
  }
}

describe('diffProfiles', () => {
  it('finds nothing between a profile and itself', () => {
    const docker = load('data/baselines/docker-default.json');
    expect(diffProfiles(docker, docker)).toEqual([]);
  });

  it('reports an unconditional change once, without arguments', () => {
    const a = profile({
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [{ names: ['read', 'write', 'close'], action: 'SCMP_ACT_ALLOW' }],
    });
    const b = profile({
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [{ names: ['read', 'close'], action: 'SCMP_ACT_ALLOW' }],
    });
    // close (3) stays the largest named syscall, so runc's ENOSYS stub covers the same range in both
    // and write (1) falls to b's default, EPERM.
    expect(diffProfiles(a, b)).toEqual([
      { arch: 'x86_64', syscall: 'write', nr: 1, before: ALLOW, after: EPERM },
    ]);
  });

  it("sees runc's ENOSYS stub move when the largest named syscall changes", () => {
    // runc builds its stub only for the arches the profile lists, so list one.
    const base = { defaultAction: 'SCMP_ACT_ERRNO', architectures: ['SCMP_ARCH_X86_64'] };
    const a = profile({ ...base, syscalls: [{ names: ['write', 'close'], action: 'SCMP_ACT_ALLOW' }] });
    const b = profile({ ...base, syscalls: [{ names: ['write'], action: 'SCMP_ACT_ALLOW' }] });
    // b names nothing above write (1), so its stub answers ENOSYS from 2 up: close (3) goes from
    // allowed to ENOSYS, and open (2) from a's default EPERM to ENOSYS.
    expect(diffProfiles(a, b)).toEqual([
      {
        arch: 'x86_64',
        syscall: 'open',
        nr: 2,
        before: EPERM,
        after: { action: 'SCMP_ACT_ERRNO', errno: 38 },
      },
      {
        arch: 'x86_64',
        syscall: 'close',
        nr: 3,
        before: ALLOW,
        after: { action: 'SCMP_ACT_ERRNO', errno: 38 },
      },
    ]);
  });

  it('lists exactly the argument values whose decision changes for conditional rules', () => {
    const rule = (value: number) => ({
      names: ['personality', 'exit'],
      action: 'SCMP_ACT_ALLOW',
      args: [{ index: 0, value, op: 'SCMP_CMP_EQ' }],
    });
    const a = profile({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [rule(8)] });
    const b = profile({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [rule(0)] });
    const d = diffProfiles(a, b).filter((e) => e.syscall === 'personality');
    expect(d.map((e) => [e.args, e.before, e.after])).toEqual([
      [['0x0'], EPERM, ALLOW],
      [['0x8'], ALLOW, EPERM],
    ]);
    confirm(a, b, d);
  });

  it('compares the union of both profiles arches; a missing arch is the bad-arch kill', () => {
    const rules = [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }];
    const a = profile({
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64'],
      syscalls: rules,
    });
    const b = profile({
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'],
      syscalls: rules,
    });
    const d = diffProfiles(a, b);
    expect(new Set(d.map((e) => e.arch))).toEqual(new Set(['x86']));
    expect(d.every((e) => e.before.action === 'SCMP_ACT_KILL_THREAD' && e.args === undefined)).toBe(true);
    // x86's read is 3: it is allowed in b; everything else on x86 gets b's default or runc's ENOSYS stub
    expect(d.find((e) => e.syscall === 'read')?.after).toEqual(ALLOW);
    confirm(a, b, d.slice(0, 20));
  });

  it('is symmetric: swapping the profiles swaps before and after', () => {
    const docker = load('data/baselines/docker-default.json');
    const podman = load('data/baselines/podman-default.json');
    const ab = diffProfiles(docker, podman);
    const ba = diffProfiles(podman, docker);
    expect(ba).toEqual(ab.map((e) => ({ ...e, before: e.after, after: e.before })));
  });

  it('docker-default vs podman-default: podman answers ENOSYS where docker answers EPERM', () => {
    const docker = load('data/baselines/docker-default.json');
    const podman = load('data/baselines/podman-default.json');
    const d = diffProfiles(docker, podman);
    // podman's defaultErrnoRet is ENOSYS (38): syscalls both deny differ only in errno
    const errnoOnly = d.filter(
      (e) => e.before.action === 'SCMP_ACT_ERRNO' && e.before.errno === 1 && e.after.errno === 38,
    );
    expect(errnoOnly.length).toBeGreaterThan(10);
    // both profiles carry the same archMap entry for x86_64 hosts
    expect(new Set(d.map((e) => e.arch))).toEqual(new Set(['x86_64', 'x86', 'x32']));
    // clone is conditional in docker (no namespace flags) and unconditional in podman
    const clone = d.filter((e) => e.arch === 'x86_64' && e.syscall === 'clone');
    expect(clone.length).toBeGreaterThan(0);
    expect(clone.every((e) => e.args !== undefined)).toBe(true);
    // docker allows clone only when (flags & 0x7e020000) == 0, podman always: each listed flags value
    // must carry one of those namespace bits
    expect(clone.every((e) => (BigInt(e.args?.[0] ?? 0) & 0x7e020000n) !== 0n)).toBe(true);
    confirm(docker, podman, d);
  });
});

describe('sampleArgs', () => {
  it('gives one all-zero vector when no rule conditions the syscall', () => {
    const c = compileProfile(
      profile({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] }),
    );
    expect(sampleArgs([sysEntry(c, 'x86_64', 0)], 64)).toEqual([[]]);
  });

  it('keeps arguments 32-bit on 32-bit arches', () => {
    const c = compileProfile(
      profile({
        defaultAction: 'SCMP_ACT_ERRNO',
        architectures: ['SCMP_ARCH_X86'],
        syscalls: [
          {
            names: ['personality'],
            action: 'SCMP_ACT_ALLOW',
            args: [{ index: 0, value: 8, op: 'SCMP_CMP_GE' }],
          },
        ],
      }),
    );
    const v = sampleArgs([sysEntry(c, 'x86', 136)], 32);
    expect(v.length).toBeGreaterThan(1);
    expect(v.every((args) => args.every((x) => x <= 0xffffffffn))).toBe(true);
  });

  it('varies one argument at a time when the full product would exceed the cap', () => {
    // six arguments, each compared against three thresholds by three rules: ~7 classes per argument,
    // so the full product (~7^6) is far beyond the cap
    const rules = [1000, 2000, 3000].map((t) => ({
      names: ['read'],
      action: 'SCMP_ACT_ALLOW',
      args: [0, 1, 2, 3, 4, 5].map((index) => ({ index, value: t + index, op: 'SCMP_CMP_GE' })),
    }));
    const c = compileProfile(profile({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: rules }));
    const v = sampleArgs([sysEntry(c, 'x86_64', 0)], 64);
    const distinct = [0, 1, 2, 3, 4, 5].map((i) => new Set(v.map((args) => args[i])).size);
    expect(distinct.reduce((a, b) => a * b, 1)).toBeGreaterThan(MAX_VECTORS);
    expect(v.length).toBeLessThanOrEqual(MAX_VECTORS);
    expect(v.every((args) => args.filter((x) => x !== 0n).length <= 1)).toBe(true);
  });
});

/**
 * Completeness, checked against the evaluator on random profiles: whenever the two profiles decide a
 * random argument vector differently, the diff must have an entry for that syscall showing that very
 * change. This is what "boundary values are exact enough" means.
 */
describe('diff completeness (property)', () => {
  const OPS = [
    'SCMP_CMP_EQ',
    'SCMP_CMP_NE',
    'SCMP_CMP_LT',
    'SCMP_CMP_LE',
    'SCMP_CMP_GT',
    'SCMP_CMP_GE',
  ] as const;
  const VALUES = [0n, 1n, 7n, 8n, 0xffffffffn, 0x100000000n, 0x100000008n, 0xffffffffffffffffn];
  const MASKS = [0x10000000n, 0x7e020000n, 0xff00n, 0xffffffff00000000n];
  const cond = fc.oneof(
    fc.record({
      index: fc.integer({ min: 0, max: 1 }),
      value: fc.constantFrom(...VALUES),
      op: fc.constantFrom(...OPS),
    }),
    // MASKED_EQ: (arg & value) == valueTwo, with valueTwo either 0 or the whole mask
    fc
      .record({ index: fc.integer({ min: 0, max: 1 }), value: fc.constantFrom(...MASKS), full: fc.boolean() })
      .map(({ index, value, full }) => ({
        index,
        value,
        valueTwo: full ? value : 0n,
        op: 'SCMP_CMP_MASKED_EQ',
      })),
  );
  const rule = fc.record({
    names: fc.constant(['personality']),
    action: fc.constantFrom('SCMP_ACT_ALLOW', 'SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_TRAP'),
    args: fc.array(cond, { maxLength: 2 }),
  });
  const prof = fc.array(rule, { minLength: 1, maxLength: 3 }).map((syscalls) => ({
    defaultAction: 'SCMP_ACT_ERRNO',
    syscalls: [...syscalls, { names: ['exit'], action: 'SCMP_ACT_ALLOW' }],
  }));
  // Mostly values right next to the constants (where a sloppy sampler would miss a region), plus any value.
  const MAX = 0xffffffffffffffffn;
  const near = fc
    .tuple(fc.constantFrom(...VALUES), fc.constantFrom(-1n, 0n, 1n))
    .map(([v, d]) => (v + d < 0n ? 0n : v + d > MAX ? MAX : v + d));
  const flagged = fc.tuple(near, fc.constantFrom(...MASKS)).map(([v, m]) => v | m);
  const argValue = fc.oneof(near, flagged, fc.bigInt({ min: 0n, max: MAX }));

  it('every difference on random arguments appears in the diff', () => {
    fc.assert(
      fc.property(prof, prof, fc.tuple(argValue, argValue), (pa, pb, args) => {
        let ca: ReturnType<typeof compileProfile>;
        let cb: ReturnType<typeof compileProfile>;
        try {
          ca = compileProfile(profile(pa, 'a.json'));
          cb = compileProfile(profile(pb, 'b.json'));
        } catch {
          return; // runc refuses conflicting rules (EEXIST); nothing to compare
        }
        const da = evaluate(ca, { arch: 'x86_64', syscall: 'personality', args });
        const db = evaluate(cb, { arch: 'x86_64', syscall: 'personality', args });
        if (da.action === db.action && da.errno === db.errno) return;
        const entries = diffCompiled(ca, cb).filter((e) => e.syscall === 'personality');
        const shows = entries.some(
          (e) =>
            e.before.action === da.action &&
            e.before.errno === da.errno &&
            e.after.action === db.action &&
            e.after.errno === db.errno,
        );
        expect(shows).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
