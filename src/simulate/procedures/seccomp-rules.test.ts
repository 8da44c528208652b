import { describe, expect, it } from 'vitest';
import type { SeccompProfile } from '../../seccomp/model.js';
import { breakwaterDefence, dockerDefaultDefence } from '../defence.js';
import { seccompRulesText } from './seccomp-rules.js';

const profile = (
  syscalls: SeccompProfile['syscalls'],
  defaultAction: SeccompProfile['defaultAction'] = 'SCMP_ACT_ERRNO',
): SeccompProfile => ({
  format: 'docker',
  defaultAction,
  architectures: ['SCMP_ARCH_X86_64'],
  flags: [],
  syscalls,
});

describe('seccompRulesText', () => {
  it('writes the default, then one line per name with its conditions', () => {
    const text = seccompRulesText(
      profile([
        { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW', args: [] },
        {
          names: ['clone'],
          action: 'SCMP_ACT_ALLOW',
          args: [{ index: 0, value: 2114060288n, valueTwo: 0n, op: 'SCMP_CMP_MASKED_EQ' }],
        },
        { names: ['ptrace'], action: 'SCMP_ACT_ERRNO', errnoRet: 13, args: [] },
      ]),
      [],
    );
    expect(text).toBe(
      'default errno 1\nallow read\nallow write\nallow clone 0 masked_eq 2114060288 0\nerrno 13 ptrace\n',
    );
  });

  it('splits conditions on one argument into separate rules (OR), as runc does for libseccomp', () => {
    const text = seccompRulesText(
      profile([
        {
          names: ['personality'],
          action: 'SCMP_ACT_ALLOW',
          args: [
            { index: 0, value: 0n, valueTwo: 0n, op: 'SCMP_CMP_EQ' },
            { index: 0, value: 8n, valueTwo: 0n, op: 'SCMP_CMP_EQ' },
          ],
        },
        {
          names: ['socket'],
          action: 'SCMP_ACT_ALLOW',
          args: [
            { index: 0, value: 1n, valueTwo: 0n, op: 'SCMP_CMP_EQ' },
            { index: 1, value: 1n, valueTwo: 0n, op: 'SCMP_CMP_EQ' },
          ],
        },
      ]),
      [],
    );
    expect(text.split('\n')).toEqual([
      'default errno 1',
      'allow personality 0 eq 0',
      'allow personality 0 eq 8',
      'allow socket 0 eq 1 1 eq 1',
      '',
    ]);
  });

  it('resolves includes/excludes for the container capabilities, as dockerd does', () => {
    const p = profile([
      { names: ['mount'], action: 'SCMP_ACT_ALLOW', args: [], includes: { caps: ['CAP_SYS_ADMIN'] } },
    ]);
    expect(seccompRulesText(p, [])).not.toContain('mount');
    expect(seccompRulesText(p, ['CAP_SYS_ADMIN'])).toContain('allow mount');
  });

  it('maps TRACE to ENOSYS (no tracer attached) and refuses actions the lab cannot reproduce', () => {
    expect(seccompRulesText(profile([{ names: ['x'], action: 'SCMP_ACT_TRACE', args: [] }]), [])).toContain(
      'errno 38 x',
    );
    expect(() =>
      seccompRulesText(profile([{ names: ['x'], action: 'SCMP_ACT_NOTIFY', args: [] }]), []),
    ).toThrow(/no lab equivalent/);
  });

  it('writes the shipped profiles without error, every rule line well-formed', () => {
    for (const d of [dockerDefaultDefence(), breakwaterDefence()]) {
      const caps = [...d.capabilities].map((c) => `CAP_${c.toUpperCase()}`);
      const lines = seccompRulesText(d.seccomp as SeccompProfile, caps)
        .trim()
        .split('\n');
      expect(lines[0]).toBe('default errno 1');
      for (const l of lines.slice(1))
        expect(l).toMatch(
          /^(allow|errno \d+|kill|trap|log) \w+( \d (eq|ne|lt|le|gt|ge) \d+| \d masked_eq \d+ \d+)*$/,
        );
      expect(lines.length).toBeGreaterThan(300);
    }
  });
});
