import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParseError } from '../../errors.js';
import { run as check } from './apparmor-check.js';
import { run as fmt } from './apparmor-fmt.js';

let dir = '';
let out = '';
let err = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-aa-cli-'));
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  process.exitCode = undefined;
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
});
const file = (text: string) => {
  const p = join(dir, 'p.sd');
  writeFileSync(p, text);
  return p;
};

describe('apparmor fmt / check commands', () => {
  it('fmt prints the canonical form', async () => {
    await fmt(file('profile t {\n   wr /a ,\n}\n'), { include: [] });
    expect(out).toBe('profile t {\n  /a rw,\n}\n');
  });

  it('fmt refuses a file with errors', async () => {
    await expect(fmt(file('profile t {\n  /a rwz,\n}\n'), { include: [] })).rejects.toBeInstanceOf(
      ParseError,
    );
  });

  it('check --format json reports validity and diagnostics, exit code 2 when invalid', async () => {
    const p = file('profile t {\n  /a x,\n}\n');
    await check(p, { include: [dir], format: 'json' });
    const res = JSON.parse(out);
    expect(res.valid).toBe(false);
    expect(res.diagnostics[0]).toMatchObject({ code: 'apparmor-bad-exec-mode', line: 2, column: 3, file: p });
    expect(process.exitCode).toBe(2);
  });

  it('check --format table writes file:line:col diagnostics to stderr', async () => {
    const p = file('profile t {\n  capability nope,\n}\n');
    await check(p, { include: [dir], format: 'table' });
    expect(err).toContain(`${p}:2:14: error: invalid capability 'nope' [apparmor-unknown-capability]`);
    expect(process.exitCode).toBe(2);
  });

  it('check of a valid file exits 0', async () => {
    await check(file('profile t {\n  /a r,\n}\n'), { include: [dir], format: 'table' });
    expect(out).toContain('valid');
    expect(process.exitCode).toBeUndefined();
  });
});
