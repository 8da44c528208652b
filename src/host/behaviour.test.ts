import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithTools } from '../../test/helpers/tools.js';
import { probeRuncLeakedFd } from './behaviour.js';

/** A stand-in runtime: `run` prints what a runc with (or without) the fd leak would show. */
function fakeRunc(dir: string, name: string, runBody: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `#!/bin/sh\n# args: --root DIR run --bundle B ID | --root DIR delete -f ID\ncase "$3" in run) ${runBody} ;; *) exit 0 ;; esac\n`,
  );
  chmodSync(file, 0o755);
  return file;
}

describe('probeRuncLeakedFd decides from what the runtime did', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-fake-runc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a container started with its cwd outside the root is "vulnerable"', async () => {
    const runc = fakeRunc(
      dir,
      'leaky',
      `grep -q '/proc/self/fd/7"' "$5/config.json" && { echo '(unreachable)/sys/fs/cgroup'; exit 0; }; echo 'level=error msg="mkdir x: not a directory"' >&2; exit 1`,
    );
    const r = await probeRuncLeakedFd(runc);
    expect(r.verdict).toBe('vulnerable');
    expect(r.evidence).toContain('/proc/self/fd/7');
  });

  it('refusals for every descriptor are "fixed"', async () => {
    const runc = fakeRunc(
      dir,
      'fixed',
      `echo 'level=error msg="runc run failed: x: y: possible container breakout detected"' >&2; exit 1`,
    );
    expect((await probeRuncLeakedFd(runc)).verdict).toBe('fixed');
  });

  it('a missing binary is "inconclusive", never "fixed"', async () => {
    const r = await probeRuncLeakedFd(join(dir, 'no-such-runc'));
    expect(r.verdict).toBe('inconclusive');
    expect(r.evidence).toMatch(/could not be run/);
  });
});

describeWithTools('host --probe against the installed runc', ['runc', 'busybox'], { root: true }, () => {
  it('runs the CVE-2024-21626 re-creation and gets an answer', async () => {
    const r = await probeRuncLeakedFd();
    // Debian's 1.1.5+ds1-1+deb12u1 carries the backported fix; any answer but "inconclusive" is a real probe.
    expect(r.verdict, r.evidence).not.toBe('inconclusive');
  });
});
