/**
 * Runs the vulnerable-procedure simulators in one QEMU boot of the host's Debian kernel with
 * AppArmor on (the running kernel has none): the initramfs holds busybox, apparmor_parser, the
 * simulators (lab/vulnerable, built here), the container profiles (docker-default, breakwater) as
 * AppArmor text and seccomp rule files, and the management-plane profiles. /init switches to a
 * tmpfs root (so the simulated runtimes can pivot_root as runc does), loads every profile, then
 * runs each (scenario, configuration) in a fresh directory and prints its output between markers.
 * Nothing runs on the host but gcc and QEMU.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateManagementProfiles, managementProfileName } from '../../scheme/management/profiles.js';
import { MANAGEMENT_COMPONENTS } from '../../scheme/management/types.js';
import type { Defence } from '../defence.js';
import {
  appArmorVmBase,
  type CpioEntry,
  dir,
  file,
  newcArchive,
  sharedLibraries,
  withParents,
} from '../vm/initramfs.js';
import { bootAppArmorVm, sq } from '../vm/run.js';
import { benignConfigs, containerDefences, type LabConfig, labConfigs, RULES_DIR } from './configs.js';
import { LAB_DIR, type Scenario } from './scenarios.js';
import { seccompRulesText } from './seccomp-rules.js';

export interface BwStep {
  step: string;
  ok: boolean;
  errno: string;
  detail: string;
}

export interface ProcedureRun {
  technique: string;
  config: string;
  canary: 'reached' | 'safe' | 'error';
  /** The run.sh verdict detail, or why the run is an error. */
  detail: string;
  steps: BwStep[];
  /** AppArmor denials the kernel logged during the run (`audit deny` rules and implicit denials). */
  denials: string[];
  /** run.sh's exit status (0: the scenario ran). */
  exitCode: number;
  /** Other output (stderr, diagnostics). */
  log: string[];
  /** Benign workloads only: each normal management procedure and whether it worked. */
  checks?: BenignCheck[];
}

export interface BenignCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface ProcedureLabRun {
  runs: ProcedureRun[];
  /** The benign management workloads (lab/benign), under the four defences. */
  benign: ProcedureRun[];
  kernel: string;
  /** Wall time of build + boot + every run + power-off. */
  totalMs: number;
  bootMs: number;
}

export interface ProcedureLabOptions {
  kernel?: string;
  timeoutSeconds?: number;
  /** Run only these techniques (default: every scenario). */
  only?: readonly string[];
  /** Run only these configuration ids (default: every one). */
  configs?: readonly string[];
  /** false: leave out the benign management workloads (default: run them). */
  benign?: boolean;
}

const COMMON = path.join(LAB_DIR, 'common');

function gcc(args: string[], cwd: string): void {
  try {
    execFileSync('gcc', args, { cwd, stdio: 'pipe' });
  } catch (e) {
    const err = e as { stderr?: Buffer };
    throw new Error(`procedures: gcc ${args.join(' ')} failed:\n${err.stderr?.toString() ?? String(e)}`);
  }
}

/**
 * Builds each scenario's binaries into `out`: `<id>.manager` (manager.c + bwlab.c, static) and
 * `<id>.attack` (attack.c, static) — or, when the scenario has a build.sh, whatever that script
 * writes (called with BW_OUT, BW_COMMON, BW_ID).
 */
export function buildScenarios(scenarios: readonly Pick<Scenario, 'technique' | 'dir'>[], out: string): void {
  for (const s of scenarios) {
    const id = s.technique;
    const build = path.join(s.dir, 'build.sh');
    if (existsSync(build)) {
      try {
        execFileSync('sh', ['build.sh'], {
          cwd: s.dir,
          stdio: 'pipe',
          env: { ...process.env, BW_OUT: out, BW_COMMON: COMMON, BW_ID: id },
        });
      } catch (e) {
        const err = e as { stderr?: Buffer };
        throw new Error(`procedures: ${build} failed:\n${err.stderr?.toString() ?? String(e)}`);
      }
      continue;
    }
    const flags = ['-static', '-O2', '-Wall', '-Werror', '-I', COMMON];
    gcc(
      [
        ...flags,
        '-o',
        path.join(out, `${id}.manager`),
        'manager.c',
        path.join(COMMON, 'bwlab.c'),
        '-lseccomp',
      ],
      s.dir,
    );
    if (existsSync(path.join(s.dir, 'attack.c')))
      gcc(
        [
          ...flags,
          '-o',
          path.join(out, `${id}.attack`),
          'attack.c',
          path.join(COMMON, 'bwlab.c'),
          '-lseccomp',
        ],
        s.dir,
      );
  }
}

