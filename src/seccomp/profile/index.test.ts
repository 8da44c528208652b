import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError, UsageError } from '../../errors.js';
import { withoutPositions } from '../model.js';
import { detectFormat, loadProfile, parseProfile, printProfile } from './index.js';

describe('detectFormat', () => {
  it.each([
    ['{"ociVersion": "1.2.0", "linux": {}}', 'oci'],
    ['{"linux": {"seccomp": {}}}', 'oci'],
    [
      '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}',
      'oci',
    ],
    ['{"defaultAction": "SCMP_ACT_ALLOW", "archMap": []}', 'docker'],
    [
      '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"name": "read", "action": "SCMP_ACT_ALLOW"}]}',
      'docker',
    ],
    [
      '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [], "action": "X", "comment": "c"}]}',
      'docker',
    ],
    ['\ufeff  // c\n{"defaultAction": "x"}', 'oci'],
    ['{ broken', 'docker'],
    ['[]', 'docker'],
    ['apiVersion: x\nkind: SeccompProfile\n', 'spo'],
    ['---\nkind: AppArmorProfile\n---\nkind: "SeccompProfile"\n', 'spo'],
    ['kind: Pod\n', undefined],
    ['', undefined],
  ])('%j -> %s', (text, want) => {
    expect(detectFormat(text)).toBe(want);
  });
});

describe('parseProfile / printProfile', () => {
  const docker =
    '{"defaultAction":"SCMP_ACT_ERRNO","archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":null}],"syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}';

  it('dispatches on the detected or the given format', () => {
    expect(parseProfile(docker, 'a.json').profile?.format).toBe('docker');
    expect(parseProfile(docker, 'a.json', 'oci').diagnostics.map((d) => d.code)).toEqual([
      'oci-docker-only-key',
    ]);
    expect(parseProfile('kind: Pod', 'a.yaml').diagnostics.map((d) => d.code)).toEqual([
      'profile-unknown-format',
    ]);
  });

  it('converts between formats when the model allows it', () => {
    const oci = parseProfile(
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}',
      'a.json',
    );
    const p = oci.profile;
    expect(p?.format).toBe('oci');
    if (!p) return;
    for (const f of ['docker', 'oci', 'spo'] as const) {
      const again = parseProfile(printProfile(p, f), `x.${f}`, 'auto').profile;
      expect(again?.format).toBe(f === 'docker' ? 'oci' : f); // a Docker file with only OCI fields reads as OCI
      const { format: _a, spo: _b, ...rest } = withoutPositions(again ?? p);
      const { format: _c, spo: _d, ...orig } = withoutPositions(p);
      expect(rest).toEqual(orig);
    }
  });
});

describe('loadProfile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-profile-'));

  it('returns the profile and its warnings', async () => {
    const path = join(dir, 'ok.json');
    writeFileSync(
      path,
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","read"],"action":"SCMP_ACT_ALLOW"}]}',
    );
    const { profile, diagnostics } = await loadProfile(path);
    expect(profile.source).toBe(path);
    expect(diagnostics.map((d) => d.code)).toEqual(['seccomp-duplicate-rule']);
  });

  it('throws ParseError carrying every diagnostic when one is an error', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(
      path,
      '{"defaultAction":"SCMP_ACT_NOPE","syscalls":[{"names":["opne"],"action":"SCMP_ACT_ALLOW"}]}',
    );
    const err = await loadProfile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect((err as ParseError).diagnostics.map((d) => d.code)).toEqual([
      'seccomp-unknown-action',
      'seccomp-unknown-syscall',
    ]);
    expect((err as ParseError).message).toContain(`${path}:1:18: error: unknown defaultAction`);
  });

  it('throws UsageError for a file it cannot read', async () => {
    await expect(loadProfile(join(dir, 'missing.json'))).rejects.toBeInstanceOf(UsageError);
  });
});
