/**
 * The CLI as users run it: exit codes (0 clean / 1 findings / 2 usage or parse error), machine
 * output on stdout only, diagnostics with file:line:column on stderr, never a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dockerDefault = join(root, 'data', 'baselines', 'docker-default.json');
const tmp = mkdtempSync(join(tmpdir(), 'bw-e2e-'));

function bw(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'breakwater.js'), ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

describe('breakwater seccomp eval', () => {
  it('decides one syscall and names the rule (json)', () => {
    const r = bw([
      'seccomp',
      'eval',
      dockerDefault,
      '--syscall',
      'clone',
      '--args',
      '0x10000000',
      '--caps',
      'CAP_SYS_ADMIN',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d).toMatchObject({
      arch: 'x86_64',
      syscall: 'clone',
      nr: 56,
      action: 'SCMP_ACT_ALLOW',
      source: 'rule',
    });
    expect(d.rule).toMatchObject({ name: 'clone', file: dockerDefault });
    expect(d.rule.line).toBeGreaterThan(1);
  });

  it('denies CLONE_NEWUSER without CAP_SYS_ADMIN, with EPERM from the default action', () => {
    const r = bw([
      'seccomp',
      'eval',
      dockerDefault,
      '--syscall',
      'clone',
      '--args',
      '0x10000000',
      '--format',
      'json',
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({
      action: 'SCMP_ACT_ERRNO',
      errno: 1,
      source: 'default',
      rule: null,
    });
  });

  it('streams queries, reporting a bad line with its number and going on', () => {
    const queries = [
      '{"arch":"x86_64","syscall":"mount","args":["0x0"]}',
      'not json',
      '{"arch":"x32","syscall":"read"}',
      '{"syscall":"clone3","caps":["CAP_SYS_ADMIN"]}',
      '{"syscall":"nosuchcall"}',
    ].join('\n');
    const r = bw(['seccomp', 'eval', dockerDefault, '--queries', '-'], queries);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ syscall: 'mount', action: 'SCMP_ACT_ERRNO', errno: 1 });
    expect(lines[1]).toMatchObject({ line: 2 });
    expect(lines[2]).toMatchObject({ arch: 'x32', nr: 0x40000000, action: 'SCMP_ACT_ALLOW' });
    expect(lines[3]).toMatchObject({ syscall: 'clone3', action: 'SCMP_ACT_ALLOW' });
    expect(lines[4]).toMatchObject({ line: 5 });
    expect(r.stderr).toContain('<stdin>:2:1: error:');
    expect(r.stderr).toContain('<stdin>:5:1: error:');
    expect(r.code).toBe(2);
  });

  it('keeps 64-bit arguments exact', () => {
    const p = file(
      'big.json',
      '{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":18446744073709551615,"op":"SCMP_CMP_EQ"}]}]}',
    );
    expect(
      JSON.parse(
        bw(['seccomp', 'eval', p, '--syscall', 'read', '--args', '18446744073709551615', '--format', 'json'])
          .stdout,
      ).action,
    ).toBe('SCMP_ACT_ALLOW');
    expect(
      JSON.parse(
        bw(['seccomp', 'eval', p, '--syscall', 'read', '--args', '18446744073709551614', '--format', 'json'])
          .stdout,
      ).action,
    ).toBe('SCMP_ACT_ERRNO');
  });

  it('bad profile: diagnostics with file:line:column on stderr, exit 2, no stack trace', () => {
    const p = file(
      'bad.json',
      '{\n  "defaultAction": "SCMP_ACT_ALOW",\n  "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 7, "value": 1, "op": "SCMP_CMP_EQ"}]}]\n}\n',
    );
    const r = bw(['seccomp', 'eval', p, '--syscall', 'read']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(`${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:20: error: .*SCMP_ACT_ALLOW`),
    );
    expect(r.stderr).toMatch(/:3:\d+: error: .*index/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('usage errors exit 2', () => {
    expect(bw(['seccomp', 'eval', dockerDefault]).code).toBe(2);
    expect(bw(['seccomp', 'eval', dockerDefault, '--syscall', 'read', '--args', 'zz']).code).toBe(2);
    expect(bw(['seccomp', 'eval', dockerDefault, '--syscall', 'read', '--arch', 'vax']).code).toBe(2);
    expect(bw(['seccomp', 'nosuch']).code).toBe(2);
    expect(bw(['seccomp', 'eval', join(tmp, 'missing.json'), '--syscall', 'read']).code).toBe(2);
  });
});

describe('breakwater seccomp syscalls', () => {
  it('prints the x32 table with the x32 bit', () => {
    const r = bw(['seccomp', 'syscalls', '--arch', 'x32', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)[0]).toEqual({ name: 'read', nr: 0x40000000 });
  });
});

describe('breakwater seccomp lint', () => {
  it('reports escape syscalls in docker-default as SARIF and exits 1 at --fail-on high', () => {
    const r = bw(['seccomp', 'lint', dockerDefault, '--format', 'sarif', '--fail-on', 'high']);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const ids = sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId);
    expect(ids).toContain('escape-syscall-open');
  });

  it('exits 0 when nothing reaches --fail-on', () => {
    expect(bw(['seccomp', 'lint', dockerDefault, '--fail-on', 'critical']).code).toBe(0);
  });

  it('flags a deny-list profile as not fail-closed, pointing at the line', () => {
    const p = file(
      'denylist.json',
      '{\n  "defaultAction": "SCMP_ACT_ALLOW",\n  "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ERRNO"}]\n}\n',
    );
    const r = bw(['seccomp', 'lint', p, '--format', 'json']);
    expect(r.code).toBe(1);
    const f = JSON.parse(r.stdout).findings.find((x: { checkId: string }) => x.checkId === 'not-fail-closed');
    expect(f).toMatchObject({ file: p, line: 2, severity: 'high' });
  });
});

describe('breakwater seccomp diff', () => {
  it('lists what changes between docker and podman defaults', () => {
    const podman = join(root, 'data', 'baselines', 'podman-default.json');
    const r = bw(['seccomp', 'diff', dockerDefault, podman, '--format', 'json']);
    expect(r.code).toBe(0);
    const { changes } = JSON.parse(r.stdout);
    // podman answers ENOSYS by default where docker answers EPERM
    expect(changes.some((c: { syscall: string; after: { errno?: number } }) => c.syscall === 'mount')).toBe(
      true,
    );
    expect(changes.length).toBeGreaterThan(10);
  });
});

describe('breakwater seccomp print', () => {
  it('resolves a Docker profile to the OCI object dockerd would hand to runc', () => {
    const r = bw(['seccomp', 'print', dockerDefault, '--to', 'oci', '--caps', 'CAP_SYS_ADMIN']);
    expect(r.code).toBe(0);
    const oci = JSON.parse(r.stdout);
    expect(oci.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    expect(oci.syscalls.some((s: { names: string[] }) => s.names.includes('mount'))).toBe(true);
    expect(JSON.stringify(oci)).not.toContain('includes');
  });
});

describe('breakwater simulate (what `npm start` runs)', () => {
  it('exits 0, prints the matrix on stdout and writes both reports', () => {
    const out = join(tmp, 'report');
    const r = bw(['simulate', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^breakwater blocks \d+\/\d+ container-side techniques/m);
    expect(r.stderr).toContain(`wrote ${join(out, 'report.json')}`);
  });

  it('an unreadable custom profile is exit 2 with the file named, not a stack trace', () => {
    const r = bw(['simulate', '--no-write', '--apparmor', file('bad.aa', 'profile x {\n  /a rwz,\n}\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.aa:2:\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('breakwater apparmor lint', () => {
  it('exits 1 on a critical finding and points at the rule', () => {
    const p = file('loose.aa', 'profile loose {\n  /proc/** rw,\n}\n');
    const r = bw(['apparmor', 'lint', p, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.some((f: { line: number }) => f.line === 2)).toBe(true);
  });
});