const isDynamic = (binary: string): boolean => {
  const head = readFileSync(binary).subarray(0, 4096);
  // An ELF with a PT_INTERP names its loader; static binaries carry no "ld-linux" string there.
  return head.includes(Buffer.from('/lib64/ld-linux')) || head.includes(Buffer.from('/lib/ld-linux'));
};

/** Every file of a lab directory (scripts, READMEs, sources), at /lab/<rel>. */
function labTree(root: string, rel: string): CpioEntry[] {
  const out: CpioEntry[] = [dir(`/lab/${rel}`)];
  for (const name of readdirSync(root).sort()) {
    const p = path.join(root, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...labTree(p, `${rel}/${name}`));
    else if (st.isFile()) out.push(file(`/lab/${rel}/${name}`, readFileSync(p), st.mode & 0o777));
  }
  return out;
}

const RESULT = '@@bw-result';

/** One run: a fresh directory, run.sh under `timeout`, then the verdict lines and the denials. */
function runLines(index: number, s: LabUnit, c: LabConfig): string[] {
  const envs = Object.entries({
    PATH: '/bin:/sbin:/usr/bin:/usr/sbin',
    BW_LAB: '/lab',
    BW_BIN: '/lab/bin',
    BW_BUSYBOX: '/bin/busybox',
    BW_WORK: `/run/bw-lab/${index}/work`,
    BW_SYSCTL_ROOT: '/proc/sys',
    // The VM is disposable: scenarios keep host-side objects where a production host keeps them
    // (/usr/bin/runc, /etc, /var/lib/docker...), so the rules written for real hosts are the ones tested.
    BW_HOSTLIKE: '1',
    BW_RUN: String(index),
    ...c.env,
  }).map(([k, v]) => `${k}=${sq(v)}`);
  return [
    `mkdir -p /run/bw-lab/${index}/work`,
    `echo "${RESULT}-begin ${index}"`,
    `( cd /run/bw-lab/${index} && env -i ${envs.join(' ')} timeout -s KILL ${s.timeoutSeconds + 10} sh /lab/${s.labPath}/run.sh ) 2>&1`,
    `echo "${RESULT}-end ${index} $?"`,
    // Leave nothing of one run for the next: its mounts, processes and files.
    `dmesg -c | grep 'apparmor="DENIED"' | sed 's/^/${RESULT}-denial ${index} /'`,
    `grep " /run/bw-lab/${index}" /proc/mounts | cut -d' ' -f2 | sort -r | while read m; do umount -l "$m"; done`,
    `rm -rf /run/bw-lab/${index}`,
  ];
}

/** What one run executes: a simulator (lab/vulnerable/<technique>) or a benign workload (lab/benign/<name>). */
export interface LabUnit {
  /** Technique id, or `benign:<name>`. */
  id: string;
  /** Where run.sh lives under /lab in the VM. */
  labPath: string;
  timeoutSeconds: number;
  benign: boolean;
}

export interface PlannedRun {
  unit: LabUnit;
  config: LabConfig;
}

export const BENIGN_DIR = path.join(LAB_DIR, '..', 'benign');

/** The benign management workloads: every lab/benign/<name> with a run.sh. */
export function benignWorkloads(dir: string = BENIGN_DIR): { name: string; dir: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .filter((n) => existsSync(path.join(dir, n, 'run.sh')))
    .map((name) => ({ name, dir: path.join(dir, name) }));
}

export function initScript(profileNames: readonly string[], plan: readonly PlannedRun[]): string {
  return [
    '#!/bin/sh',
    'export PATH=/bin:/sbin',
    'mount -t proc proc /proc',
    'mount -t sysfs sys /sys',
    'mount -t securityfs securityfs /sys/kernel/security',
    'mount -t devtmpfs dev /dev',
    'mount -t tmpfs run /run',
    'dmesg -n 1',
    `i=0; for p in ${profileNames.map((_, i) => `/profiles/p${i}`).join(' ')}; do`,
    '  /sbin/apparmor_parser -r -K -I /etc/apparmor.d $p || echo "BW-LOADFAIL $p"',
    'done',
    'dmesg -c >/dev/null',
    'uname -r | sed "s/^/@@bw-kernel /"',
    'echo BW-BEGIN',
    ...plan.flatMap((r, i) => runLines(i, r.unit, r.config)),
    'echo BW-END',
    'poweroff -f',
    '',
  ].join('\n');
}

