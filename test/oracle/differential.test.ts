/**
 * The evaluator against the real thing. runc (1.1, Debian) loads each profile into a real
 * container; the oracle reads back the exact BPF the kernel holds (runc's -ENOSYS stub and
 * libseccomp's code included), interprets it for every query, and for x86_64/x32 queries also lets
 * the running kernel decide (the call is stopped before it runs). Every disagreement fails with
 * both answers printed.
 */
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { decisionLabel, readEvalTables } from '../../src/seccomp/eval-cases.js';
import { compileProfile, evaluate, kernelBypass, ProfileLoadError } from '../../src/seccomp/evaluate.js';
import { loadKnownSyscalls } from '../../src/seccomp/known.js';
import type { SeccompProfile } from '../../src/seccomp/model.js';
import { parseProfile, printProfile } from '../../src/seccomp/profile/index.js';
import { resolveProfile } from '../../src/seccomp/resolve.js';
import { archInfo, syscallTable } from '../../src/seccomp/syscalls/index.js';
import type { CompileOptions, SeccompDecision } from '../../src/seccomp/types.js';
import { describeWithTools } from '../helpers/tools.js';
import { type OciSeccomp, profileArb, queriesFor, toJson } from './gen-profile.js';
import { evalFilters, type OracleAnswer, type RawJson, runcFilters } from './runc-oracle.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = join(root, 'test', 'corpus', 'seccomp-eval');
/** The libseccomp runc was built with on this machine: Debian 12's 2.5.4. */
const known = loadKnownSyscalls(join(root, 'data', 'libseccomp', 'known-syscalls-2.5.4.txt'));
const RANDOM_PROFILES = Number(process.env.BW_DIFF_PROFILES ?? 100);
/** The running kernel: it decides which calls bypass seccomp (see evaluate.ts kernelBypass). */
const HOST_KERNEL = /^(\d+\.\d+)/.exec(release())?.[1] ?? '6.1';
const hostBypass = kernelBypass(HOST_KERNEL);

/** The OCI linux.seccomp object dockerd would hand runc, as exact JSON, parsed back for the oracle. */
function ociFor(profile: SeccompProfile, ctx: CompileOptions): unknown {
  const { syscalls, ...rest } = resolveProfile(profile, ctx);
  const text = printProfile({ ...rest, syscalls: syscalls.map(({ index: _i, ...r }) => r) }, 'oci');
  return { rawJson: text } satisfies RawJson;
}

function oracleLabel(a: OracleAnswer): string {
  const errno = a.bpf.action === 'SCMP_ACT_ERRNO' ? Math.min(a.bpf.data, 4095) : a.bpf.data;
  return decisionLabel(a.bpf.action, errno);
}

/** What the running kernel should show the caller for our decision. */
function kernelExpectation(d: SeccompDecision): string {
  switch (d.action) {
    case 'SCMP_ACT_ALLOW':
    case 'SCMP_ACT_LOG':
      return 'allow';
    case 'SCMP_ACT_ERRNO':
      return `errno(${d.errno})`;
    case 'SCMP_ACT_TRAP':
      return 'trap';
    case 'SCMP_ACT_KILL_PROCESS':
    case 'SCMP_ACT_KILL_THREAD':
      return 'kill';
    case 'SCMP_ACT_TRACE':
      return `trace(${d.errno})`;
    case 'SCMP_ACT_NOTIFY':
      return 'errno(38)'; // no listener: the kernel answers ENOSYS
  }
}

function kernelLabel(a: OracleAnswer): string | undefined {
  const k = a.kernel;
  if (!k) return undefined;
  if (k.outcome === 'errno') return `errno(${k.errno})`;
  if (k.outcome === 'trace') return `trace(${k.data})`;
  return k.outcome;
}

interface Probe {
  arch: SeccompDecision['arch'];
  nr: number;
  args: bigint[];
  where: string;
  /** From an expectation table: what the kernel must answer. */
  expected?: string;
  /** A known gap of the model: only the table is checked against the kernel. */
  todo?: boolean;
}

/** Decide every probe with both the model and the oracle; return the disagreements, printed. */
async function compare(
  profile: SeccompProfile,
  ctx: CompileOptions,
  probes: Probe[],
): Promise<{ disagreements: string[]; kernelChecked: number }> {
  const compiled = compileProfile(profile, { ...ctx, knownSyscalls: known });
  const filters = await runcFilters(ociFor(profile, ctx), { noNewPrivileges: true });
  const answers = await evalFilters(
    filters,
    probes.map((p) => ({ arch: archInfo(p.arch).audit, nr: p.nr, args: p.args })),
  );
  const disagreements: string[] = [];
  let kernelChecked = 0;
  probes.forEach((p, i) => {
    const a = answers[i] as OracleAnswer;
    const d = evaluate(compiled, { arch: p.arch, syscall: p.nr, args: p.args });
    const ours = decisionLabel(d.action, d.errno);
    const theirs = oracleLabel(a);
    const call = `${p.arch} nr=${p.nr}${d.syscall ? ` (${d.syscall})` : ''} args=[${p.args.map((x) => `0x${x.toString(16)}`).join(',')}]`;
    if (p.expected !== undefined && d.source !== 'kernel-bypass' && p.expected !== theirs) {
      disagreements.push(`${p.where}: ${call}: table ${p.expected}, BPF ${theirs}`);
    }
    if (p.todo) return;
    // A call the kernel never shows to seccomp is decided by no BPF: only the kernel can confirm it.
    if (d.source !== 'kernel-bypass' && ours !== theirs) {
      disagreements.push(`${p.where}: ${call}: model ${ours} (${d.source}), BPF ${theirs}`);
    }
    const k = kernelLabel(a);
    if (k !== undefined) {
      kernelChecked++;
      // The table may model another host kernel; this one decides what bypasses seccomp here.
      const expected = p.arch === 'x86_64' && hostBypass.has(p.nr) ? 'allow' : kernelExpectation(d);
      if (k !== expected) disagreements.push(`${p.where}: ${call}: model ${ours}, kernel ${k}`);
    }
  });
  return { disagreements, kernelChecked };
}

