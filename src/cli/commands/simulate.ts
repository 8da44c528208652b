/**
 * `breakwater simulate`: every catalogued technique and benign workload under each defence, decided
 * by the model engine. Prints the matrix (or JSON / HTML) on stdout and writes report.json and
 * report.html to --out.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../errors.js';
import { renderHtml } from '../../report/html.js';
import { renderMatrix } from '../../report/matrix.js';
import { colorByDefault } from '../../report/table.js';
import { loadProfile } from '../../seccomp/profile/index.js';
import {
  appArmorLayer,
  BUILTIN_DEFENCES,
  builtinDefence,
  type Defence,
  noneDefence,
} from '../../simulate/defence.js';
import { simulate } from '../../simulate/index.js';
import { LAB_RUNTIMES, type LabRuntime } from '../../simulate/real/runtimes.js';

interface SimulateFlags {
  defence: string[];
  seccomp?: string;
  apparmor?: string;
  apparmorProfile?: string;
  caps?: string;
  format: string;
  out: string;
  write: boolean;
  engine?: string;
  runtime?: string;
  suite?: string;
}

/** `--seccomp/--apparmor/--caps`: a user defence on top of Docker's runtime defaults. */
async function customDefence(flags: SimulateFlags): Promise<Defence> {
  const base = noneDefence();
  const d: Defence = {
    ...base,
    id: 'custom',
    description: [
      flags.seccomp ? `seccomp ${flags.seccomp}` : 'seccomp unconfined',
      flags.apparmor ? `AppArmor ${flags.apparmor}` : 'AppArmor unconfined',
      flags.caps !== undefined ? `capabilities ${flags.caps || '(none)'}` : "Docker's capabilities",
    ].join(', '),
  };
  if (flags.seccomp) d.seccomp = (await loadProfile(flags.seccomp)).profile;
  if (flags.apparmor)
    d.apparmor = appArmorLayer(await readFile(flags.apparmor, 'utf8'), flags.apparmor, flags.apparmorProfile);
  if (flags.caps !== undefined)
    d.capabilities = new Set(
      flags.caps
        .split(',')
        .map((c) => c.trim().toLowerCase().replace(/^cap_/, ''))
        .filter(Boolean),
    );
  return d;
}

/**
 * `--suite procedures`: the re-created vulnerable management procedures under none, docker-default,
 * breakwater and breakwater+management; with --engine real, run in the AppArmor VM.
 */
async function runProcedures(flags: SimulateFlags): Promise<void> {
  if (flags.defence.length || flags.seccomp || flags.apparmor || flags.caps !== undefined || flags.runtime)
    throw new UsageError(
      '--suite procedures runs its own four defences in the lab VM: --defence, --seccomp, --apparmor, --caps and --runtime do not apply',
    );
  const { loadScenarios } = await import('../../simulate/procedures/scenarios.js');
  const { simulateProcedures, proceduresReport } = await import('../../simulate/procedures/report.js');
  const scenarios = loadScenarios();
  let report = simulateProcedures(scenarios);
  if (flags.engine === 'real') {
    const { runProcedureLab } = await import('../../simulate/procedures/vm-lab.js');
    process.stderr.write(
      `booting the lab VM for ${scenarios.length} simulators (a few minutes under software emulation)\n`,
    );
    const lab = await runProcedureLab(scenarios);
    report = proceduresReport(scenarios, lab);
    const disagree = report.results.filter(
      (r) =>
        r.procedure &&
        r.procedure.canary !== 'error' &&
        (r.verdict === 'blocked') !== (r.procedure.modelVerdict === 'blocked'),
    );
    process.stderr.write(
      `lab VM (kernel ${lab.kernel}): ${lab.runs.length} runs in ${Math.round(lab.bootMs / 1000)} s; the model agrees on ${report.results.length - disagree.length}/${report.results.length} verdicts\n`,
    );
    for (const r of disagree)
      process.stderr.write(
        `DISAGREEMENT ${r.technique} under ${r.defence}: lab ${r.verdict}, model ${r.procedure?.modelVerdict}\n`,
      );
    const broken = lab.runs.filter((r) => r.canary === 'error');
    for (const r of broken) process.stderr.write(`LAB ERROR ${r.technique} under ${r.config}: ${r.detail}\n`);
    if (broken.length) process.exitCode = 1;
  }
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (flags.format === 'json') process.stdout.write(json);
  else if (flags.format === 'html') process.stdout.write(renderHtml(report));
  else process.stdout.write(renderMatrix(report, { color: colorByDefault(), suite: 'procedures' }));
  if (flags.write) {
    await mkdir(flags.out, { recursive: true });
    await writeFile(join(flags.out, 'procedures.json'), json);
    await writeFile(join(flags.out, 'procedures.html'), renderHtml(report));
    process.stderr.write(
      `wrote ${join(flags.out, 'procedures.json')} and ${join(flags.out, 'procedures.html')}\n`,
    );
  }
}

