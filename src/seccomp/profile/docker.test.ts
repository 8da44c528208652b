import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type SeccompProfile, withoutPositions } from '../model.js';
import { parseDockerProfile, printDockerProfile } from './docker.js';

const REF = new URL('../../../../shared/reference/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, REF), 'utf8');

function mustParse(text: string, file = 'p.json'): SeccompProfile {
  const r = parseDockerProfile(text, file);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(r.profile).toBeDefined();
  return r.profile as SeccompProfile;
}

describe.each(['docker-default-seccomp.json', 'podman-default-seccomp.json'])('reference %s', (name) => {
  const text = read(name);
  const p = mustParse(text, name);

  it('parses with warnings only, all of them positioned', () => {
    const { diagnostics } = parseDockerProfile(text, name);
    for (const d of diagnostics) {
      expect(d.severity).toBe('warning');
      expect(d.line).toBeGreaterThan(0);
    }
  });

  it('keeps every rule, name position and arg condition', () => {
    const raw = JSON.parse(text) as { syscalls: Array<{ names: string[]; args?: unknown[] }> };
    expect(p.syscalls).toHaveLength(raw.syscalls.length);
    p.syscalls.forEach((r, i) => {
      expect(r.names).toEqual(raw.syscalls[i]?.names);
      expect(r.args).toHaveLength(raw.syscalls[i]?.args?.length ?? 0);
      expect(r.namePos).toHaveLength(r.names.length);
      expect(r.pos?.file).toBe(name);
    });
    // Positions point at the name's string in the source.
    const lines = text.split('\n');
    const r0 = p.syscalls[0];
    const np = r0?.namePos?.[0];
    expect(lines[(np?.line ?? 0) - 1]?.slice((np?.column ?? 0) - 1)).toMatch(
      new RegExp(`^"${r0?.names[0]}"`),
    );
  });

  it('round-trips: parse -> print -> parse gives the same model', () => {
    const printed = printDockerProfile(p);
    const again = mustParse(printed);
    expect(withoutPositions(again)).toEqual(withoutPositions(p));
    // Printing is stable.
    expect(printDockerProfile(again)).toBe(printed);
  });

  it('prints what upstream says, in moby key order', () => {
    const printed = JSON.parse(printDockerProfile(p));
    const upstream = JSON.parse(text);
    // podman's `errno`/`defaultErrno` names are not in the model (Docker ignores them), and podman writes
    // empty `args`/`comment` and zero `valueTwo` that moby (and we) omit; normalize those to compare.
    delete upstream.defaultErrno;
    for (const r of upstream.syscalls) {
      delete r.errno;
      if (r.comment === '') delete r.comment;
      if (Array.isArray(r.args) && r.args.length === 0) delete r.args;
      for (const a of r.args ?? []) if (a.valueTwo === 0) delete a.valueTwo;
    }
    expect(printed).toEqual(upstream);
    expect(Object.keys(printed)).toEqual(Object.keys(upstream));
  });
});

describe('parseDockerProfile', () => {
  it('keeps 18446744073709551615 exact and prints it as a JSON integer', () => {
    const text = JSON.stringify({
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [
        {
          names: ['personality'],
          action: 'SCMP_ACT_ALLOW',
          args: [{ index: 0, value: 1, op: 'SCMP_CMP_EQ' }],
        },
      ],
    }).replace('"value":1', '"value":18446744073709551615');
    const p = mustParse(text);
    expect(p.syscalls[0]?.args[0]?.value).toBe(18446744073709551615n);
    const printed = printDockerProfile(p);
    expect(printed).toContain('"value": 18446744073709551615,');
    expect(printed).not.toContain('"18446744073709551615"');
    expect(mustParse(printed).syscalls[0]?.args[0]?.value).toBe(18446744073709551615n);
  });

  it('accepts the legacy singular "name", archMap, selectors, comments and listener fields', () => {
    const p = mustParse(
      JSON.stringify({
        defaultAction: 'SCMP_ACT_ERRNO',
        defaultErrnoRet: 38,
        archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] }],
        flags: ['SECCOMP_FILTER_FLAG_LOG'],
        listenerPath: '/run/notify.sock',
        listenerMetadata: 'meta',
        syscalls: [
          { name: 'read', action: 'SCMP_ACT_ALLOW', comment: 'why' },
          {
            names: ['mount'],
            action: 'SCMP_ACT_NOTIFY',
            includes: { caps: ['CAP_SYS_ADMIN'], arches: ['amd64'], minKernel: '5.0' },
            excludes: { caps: ['CAP_SYS_BOOT'] },
          },
        ],
      }),
    );
    expect(p).toMatchObject({
      format: 'docker',
      defaultErrnoRet: 38,
      archMap: [{ architecture: 'SCMP_ARCH_X86_64', subArchitectures: ['SCMP_ARCH_X86', 'SCMP_ARCH_X32'] }],
      architectures: [],
      flags: ['SECCOMP_FILTER_FLAG_LOG'],
      listenerPath: '/run/notify.sock',
      listenerMetadata: 'meta',
    });
    expect(p.syscalls[0]).toMatchObject({ names: ['read'], comment: 'why', args: [] });
    expect(p.syscalls[1]?.includes).toEqual({ caps: ['CAP_SYS_ADMIN'], arches: ['amd64'], minKernel: '5.0' });
    expect(withoutPositions(mustParse(printDockerProfile(p)))).toEqual(withoutPositions(p));
  });

  it('warns about unknown keys (Docker ignores them) but still returns the profile', () => {
    const text =
      '{"defaultAction":"SCMP_ACT_ALLOW","bogus":1,"syscalls":[{"names":["read"],"action":"SCMP_ACT_ERRNO","x":2}]}';
    const r = parseDockerProfile(text, 'p.json');
    expect(r.profile).toBeDefined();
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.column])).toEqual([
      ['seccomp-unknown-key', 'warning', text.indexOf('"bogus"') + 1],
      ['seccomp-unknown-key', 'warning', text.indexOf('"x"') + 1],
    ]);
  });

  it('fails closed: an unknown action yields no profile', () => {
    const text =
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["ptrace"],"action":"SCMP_ACT_DENY"}]}';
    const r = parseDockerProfile(text, 'p.json');
    expect(r.profile).toBeUndefined();
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'seccomp-unknown-action',
        severity: 'error',
        line: 1,
        column: text.indexOf('"SCMP_ACT_DENY"') + 1,
      }),
    ]);
  });

  it('never throws on hostile input', () => {
    for (const t of [
      '',
      'null',
      '[]',
      '"x"',
      '{"syscalls": 5}',
      '{"defaultAction": 1}',
      '{"syscalls":[null, 1, {"args": 3}]}',
      '{'.repeat(5000),
    ]) {
      const r = parseDockerProfile(t, 'p.json');
      expect(r.profile).toBeUndefined();
      expect(r.diagnostics.length).toBeGreaterThan(0);
    }
  });

  it('omits absent optional fields when printing', () => {
    const p = mustParse(
      '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}',
    );
    expect(printDockerProfile(p)).toBe(
      '{\n  "defaultAction": "SCMP_ACT_ERRNO",\n  "syscalls": [\n    {\n      "names": [\n        "read"\n      ],\n      "action": "SCMP_ACT_ALLOW"\n    }\n  ]\n}\n',
    );
  });
});