/**
 * /init of the initramfs: move everything to a tmpfs and switch_root there, because pivot_root
 * cannot leave an initramfs root and the simulated runtimes pivot as runc does.
 */
const BOOT_INIT = [
  '#!/bin/sh',
  'export PATH=/bin:/sbin',
  'mount -t proc proc /proc',
  'mkdir /newroot',
  'mount -t tmpfs -o size=900m root /newroot',
  'for d in bin sbin lib lib64 usr etc lab profiles init2; do [ -e /$d ] && cp -a /$d /newroot/; done',
  'mkdir -p /newroot/proc /newroot/sys /newroot/dev /newroot/run /newroot/tmp',
  'umount /proc',
  'exec switch_root /newroot /init2',
  '',
].join('\n');

export function buildLabInitramfs(
  scenarios: readonly { dir: string; labPath: string }[],
  binDir: string,
  profiles: readonly { name: string; text: string }[],
  rules: Record<string, string>,
  plan: readonly PlannedRun[],
): Buffer {
  const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const bins = readdirSync(binDir).sort();
  const dynamic = bins.filter((b) => isDynamic(path.join(binDir, b)));
  const entries: CpioEntry[] = [
    ...appArmorVmBase({
      applets,
      extraLibraries: dynamic.flatMap((b) => sharedLibraries(path.join(binDir, b))),
    }),
    ...labTree(COMMON, 'common'),
    ...scenarios.flatMap((s) => labTree(s.dir, s.labPath)),
    ...bins.map((b) => file(`/lab/bin/${b}`, readFileSync(path.join(binDir, b)), 0o755)),
    ...Object.entries(rules).map(([name, text]) => file(`${RULES_DIR}/${name}.rules`, text)),
    ...profiles.map((p, i) => file(`/profiles/p${i}`, p.text)),
    file(
      '/init2',
      initScript(
        profiles.map((p) => p.name),
        plan,
      ),
      0o755,
    ),
    file('/init', BOOT_INIT, 0o755),
  ];
  return newcArchive(withParents(entries));
}

const capsOf = (d: Defence): string[] => [...d.capabilities].map((c) => `CAP_${c.toUpperCase()}`);

/** Everything the VM loads: container profiles, management profiles, seccomp rule files. */
export function labProfiles(): { profiles: { name: string; text: string }[]; rules: Record<string, string> } {
  const profiles: { name: string; text: string }[] = [];
  const rules: Record<string, string> = {};
  for (const d of containerDefences()) {
    if (!d.apparmor || !d.seccomp) throw new Error(`procedures: defence ${d.id} lacks a profile`);
    profiles.push({ name: d.apparmor.compiled.name, text: d.apparmor.text });
    rules[d.id] = seccompRulesText(d.seccomp, capsOf(d));
  }
  const mgmt = generateManagementProfiles();
  for (const c of MANAGEMENT_COMPONENTS) profiles.push({ name: managementProfileName(c), text: mgmt[c] });
  return { profiles, rules };
}