export async function run(flags: SimulateFlags): Promise<void> {
  if (flags.suite !== undefined && flags.suite !== 'techniques' && flags.suite !== 'procedures')
    throw new UsageError(`unknown --suite "${flags.suite}" (techniques or procedures)`);
  if (flags.engine !== undefined && flags.engine !== 'model' && flags.engine !== 'real')
    throw new UsageError(`unknown --engine "${flags.engine}" (model or real)`);
  if (flags.suite === 'procedures') return runProcedures(flags);
  const ids = flags.defence.length ? flags.defence : [...BUILTIN_DEFENCES];
  for (const id of ids)
    if (!(BUILTIN_DEFENCES as readonly string[]).includes(id))
      throw new UsageError(
        `unknown defence "${id}" (built-in: ${BUILTIN_DEFENCES.join(', ')}; or --seccomp/--apparmor/--caps)`,
      );
  const defences = ids.map(builtinDefence);
  if (flags.seccomp || flags.apparmor || flags.caps !== undefined) defences.push(await customDefence(flags));
  if (flags.engine !== undefined && flags.engine !== 'model' && flags.engine !== 'real')
    throw new UsageError(`unknown --engine "${flags.engine}" (model or real)`);
  if (flags.runtime !== undefined && !(LAB_RUNTIMES as readonly string[]).includes(flags.runtime))
    throw new UsageError(`unknown --runtime "${flags.runtime}" (${LAB_RUNTIMES.join(', ')})`);
  const report = simulate({ defences });
  if (flags.engine === 'real') {
    const runtime = (flags.runtime ?? 'runc') as LabRuntime;
    const { verifyReport } = await import('../../simulate/real/verify.js');
    const { TECHNIQUES } = await import('../../catalog/index.js');
    const { stopSharedLanes } = await import('../../simulate/real/daemon.js');
    try {
      await verifyReport(report, defences, TECHNIQUES, runtime, (done, total) => {
        if (process.stderr.isTTY) process.stderr.write(`\rverifying on the kernel: ${done}/${total}`);
      });
    } finally {
      // docker/podman: the private dockerd (or podman storage) started for the matrix.
      await stopSharedLanes();
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
    const v = report.results.flatMap((r) => (r.verified ? [r.verified] : []));
    const compared = v.reduce((a, x) => a + x.compared, 0);
    const agreed = v.reduce((a, x) => a + x.agreed, 0);
    process.stderr.write(
      `verified on kernel ${v[0]?.kernel ?? '?'} with ${runtime}: ${agreed}/${compared} steps the lab can perform decided as the model said\n`,
    );
    for (const r of report.results)
      for (const d of r.verified?.disagreements ?? [])
        process.stderr.write(`DISAGREEMENT ${r.technique} under ${r.defence}: ${d}\n`);
  }
  // The management procedures join the report (model verdicts; --suite procedures --engine real runs them).
  const { simulateProcedures } = await import('../../simulate/procedures/report.js');
  const procedures = simulateProcedures(undefined, defences);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  switch (flags.format) {
    case 'json':
      process.stdout.write(json);
      break;
    case 'html':
      process.stdout.write(renderHtml(report, { procedures }));
      break;
    default:
      process.stdout.write(renderMatrix(report, { color: colorByDefault() }));
      process.stdout.write(renderMatrix(procedures, { color: colorByDefault(), suite: 'procedures' }));
  }
  if (flags.write) {
    await mkdir(flags.out, { recursive: true });
    await writeFile(join(flags.out, 'report.json'), json);
    await writeFile(join(flags.out, 'report.html'), renderHtml(report, { procedures }));
    await writeFile(join(flags.out, 'procedures.json'), `${JSON.stringify(procedures, null, 2)}\n`);
    process.stderr.write(
      `wrote ${join(flags.out, 'report.json')}, ${join(flags.out, 'procedures.json')} and ${join(flags.out, 'report.html')}\n`,
    );
  }
}
