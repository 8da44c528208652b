import { describe, expect, it } from 'vitest';
import type { SeccompProfile, SyscallRule } from '../model.js';
import { suggestFrom, validateProfile } from './validate.js';

const profile = (syscalls: SyscallRule[], extra: Partial<SeccompProfile> = {}): SeccompProfile => ({
  format: 'oci',
  defaultAction: 'SCMP_ACT_ERRNO',
  architectures: ['SCMP_ARCH_X86_64'],
  flags: [],
  syscalls,
  ...extra,
});
const rule = (
  names: string[],
  action: SyscallRule['action'] = 'SCMP_ACT_ALLOW',
  extra: Partial<SyscallRule> = {},
): SyscallRule => ({
  names,
  action,
  args: [],
  ...extra,
});
const codes = (p: SeccompProfile) => validateProfile(p).map((d) => `${d.severity}:${d.code}`);

describe('validateProfile', () => {
  it('works on models without positions (falls back to the profile / 1:1)', () => {
    const d = validateProfile(profile([rule(['read'], 'SCMP_ACT_BOGUS' as never)]));
    expect(d).toEqual([
      expect.objectContaining({ code: 'seccomp-unknown-action', file: '<profile>', line: 1, column: 1 }),
    ]);
  });

  it('treats SCMP_ACT_KILL and KILL_THREAD as the same action (duplicate, not conflict)', () => {
    expect(
      codes(profile([rule(['ptrace'], 'SCMP_ACT_KILL'), rule(['ptrace'], 'SCMP_ACT_KILL_THREAD')])),
    ).toEqual(['warning:seccomp-duplicate-rule']);
  });

  it('compares arg conditions regardless of order, and ERRNO without errnoRet as EPERM', () => {
    const a = { index: 0, value: 1n, valueTwo: 0n, op: 'SCMP_CMP_EQ' as const };
    const b = { index: 1, value: 2n, valueTwo: 0n, op: 'SCMP_CMP_NE' as const };
    expect(
      codes(
        profile([
          rule(['kill'], 'SCMP_ACT_ALLOW', { args: [a, b] }),
          rule(['kill'], 'SCMP_ACT_LOG', { args: [b, a] }),
        ]),
      ),
    ).toEqual(['error:seccomp-conflicting-rule']);
    expect(
      codes(profile([rule(['kill'], 'SCMP_ACT_ERRNO'), rule(['kill'], 'SCMP_ACT_ERRNO', { errnoRet: 1 })])),
    ).toEqual(['warning:seccomp-duplicate-rule']);
    // Different conditions: no finding.
    expect(
      codes(
        profile([
          rule(['kill'], 'SCMP_ACT_ALLOW', { args: [a] }),
          rule(['kill'], 'SCMP_ACT_LOG', { args: [b] }),
        ]),
      ),
    ).toEqual([]);
  });

  it('compares rules with selectors only when the selectors are identical', () => {
    const inc = { caps: ['CAP_SYS_ADMIN'] };
    expect(
      codes(
        profile([rule(['mount'], 'SCMP_ACT_ALLOW', { includes: inc }), rule(['mount'], 'SCMP_ACT_ERRNO')]),
      ),
    ).toEqual([]);
    expect(
      codes(
        profile([
          rule(['mount'], 'SCMP_ACT_ALLOW', { includes: inc }),
          rule(['mount'], 'SCMP_ACT_KILL_PROCESS', { includes: { caps: ['CAP_SYS_ADMIN'] } }),
        ]),
      ),
      // unconditional: libseccomp keeps the first rule (db_rule_add), so only a warning
    ).toEqual(['warning:seccomp-conflicting-rule']);
  });

  it('limits per-arch checks to the arches a Docker selector picks', () => {
    const archMap = [
      { architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] },
      { architecture: 'SCMP_ARCH_AARCH64', subArchitectures: ['SCMP_ARCH_ARM'] },
    ];
    const p = profile([rule(['arch_prctl'], 'SCMP_ACT_ALLOW', { includes: { arches: ['amd64'] } })], {
      architectures: [],
      archMap,
    });
    expect(codes(p)).toEqual([]);
    const unrestricted = validateProfile(profile([rule(['arch_prctl'])], { architectures: [], archMap }));
    expect(unrestricted).toHaveLength(1);
    expect(unrestricted[0]?.message).toContain('aarch64, arm');
  });

  it('checks errno ranges per action', () => {
    expect(codes(profile([rule(['read'], 'SCMP_ACT_TRACE', { errnoRet: 65535 })]))).toEqual([]);
    // libseccomp refuses SCMP_ACT_ERRNO(x) for x >= 4095 (checked against runc in test/oracle)
    expect(codes(profile([rule(['read'], 'SCMP_ACT_ERRNO', { errnoRet: 4094 })]))).toEqual([]);
    expect(codes(profile([rule(['read'], 'SCMP_ACT_ERRNO', { errnoRet: 4095 })]))).toEqual([
      'error:seccomp-bad-errno',
    ]);
    expect(codes(profile([rule(['read'], 'SCMP_ACT_ERRNO', { errnoRet: 65537 })]))).toEqual([
      'error:seccomp-bad-errno',
    ]);
    expect(codes(profile([], { defaultAction: 'SCMP_ACT_TRACE', defaultErrnoRet: 70000 }))).toEqual([
      'error:seccomp-bad-errno',
    ]);
  });
});

describe('suggestFrom', () => {
  it('handles case and a missing prefix', () => {
    expect(suggestFrom('allow', ['SCMP_ACT_ALLOW', 'SCMP_ACT_LOG'], 'SCMP_ACT_')).toBe('SCMP_ACT_ALLOW');
    expect(suggestFrom('scmp_act_log', ['SCMP_ACT_ALLOW', 'SCMP_ACT_LOG'])).toBe('SCMP_ACT_LOG');
    expect(suggestFrom('zzzzzzzzzz', ['SCMP_ACT_ALLOW'])).toBeUndefined();
  });
});