function parseRuns(plan: readonly PlannedRun[], lines: readonly string[]): ProcedureRun[] {
  const runs: ProcedureRun[] = plan.map((p) => ({
    technique: p.unit.id,
    ...(p.unit.benign ? { checks: [] } : {}),
    config: p.config.id,
    canary: 'error',
    detail: 'no result (the run did not finish)',
    steps: [],
    denials: [],
    exitCode: -1,
    log: [],
  }));
  let current: ProcedureRun | undefined;
  let verdicts = 0;
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    let m = new RegExp(`${RESULT}-begin (\\d+)`).exec(line);
    if (m) {
      current = runs[Number(m[1])];
      verdicts = 0;
      continue;
    }
    m = new RegExp(`${RESULT}-end (\\d+) (\\d+)`).exec(line);
    if (m) {
      const r = runs[Number(m[1])];
      if (r) {
        r.exitCode = Number(m[2]);
        if (r.exitCode !== 0) {
          r.canary = 'error';
          r.detail = `run.sh exited with ${r.exitCode}${r.exitCode === 137 ? ' (killed by the timeout)' : ''}`;
        } else if (r.checks) {
          // A benign workload: its verdict is its checks, and it must say it finished.
          r.canary = r.detail === 'done' ? 'safe' : 'error';
          if (r.canary === 'error') r.detail = 'run.sh did not print @@bw-benign-done';
        } else if (verdicts !== 1) {
          r.canary = 'error';
          r.detail = `run.sh printed ${verdicts} canary verdicts (expected exactly 1)`;
        }
      }
      current = undefined;
      continue;
    }
    m = new RegExp(`${RESULT}-denial (\\d+) (.*)$`).exec(line);
    if (m) {
      runs[Number(m[1])]?.denials.push((m[2] ?? '').replace(/^\[[^\]]*\]\s*/, ''));
      continue;
    }
    if (!current) continue;
    const step = /@@bw-step (\{.*\})\s*$/.exec(line);
    if (step) {
      try {
        current.steps.push(JSON.parse(step[1] as string) as BwStep);
      } catch {
        current.log.push(line);
      }
      continue;
    }
    const benign = /@@bw-benign (\S+) (ok|fail)\s*(.*)$/.exec(line);
    if (benign && current.checks) {
      current.checks.push({ check: benign[1] as string, ok: benign[2] === 'ok', detail: benign[3] ?? '' });
      continue;
    }
    if (/@@bw-benign-done/.test(line) && current.checks) {
      current.detail = 'done';
      continue;
    }
    const canary = /@@bw-canary (reached|safe)\s*(.*)$/.exec(line);
    if (canary) {
      verdicts++;
      current.canary = canary[1] as 'reached' | 'safe';
      current.detail = canary[2] ?? '';
      continue;
    }
    if (line.trim()) current.log.push(line);
  }
  return runs;
}

/** Plans every (scenario, configuration) pair, builds, boots once and returns every run. */
export async function runProcedureLab(
  scenarios: readonly Scenario[],
  opts: ProcedureLabOptions = {},
): Promise<ProcedureLabRun> {
  const t0 = performance.now();
  const chosen = scenarios.filter((s) => !opts.only || opts.only.includes(s.technique));
  const benign = opts.benign === false ? [] : benignWorkloads();
  const plan: PlannedRun[] = [
    ...chosen.flatMap((scenario) =>
      labConfigs(scenario)
        .filter((c) => !opts.configs || opts.configs.includes(c.id))
        .map((config) => ({
          unit: {
            id: scenario.technique,
            labPath: scenario.technique,
            timeoutSeconds: scenario.timeoutSeconds,
            benign: false,
          },
          config,
        })),
    ),
    ...benign.flatMap((b) =>
      benignConfigs().map((config) => ({
        unit: { id: `benign:${b.name}`, labPath: `benign/${b.name}`, timeoutSeconds: 30, benign: true },
        config,
      })),
    ),
  ];
  const work = mkdtempSync(path.join(tmpdir(), 'breakwater-procedures-'));
  try {
    const bin = path.join(work, 'bin');
    mkdirSync(bin);
    buildScenarios(chosen, bin);
    buildScenarios(
      benign.map((b) => ({ technique: b.name, dir: b.dir })),
      bin,
    );
    const { profiles, rules } = labProfiles();
    const initrd = path.join(work, 'initrd');
    const trees = [
      ...chosen.map((s) => ({ dir: s.dir, labPath: s.technique })),
      ...benign.map((b) => ({ dir: b.dir, labPath: `benign/${b.name}` })),
    ];
    writeFileSync(initrd, buildLabInitramfs(trees, bin, profiles, rules, plan));
    const boot = await bootAppArmorVm(
      initrd,
      { ...opts, cpus: 2, memoryMb: 2048, timeoutSeconds: opts.timeoutSeconds ?? 900 },
      'procedures',
    );
    if (boot.log.some((l) => l.includes('BW-LOADFAIL')))
      throw new Error(`procedures: profiles failed to load in the VM:\n${boot.log.join('\n')}`);
    const kernel = /@@bw-kernel (\S+)/.exec(boot.log.join('\n'))?.[1] ?? 'unknown';
    const all = parseRuns(plan, boot.block);
    return {
      runs: all.filter((r) => !r.checks),
      benign: all.filter((r) => r.checks),
      kernel,
      totalMs: performance.now() - t0,
      bootMs: boot.ms,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
