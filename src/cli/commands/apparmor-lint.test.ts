import { describe, expect, it } from 'vitest';
import { captureCli } from '../../../test/helpers/cli-capture.js';
import { sarifValidator } from '../../../test/helpers/sarif-schema.js';
import { ParseError, UsageError } from '../../errors.js';
import { run as lint } from './apparmor-lint.js';

const cli = captureCli('bw-aa-lint-');
const base = { include: [] as string[], baseline: 'docker-default', format: 'json', failOn: 'high' };

describe('apparmor lint command', () => {
  it('reports findings as JSON with file:line:column and exits 1 at --fail-on', async () => {
    const p = cli.write('loose.aa', 'profile loose {\n  /etc/** r,\n  /proc/** rw,\n}\n');
    await lint(p, base);
    const { findings } = JSON.parse(cli.out);
    const core = findings.find((f: { checkId: string }) => f.checkId === 'writable-core-pattern');
    expect(core).toMatchObject({ file: p, line: 3, column: 3, severity: 'critical' });
    expect(core.data.profile).toBe('loose');
    expect(process.exitCode).toBe(1);
  });

  it('exits 0 below the threshold and lints every profile in the file', async () => {
    const p = cli.write(
      'two.aa',
      'profile a {\n  /srv/** r,\n}\nprofile b flags=(complain) {\n  /srv/** r,\n}\n',
    );
    await lint(p, { ...base, failOn: 'critical' });
    const { findings } = JSON.parse(cli.out);
    expect(findings.map((f: { checkId: string; line: number }) => [f.checkId, f.line])).toEqual([
      ['complain-mode', 4],
    ]);
    expect(process.exitCode ?? 0).toBe(0);
    expect(cli.err).toContain('1 finding(s) in 2 profile(s)');
  });

  it('--profile picks one; --checks runs only those', async () => {
    const p = cli.write('two.aa', 'profile a {\n  mount,\n}\nprofile b flags=(complain) {\n  mount,\n}\n');
    await lint(p, { ...base, profile: 'a', checks: 'complain-mode,mount-allowed' });
    const ids = JSON.parse(cli.out).findings.map((f: { checkId: string }) => f.checkId);
    expect(ids).toEqual(['mount-allowed']);
  });

  it('compares with a baseline file', async () => {
    const b = cli.write('base.aa', 'profile strict {\n  /** r,\n}\n');
    const p = cli.write('p.aa', 'profile p {\n  /srv/** rw,\n}\n');
    await lint(p, { ...base, baseline: b, checks: 'allows-beyond-baseline' });
    const [f] = JSON.parse(cli.out).findings;
    expect(f).toMatchObject({ checkId: 'allows-beyond-baseline', line: 2 });
    expect(f.message).toContain('which strict denies');
  });

  it('writes SARIF the official 2.1.0 schema accepts, with every check as a rule', async () => {
    const p = cli.write('loose.aa', 'profile loose {\n  capability,\n  /usr/bin/x ux,\n}\n');
    await lint(p, { ...base, format: 'sarif' });
    const log = JSON.parse(cli.out);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain('unconfined-exec');
    expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual([
      'dangerous-capability',
      'unconfined-exec',
    ]);
  });

  it('a parse error is a ParseError with positions (exit 2); an unknown check a UsageError', async () => {
    const bad = cli.write('bad.aa', 'profile x {\n  /a rwz,\n}\n');
    await expect(lint(bad, base)).rejects.toBeInstanceOf(ParseError);
    const ok = cli.write('ok.aa', 'profile x {\n  /a r,\n}\n');
    await expect(lint(ok, { ...base, checks: 'nope' })).rejects.toBeInstanceOf(UsageError);
  });
});