function loadProfile(path: string): SeccompProfile {
  const { profile, diagnostics } = parseProfile(readFileSync(path, 'utf8'), path);
  if (!profile) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return profile;
}

describeWithTools('kernel differential: expectation tables', ['gcc', 'runc'], { root: true }, () => {
  for (const table of readEvalTables(corpus)) {
    it(`${table.name}: model = runc-loaded BPF = kernel, and the table is right`, async () => {
      const profile = loadProfile(table.profilePath);
      const byContext = new Map<string, typeof table.cases>();
      for (const c of table.cases) {
        const key = JSON.stringify(c.context);
        byContext.set(key, [...(byContext.get(key) ?? []), c]);
      }
      const all: string[] = [];
      for (const cases of byContext.values()) {
        const ctx = cases[0]?.context ?? {};
        const { known: _known, ...rest } = ctx;
        const { disagreements } = await compare(
          profile,
          { arch: ctx.host ?? 'x86_64', ...rest },
          cases.map((c) => ({
            arch: c.arch,
            nr: c.nr,
            args: c.args,
            where: `${table.name}.tsv:${c.line}`,
            expected: c.expected,
            todo: c.todo,
          })),
        );
        all.push(...disagreements);
      }
      expect(all).toEqual([]);
    });
  }
});

describeWithTools('kernel differential: random adversarial profiles', ['gcc', 'runc'], { root: true }, () => {
  it(
    `${RANDOM_PROFILES} generated profiles x generated queries: 0 disagreements`,
    async () => {
      const seed = Number(process.env.BW_DIFF_SEED ?? 20261129);
      const samples = fc.sample(profileArb, { numRuns: RANDOM_PROFILES, seed });
      let queries = 0;
      let kernel = 0;
      let refusedByBoth = 0;
      const all: string[] = [];
      let rngState = seed;
      const rnd = () => {
        rngState = (rngState * 1103515245 + 12345) % 2 ** 31;
        return rngState / 2 ** 31;
      };
      for (const [i, oci] of samples.entries()) {
        const text = toJson(oci);
        const { profile, diagnostics } = parseProfile(text, `random-${i}.json`, 'oci');
        // The generator only writes well-formed profiles, so any error our parser or compiler raises
        // claims "runc cannot load this": runc must then refuse it too.
        let modelRefuses = profile
          ? undefined
          : diagnostics
              .filter((d) => d.severity === 'error')
              .map((d) => `${d.code}: ${d.message}`)
              .join('; ');
        if (profile) {
          try {
            compileProfile(profile, { knownSyscalls: known, kernel: HOST_KERNEL });
          } catch (e) {
            if (!(e instanceof ProfileLoadError)) throw e;
            modelRefuses = e.message;
          }
        }
        if (modelRefuses) {
          // The model says runc cannot load it: runc must refuse too.
          const refused = await runcFilters({ rawJson: text } satisfies RawJson, {
            noNewPrivileges: true,
          }).then(
            () => false,
            () => true,
          );
          if (!refused) all.push(`random-${i}: model refuses (${modelRefuses}) but runc loaded it:\n${text}`);
          else refusedByBoth++;
          continue;
        }
        if (!profile) continue;
        const probes = queriesFor(oci as OciSeccomp, rnd).map((q) => ({ ...q, where: `random-${i}` }));
        const r = await compare(profile, { kernel: HOST_KERNEL }, probes);
        queries += probes.length;
        kernel += r.kernelChecked;
        if (r.disagreements.length) all.push(`${r.disagreements.slice(0, 20).join('\n')}\nprofile:\n${text}`);
      }
      console.info(
        `differential: ${samples.length} profiles, ${queries} queries (${kernel} also run on the kernel), ${refusedByBoth} refused by both model and runc`,
      );
      expect(all).toEqual([]);
    },
    30_000 + RANDOM_PROFILES * 3_000,
  );
});

describeWithTools('kernel differential: printed profiles', ['gcc', 'runc'], { root: true }, () => {
  for (const name of ['docker-default', 'podman-default']) {
    it(`${name}: printed as Docker JSON, re-read, resolved for runc: runc loads it and every syscall decides alike`, async () => {
      const original = loadProfile(join(root, 'data', 'baselines', `${name}.json`));
      const printed = printProfile(original, 'docker');
      const { profile, diagnostics } = parseProfile(printed, `${name}.printed.json`, 'docker');
      if (!profile) throw new Error(diagnostics.map((d) => d.message).join('\n'));
      const probes: Probe[] = [];
      for (const arch of ['x86_64', 'x32', 'x86'] as const) {
        for (const { nr } of syscallTable(arch)) {
          for (const args of [[0n], [0x10000000n], [0xffffffffffffffffn]])
            probes.push({ arch, nr, args, where: name });
        }
      }
      for (const caps of [undefined, ['CAP_SYS_ADMIN']]) {
        const { disagreements } = await compare(
          profile,
          { kernel: HOST_KERNEL, ...(caps ? { caps } : {}) },
          probes,
        );
        expect(disagreements).toEqual([]);
      }
    });
  }
});
