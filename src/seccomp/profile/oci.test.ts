import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type SeccompProfile, withoutPositions } from '../model.js';
import { parseDockerProfile } from './docker.js';
import { parseOciSeccomp, printOciSeccomp } from './oci.js';
import { ProfileFormatError } from './print.js';

const bare = {
  defaultAction: 'SCMP_ACT_ERRNO',
  defaultErrnoRet: 1,
  architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'],
  flags: ['SECCOMP_FILTER_FLAG_SPEC_ALLOW'],
  listenerPath: '/run/l.sock',
  syscalls: [
    { names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' },
    { names: ['mount'], action: 'SCMP_ACT_NOTIFY' },
    { names: ['personality'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 8, op: 'SCMP_CMP_EQ' }] },
  ],
};

function mustParse(text: string): SeccompProfile {
  const r = parseOciSeccomp(text, 'config.json');
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.profile as SeccompProfile;
}

describe('parseOciSeccomp', () => {
  it('reads a bare linux.seccomp object and round-trips it', () => {
    const p = mustParse(JSON.stringify(bare, null, 2));
    expect(p.format).toBe('oci');
    expect(p.syscalls).toHaveLength(3);
    const printed = printOciSeccomp(p);
    expect(JSON.parse(printed)).toEqual(bare);
    expect(withoutPositions(mustParse(printed))).toEqual(withoutPositions(p));
  });

  it('finds linux.seccomp in a whole config.json, positions relative to the whole file', () => {
    const config = {
      ociVersion: '1.2.0',
      process: { args: ['sh'] },
      linux: { namespaces: [], seccomp: bare },
    };
    const text = JSON.stringify(config, null, 2);
    const p = mustParse(text);
    const lines = text.split('\n');
    const pos = p.syscalls[2]?.args[0]?.pos;
    expect(pos).toBeDefined();
    expect(lines[(pos?.line ?? 0) - 1]?.slice((pos?.column ?? 0) - 1)).toBe('{');
    expect(lines[pos?.line ?? 0]).toContain('"index": 0');
    expect(withoutPositions(p)).toEqual(withoutPositions(mustParse(JSON.stringify(bare))));
  });

  it('reports a config without linux.seccomp as an error', () => {
    for (const config of [
      { ociVersion: '1.2.0' },
      { ociVersion: '1.2.0', linux: {} },
      { linux: { seccomp: null } },
    ]) {
      const r = parseOciSeccomp(JSON.stringify(config), 'config.json');
      expect(r.profile).toBeUndefined();
      expect(r.diagnostics.map((d) => d.code)).toEqual(['oci-no-seccomp']);
    }
  });

  it('refuses Docker-only keys instead of letting runc ignore them', () => {
    const r = parseOciSeccomp(JSON.stringify({ ...bare, archMap: [] }), 'config.json');
    expect(r.profile).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toContain('oci-docker-only-key');
  });
});

describe('printOciSeccomp', () => {
  const docker = (extra: object) =>
    parseDockerProfile(JSON.stringify({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [], ...extra }), 'd.json')
      .profile as SeccompProfile;

  it('throws a typed error for includes/excludes/archMap rather than dropping them', () => {
    const withSelector = docker({
      syscalls: [{ names: ['mount'], action: 'SCMP_ACT_ALLOW', includes: { caps: ['CAP_SYS_ADMIN'] } }],
    });
    expect(() => printOciSeccomp(withSelector)).toThrow(ProfileFormatError);
    expect(() => printOciSeccomp(withSelector)).toThrow(/syscalls\[0\]\.includes.*Resolve the profile/s);
    const withArchMap = docker({ archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: null }] });
    expect(() => printOciSeccomp(withArchMap)).toThrow(/archMap/);
  });

  it('prints the Docker reference once resolved-free parts are absent', () => {
    const text = readFileSync(
      new URL('../../../../shared/reference/docker-default-seccomp.json', import.meta.url),
      'utf8',
    );
    const p = parseDockerProfile(text, 'd.json').profile as SeccompProfile;
    const stripped: SeccompProfile = {
      ...p,
      archMap: undefined,
      syscalls: p.syscalls
        .filter((r) => !r.includes && !r.excludes)
        .map((r) => ({ ...r, comment: undefined })),
    };
    const again = mustParse(printOciSeccomp(stripped));
    expect(withoutPositions(again)).toEqual(withoutPositions({ ...stripped, format: 'oci' }));
  });
});
