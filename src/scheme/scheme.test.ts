import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeWithTools } from '../../test/helpers/tools.js';
import { compileAppArmor } from '../apparmor/evaluate.js';
import { lintAppArmor } from '../apparmor/lint/index.js';
import { parseProfileText } from '../apparmor/parser.js';
import { validateWithParser } from '../apparmor/validate.js';
import { compileProfile, evaluate } from '../seccomp/evaluate.js';
import { lintProfile } from '../seccomp/lint/index.js';
import { generateAppArmor } from './apparmor.js';
import { generate } from './index.js';
import { generateSeccomp } from './seccomp.js';

const allowed = (c: ReturnType<typeof compileProfile>, syscall: string, args: bigint[] = []) =>
  evaluate(c, { arch: 'x86_64', syscall, args }).action === 'SCMP_ACT_ALLOW';

describe('generated seccomp profile', () => {
  const s = generateSeccomp({ denySetuidChmod: true });
  // A capability the workload is given must not widen the filter: compile with CAP_SYS_ADMIN too.
  const c = compileProfile(s.profile, { caps: ['CAP_SYS_ADMIN', 'CAP_DAC_READ_SEARCH', 'CAP_SYS_MODULE'] });

  it('is an allow-list with a denying default that runc loads', () => {
    expect(s.profile.defaultAction).toBe('SCMP_ACT_ERRNO');
    const ids = new Set(lintProfile(s.profile, { text: s.text }).map((f) => f.checkId));
    for (const id of [
      'not-fail-closed',
      'runtime-refuses',
      'escape-syscall-open',
      'allows-beyond-baseline',
      'shadowed-rule',
    ])
      expect(ids.has(id), id).toBe(false);
  });

  it.each(
    (
      [
        ['clone', [0x1200011n], true, 'fork'],
        ['clone', [0x3d0f00n], true, 'threads'],
        ['clone', [0x10000000n], false, 'CLONE_NEWUSER'],
        ['unshare', [0x400n], false, 'CLONE_FILES (no unshare at all)'],
        ['unshare', [0x10000000n | 0x20000n], false, 'user + mount namespace'],
        ['socket', [2n, 1n], true, 'AF_INET'],
        ['socket', [1n, 1n], true, 'AF_UNIX'],
        ['socket', [38n, 5n], false, 'AF_ALG'],
        ['socket', [17n, 3n], false, 'AF_PACKET'],
        ['socket', [40n, 1n], false, 'AF_VSOCK'],
        ['mknodat', [0n, 0n, 0o100644n], true, 'regular file'],
        ['mknodat', [0n, 0n, 0o010644n], true, 'FIFO'],
        ['mknodat', [0n, 0n, 0o060600n], false, 'block device'],
        ['mknod', [0n, 0o020600n], false, 'char device'],
        ['renameat2', [0n, 0n, 0n, 0n, 1n], true, 'RENAME_NOREPLACE'],
        ['renameat2', [0n, 0n, 0n, 0n, 2n], false, 'RENAME_EXCHANGE'],
        ['fchmodat', [0n, 0n, 0o755n], true, '0755'],
        ['fchmodat', [0n, 0n, 0o4755n], false, 'setuid'],
        ['chmod', [0n, 0o2755n], false, 'setgid'],
        ['personality', [0n], true, 'PER_LINUX'],
        ['personality', [0x0040000n], false, 'ADDR_NO_RANDOMIZE'],
        ['mount', [], false, 'mount'],
        ['open_by_handle_at', [], false, 'shocker'],
        ['init_module', [], false, 'modules'],
        ['ptrace', [16n], false, 'ptrace'],
        ['splice', [], false, 'dirty pipe'],
        ['io_uring_setup', [], false, 'io_uring'],
        ['read', [], true, 'read'],
        ['execve', [], true, 'execve'],
      ] as Array<[string, bigint[], boolean, string]>
    ).map(([n, a, w, why]) => [n, w, why, a] as const),
  )('%s -> %s (%s)', (name, want, _why, args) => {
    expect(allowed(c, name, args)).toBe(want);
  });

  it('answers clone3 with ENOSYS so libc falls back to clone', () => {
    expect(evaluate(c, { arch: 'x86_64', syscall: 'clone3' })).toMatchObject({
      action: 'SCMP_ACT_ERRNO',
      errno: 38,
    });
  });

  it('filters setuid chmod only on request (the default runs in a user namespace)', () => {
    expect(allowed(compileProfile(generateSeccomp().profile), 'fchmodat', [0n, 0n, 0o4755n])).toBe(true);
  });
});

describe('generated AppArmor profile', () => {
  const text = generateAppArmor();
  const { ast } = parseProfileText(text, 'apparmor.profile');
  const compiled = compileAppArmor(ast as NonNullable<typeof ast>, { includeDirs: [] });

  it('passes every AppArmor lint check against docker-default', () => {
    expect(lintAppArmor([compiled]).map((f) => `${f.checkId}: ${f.message}`)).toEqual([]);
  });

  it('keeps only the capabilities it is given', () => {
    const t = generateAppArmor({ capabilities: ['chown', 'sys_admin'] });
    expect(t).toContain('capability chown,');
    expect(t).toContain('deny capability sys_admin,');
    expect(t).not.toMatch(/^\s*capability [^,]*sys_admin/m);
  });

  it('refuses a profile name that could add rules', () => {
    expect(() => generateAppArmor({ name: 'x { capability, }' })).toThrow();
    expect(() => generateAppArmor({ name: 'a\nb' })).toThrow();
  });

  it('the whole scheme is consistent: AppArmor keeps exactly the runtime capabilities', () => {
    const s = generate({ capabilities: ['chown', 'kill'] });
    expect(s.runtime.capabilities).toEqual(['chown', 'kill']);
    expect(s.apparmor).toContain('capability chown kill,');
    expect(s.runtime).toMatchObject({ noNewPrivileges: true, userNamespace: true, privileged: false });
  });
});

describeWithTools('generated AppArmor profile loads in apparmor_parser', ['apparmor_parser'], {}, () => {
  it('apparmor_parser -Q -K -T accepts it (with the system tunables and abstractions)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-scheme-'));
    const file = join(dir, 'apparmor.profile');
    writeFileSync(file, generate().apparmor);
    const r = validateWithParser(file, { includeDirs: ['/etc/apparmor.d'] });
    expect(r.ok, r.stderr).toBe(true);
  });
});
