import { describe, expect, it } from 'vitest';
import { captureCli } from '../../../test/helpers/cli-capture.js';
import { ParseError } from '../../errors.js';
import { run as check } from './apparmor-check.js';
import { run as fmt } from './apparmor-fmt.js';

const cli = captureCli('bw-aa-cli-');
const file = (text: string) => cli.write('p.sd', text);

describe('apparmor fmt / check commands', () => {
  it('fmt prints the canonical form', async () => {
    await fmt(file('profile t {\n   wr /a ,\n}\n'), { include: [] });
    expect(cli.out).toBe('profile t {\n  /a rw,\n}\n');
  });

  it('fmt refuses a file with errors', async () => {
    await expect(fmt(file('profile t {\n  /a rwz,\n}\n'), { include: [] })).rejects.toBeInstanceOf(
      ParseError,
    );
  });

  it('check --format json reports validity and diagnostics, exit code 2 when invalid', async () => {
    const p = file('profile t {\n  /a x,\n}\n');
    await check(p, { include: [cli.dir], format: 'json' });
    const res = JSON.parse(cli.out);
    expect(res.valid).toBe(false);
    expect(res.diagnostics[0]).toMatchObject({ code: 'apparmor-bad-exec-mode', line: 2, column: 3, file: p });
    expect(process.exitCode).toBe(2);
  });

  it('check --format table writes file:line:col diagnostics to stderr', async () => {
    const p = file('profile t {\n  capability nope,\n}\n');
    await check(p, { include: [cli.dir], format: 'table' });
    expect(cli.err).toContain(`${p}:2:14: error: invalid capability 'nope' [apparmor-unknown-capability]`);
    expect(process.exitCode).toBe(2);
  });

  it('check of a valid file exits 0', async () => {
    await check(file('profile t {\n  /a r,\n}\n'), { include: [cli.dir], format: 'table' });
    expect(cli.out).toContain('valid');
    expect(process.exitCode).toBeUndefined();
  });
});
