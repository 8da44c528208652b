import { describe, expect, it } from 'vitest';
import { compileAppArmor, evaluate } from './evaluate.js';
import { parseProfileText } from './parser.js';
import { PathResolveError, resolvePath } from './resolve-path.js';

const profile = (body: string) => {
  const { ast, diagnostics } = parseProfileText(`profile t {\n${body}\n}\n`, 't.aa');
  if (!ast) throw new Error(JSON.stringify(diagnostics));
  return compileAppArmor(ast);
};

describe('resolvePath', () => {
  it('keeps plain absolute paths and normalises . .. and //', () => {
    expect(resolvePath('/etc//./passwd').path).toBe('/etc/passwd');
    expect(resolvePath('/etc/../../etc/shadow').path).toBe('/etc/shadow');
    expect(resolvePath('passwd', { cwd: '/etc' }).path).toBe('/etc/passwd');
  });

  it('names a bind-mounted object by the path it was reached through', () => {
    const r = resolvePath('/tmp/p/sys/kernel/core_pattern', {
      mounts: [{ source: '/proc', target: '/tmp/p' }],
    });
    expect(r.path).toBe('/tmp/p/sys/kernel/core_pattern');
    expect(r.object).toBe('/proc/sys/kernel/core_pattern');
  });

  it('resolves /proc/self and /proc/thread-self to the pid, also through a bind mount of /proc', () => {
    expect(resolvePath('/proc/self/attr/current', { pid: 42 }).path).toBe('/proc/42/attr/current');
    expect(resolvePath('/proc/thread-self/mem', { pid: 42, tid: 43 }).path).toBe('/proc/42/task/43/mem');
    const r = resolvePath('/tmp/p/self/mem', { pid: 7, mounts: [{ source: '/proc', target: '/tmp/p' }] });
    expect(r.path).toBe('/tmp/p/7/mem');
    expect(r.object).toBe('/proc/7/mem');
    expect(resolvePath('/proc/self', { pid: 7, nofollow: true }).path).toBe('/proc/self');
  });

  it('follows symlinks (absolute and relative, the last component unless nofollow)', () => {
    const env = { symlinks: { '/var/run': '/run', '/etc/mtab': '../proc/self/mounts' }, pid: 9 };
    expect(resolvePath('/var/run/docker.sock', env).path).toBe('/run/docker.sock');
    expect(resolvePath('/etc/mtab', env).path).toBe('/proc/9/mounts');
    expect(resolvePath('/etc/mtab', { ...env, nofollow: true }).path).toBe('/etc/mtab');
    expect(resolvePath('/var/run/..', env).path).toBe('/');
  });

  it('reports symlink loops', () => {
    expect(() => resolvePath('/a', { symlinks: { '/a': '/b', '/b': '/a' } })).toThrow(PathResolveError);
  });
});

describe('why a deny on @{PROC} paths does not stop a write through a bind mount', () => {
  const p = profile('/** rw,\ndeny @{PROC}/sys/kernel/core_pattern w,\ndeny /proc/self/attr/** w,');
  const env = { mounts: [{ source: '/proc', target: '/tmp/p' }], pid: 100 };

  it('the direct write is denied', () => {
    const r = resolvePath('/proc/sys/kernel/core_pattern', env);
    expect(evaluate(p, { class: 'file', path: r.path, perms: 'w' }).decision).toBe('deny');
  });

  it('the same kernel object reached via /tmp/p is allowed by /** rw', () => {
    const r = resolvePath('/tmp/p/sys/kernel/core_pattern', env);
    expect(r.object).toBe('/proc/sys/kernel/core_pattern');
    const d = evaluate(p, { class: 'file', path: r.path, perms: 'w' });
    expect(d.decision).toBe('allow');
    expect(d.rule?.text).toBe('/** rw,');
  });

  it('a deny on /proc/self/... is a string match that a real write (checked as /proc/<pid>/...) never meets', () => {
    const written = '/proc/self/attr/current';
    expect(evaluate(p, { class: 'file', path: written, perms: 'w' }).decision).toBe('deny');
    const r = resolvePath(written, env);
    expect(r.path).toBe('/proc/100/attr/current');
    expect(evaluate(p, { class: 'file', path: r.path, perms: 'w' }).decision).toBe('allow');
  });
});
