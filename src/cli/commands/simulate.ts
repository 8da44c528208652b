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

export async function run(flags: SimulateFlags): Promise<void> {
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
  if (flags.runtime !== undefined && flags.runtime !== 'runc' && flags.runtime !== 'crun')
    throw new UsageError(`unknown --runtime "${flags.runtime}" (runc or crun)`);
  const report = simulate({ defences });
  if (flags.engine === 'real') {
    const runtime = (flags.runtime ?? 'runc') as 'runc' | 'crun';
    const { verifyReport } = await import('../../simulate/real/verify.js');
    const { TECHNIQUES } = await import('../../catalog/index.js');
    await verifyReport(report, defences, TECHNIQUES, runtime, (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\rverifying on the kernel: ${done}/${total}`);
    });
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
  const json = `${JSON.stringify(report, null, 2)}\n`;
  switch (flags.format) {
    case 'json':
      process.stdout.write(json);
      break;
    case 'html':
      process.stdout.write(renderHtml(report));
      break;
    default:
      process.stdout.write(renderMatrix(report, { color: colorByDefault() }));
  }
  if (flags.write) {
    await mkdir(flags.out, { recursive: true });
    await writeFile(join(flags.out, 'report.json'), json);
    await writeFile(join(flags.out, 'report.html'), renderHtml(report));
    process.stderr.write(`wrote ${join(flags.out, 'report.json')} and ${join(flags.out, 'report.html')}\n`);
  }
}
