import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type SeccompProfile, withoutPositions } from '../model.js';
import { ProfileFormatError } from './print.js';
import { parseSpoProfile, parseSpoProfiles, printSpoProfile, type SpoEnvelope } from './spo.js';

const REF = new URL('../../../../shared/reference/spo-examples/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, REF), 'utf8');

function mustParse(text: string): SeccompProfile {
  const r = parseSpoProfile(text, 'p.yaml');
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.profile as SeccompProfile;
}

describe.each([
  ['baseprofile-runc.yaml', 1],
  ['seccompprofile.yaml', 4],
  ['seccompprofile-allowed-syscalls-validation.yaml', 4],
  ['apparmorprofile.yaml', 0],
])('reference %s', (name, count) => {
  const text = read(name);
  const { profiles, diagnostics } = parseSpoProfiles(text, name);

  it(`reads ${count} SeccompProfile document(s), skipping other kinds`, () => {
    expect(profiles).toHaveLength(count);
    if (count === 0) expect(diagnostics.map((d) => d.code)).toEqual(['spo-no-seccomp-profile']);
    else expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('round-trips every profile through printSpoProfile', () => {
    for (const p of profiles) {
      expect(p.format).toBe('spo');
      expect(p.spo?.kind).toBe('SeccompProfile');
      expect(p.spo?.apiVersion).toMatch(/^security-profiles-operator\.x-k8s\.io\//);
      const printed = printSpoProfile(p);
      const again = mustParse(printed);
      expect(withoutPositions(again)).toEqual(withoutPositions(p));
      expect(printSpoProfile(again)).toBe(printed);
    }
  });
});

describe('parseSpoProfile', () => {
  const multi = read('seccompprofile.yaml');

  it('refuses to guess among several profiles, and picks one by name', () => {
    const r = parseSpoProfile(multi, 'm.yaml');
    expect(r.profile).toBeUndefined();
    expect(r.diagnostics.find((d) => d.severity === 'error')?.code).toBe('spo-multiple-profiles');
    const one = parseSpoProfile(multi, 'm.yaml', { name: 'profile-complain-unsafe' });
    expect(one.profile?.defaultAction).toBe('SCMP_ACT_LOG');
    expect(parseSpoProfile(multi, 'm.yaml', { name: 'nope' }).diagnostics.at(-1)?.code).toBe(
      'spo-profile-not-found',
    );
  });

  it('keeps metadata, baseProfileName and exact 64-bit values', () => {
    const text = `apiVersion: security-profiles-operator.x-k8s.io/v1beta1
kind: SeccompProfile
metadata:
  name: demo
  namespace: ns
  labels: {app: x}
spec:
  baseProfileName: runc-v1.4.2
  defaultAction: SCMP_ACT_ERRNO
  architectures: [SCMP_ARCH_X86_64]
  syscalls:
    - action: SCMP_ACT_ALLOW
      names: [personality]
      args:
        - {index: 0, value: 18446744073709551615, op: SCMP_CMP_EQ}
        - {index: 1, value: 0xff, valueTwo: 0x0f, op: SCMP_CMP_MASKED_EQ}
`;
    const r = parseSpoProfile(text, 'demo.yaml');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['spo-base-profile']);
    const p = r.profile as SeccompProfile;
    expect(p.spo?.metadata).toEqual({ name: 'demo', namespace: 'ns', labels: { app: 'x' } });
    expect((p.spo as SpoEnvelope).spec?.baseProfileName).toBe('runc-v1.4.2');
    expect(p.syscalls[0]?.args.map((a) => [a.value, a.valueTwo])).toEqual([
      [18446744073709551615n, 0n],
      [255n, 15n],
    ]);
    expect(p.syscalls[0]?.namePos?.[0]).toMatchObject({ line: 13, column: 15 });
    const printed = printSpoProfile(p);
    expect(printed).toContain('value: 18446744073709551615\n');
    expect(printed).toContain('baseProfileName: runc-v1.4.2');
    expect(withoutPositions(mustParse(printed))).toEqual(withoutPositions(p));
  });

  it('bounds alias expansion', () => {
    const bomb = `apiVersion: security-profiles-operator.x-k8s.io/v1beta1
kind: SeccompProfile
metadata: {name: b}
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
spec:
  defaultAction: SCMP_ACT_ERRNO
`;
    const r = parseSpoProfile(bomb, 'bomb.yaml');
    expect(r.profile).toBeUndefined();
    expect(r.diagnostics.some((d) => d.code === 'yaml-syntax')).toBe(true);
  });

  it('never throws on hostile input', () => {
    for (const t of [
      '',
      '---',
      'kind: SeccompProfile',
      'kind: SeccompProfile\nspec: 5',
      'kind: SeccompProfile\nspec:\n  syscalls: {}',
      '[1, 2',
      '{a: 1, a: 2}\nkind: SeccompProfile',
    ]) {
      const r = parseSpoProfile(t, 'x.yaml');
      expect(r.profile).toBeUndefined();
      expect(r.diagnostics.length).toBeGreaterThan(0);
    }
  });
});

describe('printSpoProfile', () => {
  it('refuses Docker-only constructs', () => {
    const p: SeccompProfile = {
      format: 'docker',
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: [],
      flags: [],
      syscalls: [
        { names: ['mount'], action: 'SCMP_ACT_ALLOW', args: [], excludes: { caps: ['CAP_SYS_ADMIN'] } },
      ],
    };
    expect(() => printSpoProfile(p)).toThrow(ProfileFormatError);
  });

  it('wraps a profile without an envelope in a default one', () => {
    const p: SeccompProfile = {
      format: 'oci',
      defaultAction: 'SCMP_ACT_LOG',
      architectures: [],
      flags: [],
      syscalls: [],
    };
    const printed = printSpoProfile(p, { name: 'mine' });
    expect(printed).toBe(
      'apiVersion: security-profiles-operator.x-k8s.io/v1beta1\nkind: SeccompProfile\nmetadata:\n  name: mine\nspec:\n  defaultAction: SCMP_ACT_LOG\n',
    );
  });
});
