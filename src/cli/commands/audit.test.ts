import { truncateSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { captureCli } from '../../../test/helpers/cli-capture.js';
import { sarifValidator } from '../../../test/helpers/sarif-schema.js';
import { MAX_FILE_BYTES } from '../../audit/files.js';
import { UsageError } from '../../errors.js';
import { run as audit } from './audit.js';

const cli = captureCli('bw-audit-');
const flags = (over: Record<string, unknown> = {}) => ({ format: 'json', failOn: 'high', ...over });

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  hostPID: true
  containers:
    - name: c
      image: busybox
      securityContext:
        privileged: true
`;

describe('audit command', () => {
  it('reports findings with technique ids, CVEs, fix and position; exit 1 at --fail-on', async () => {
    const p = cli.write('pod.yaml', POD);
    await audit([p], flags());
    const { findings } = JSON.parse(cli.out);
    const priv = findings.find((f: { checkId: string }) => f.checkId === 'privileged');
    expect(priv).toMatchObject({ file: p, line: 11, severity: 'critical' });
    expect(priv.data.techniques).toContain('privileged-mount-host-disk');
    expect(priv.data.fix).toMatch(/Remove privileged/);
    expect(process.exitCode).toBe(1);
  });

  it('recurses folders and detects kinds by content, whatever the file is called', async () => {
    cli.write('a/notes.txt', POD);
    cli.write('a/b/run.cmd', 'docker run --privileged alpine\n');
    cli.write('a/b/random.bin', 'no workload here\n');
    await audit([cli.dir], flags({ failOn: 'none' }));
    const files = new Set(
      JSON.parse(cli.out).findings.map((f: { file: string }) => f.file.slice(cli.dir.length + 1)),
    );
    expect(files).toEqual(new Set(['a/notes.txt', 'a/b/run.cmd']));
    expect(cli.err).toContain('audit-unknown-kind');
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('a broken file gives positioned diagnostics and exit 2, while the others are still audited', async () => {
    const bad = cli.write('bad.yaml', 'apiVersion: v1\nkind: Pod\nspec: [unclosed\n');
    const good = cli.write('good.yaml', POD);
    await audit([bad, good], flags({ failOn: 'none' }));
    expect(cli.err).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+`));
    expect(JSON.parse(cli.out).findings.some((f: { file: string }) => f.file === good)).toBe(true);
    expect(process.exitCode).toBe(2);
  });

  it('a file past the size limit is reported (not read, not silently skipped), the rest audited', async () => {
    const big = cli.write('big.yaml', '');
    truncateSync(big, MAX_FILE_BYTES + 1); // sparse: costs no disk or memory
    const good = cli.write('good.yaml', POD);
    await audit([big, good], flags({ failOn: 'none' }));
    expect(cli.err).toContain('audit-too-large');
    expect(JSON.parse(cli.out).findings.some((f: { file: string }) => f.file === good)).toBe(true);
    expect(process.exitCode).toBe(2);
  });

  it('writes SARIF 2.1.0 the official schema accepts', async () => {
    await audit([cli.write('pod.yaml', POD)], flags({ format: 'sarif', failOn: 'none' }));
    const log = JSON.parse(cli.out);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0].results.length).toBeGreaterThan(0);
  });

  it('refuses no paths, an unknown --kind and an unknown check', async () => {
    await expect(audit([], flags())).rejects.toBeInstanceOf(UsageError);
    await expect(audit([cli.write('p.yaml', POD)], flags({ kind: 'helm' }))).rejects.toBeInstanceOf(
      UsageError,
    );
    await expect(audit([cli.write('p.yaml', POD)], flags({ checks: 'nope' }))).rejects.toBeInstanceOf(
      UsageError,
    );
  });
});
