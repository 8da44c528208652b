/**
 * Ordinary workloads (shell, file I/O, an HTTP server on loopback, fork/exec, resolver files, log
 * rotation, privilege drops, durable writes, a package install, /proc reads) in real runc and crun
 * containers built from each defence: every one must work, above all under `breakwater`. A failure
 * prints the workload's stderr (it runs with `set -x`, so the last command shows what broke).
 */
import { expect, it } from 'vitest';
import { describeWithTools } from '../../../test/helpers/tools.js';
import { CAPABILITY_NAMES } from '../../apparmor/tables.js';
import { BENIGN } from '../benign/index.js';
import { builtinDefence } from '../defence.js';
import {
  BENIGN_ROOTFS,
  type BenignResult,
  NOT_REPRODUCED,
  REAL_BENIGN_WORKLOADS,
  runBenignWorkloads,
} from './benign.js';
import { labContainer } from './engine.js';
import { runContainer } from './run.js';

const tail = (s: string, n = 12) => s.trim().split('\n').slice(-n).join('\n    ');

function failures(rs: readonly BenignResult[]): string[] {
  return rs
    .filter((r) => !r.ok)
    .map((r) => `${r.workload} under ${r.defence} (${r.runtime}): ${r.error}\n    ${tail(r.stderr)}`);
}

it('every model benign workload is exercised for real or says why not', () => {
  const covered = new Set(REAL_BENIGN_WORKLOADS.flatMap((w) => w.covers));
  const known = new Set(BENIGN.map((b) => b.id));
  for (const id of covered) expect(known, `covers unknown workload ${id}`).toContain(id);
  for (const id of Object.keys(NOT_REPRODUCED)) expect(known).toContain(id);
  const missing = BENIGN.map((b) => b.id).filter((id) => !covered.has(id) && !(id in NOT_REPRODUCED));
  expect(missing).toEqual([]);
  for (const w of REAL_BENIGN_WORKLOADS) expect(w.script.trimEnd().endsWith(`echo '${w.marker}'`)).toBe(true);
});

for (const runtime of ['runc', 'crun'] as const)
  describeWithTools(
    `benign workloads work in real containers (${runtime})`,
    [runtime, 'gcc', 'unshare', 'nsenter', 'timeout'],
    { root: true },
    () => {
      it.each(['none', 'docker-default', 'breakwater'])(
        '%s: every workload exits 0 with its marker',
        async (id) => {
          const rs = await runBenignWorkloads(builtinDefence(id), runtime);
          const failed = failures(rs);
          if (failed.length) console.error(`benign workloads that failed:\n${failed.join('\n')}`);
          expect(failed).toEqual([]);
          expect(rs.map((r) => r.workload)).toEqual(REAL_BENIGN_WORKLOADS.map((w) => w.id));
        },
        120_000,
      );

      it('breakwater is really on while they run (filter, no-new-privileges, capabilities, lo up)', async () => {
        const lab = await labContainer(builtinDefence('breakwater'));
        const r = await runContainer(
          {
            ...lab.spec,
            args: [
              '/bin/sh',
              '-c',
              "grep -E '^(Seccomp|NoNewPrivs|CapEff):' /proc/self/status; ip -o link show lo",
            ],
            loopbackUp: true,
          },
          { runtime, rootfs: BENIGN_ROOTFS },
        );
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/^Seccomp:\s+2$/m);
        expect(r.stdout).toMatch(/^NoNewPrivs:\s+1$/m);
        const mask = lab.spec.capabilities.reduce(
          (m, c) => m | (1n << BigInt(CAPABILITY_NAMES.indexOf(c.slice(4).toLowerCase()))),
          0n,
        );
        expect(lab.spec.capabilities.length).toBeGreaterThan(0);
        expect(r.stdout).toContain(`CapEff:\t${mask.toString(16).padStart(16, '0')}`);
        expect(r.stdout).toMatch(/lo: <LOOPBACK,UP/);
      });
    },
  );
