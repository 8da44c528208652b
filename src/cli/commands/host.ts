/** `breakwater host`: which catalogued CVEs this host's versions are exposed to, and what to move to. */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../errors.js';
import { type BehaviourProbe, behaviourProbes } from '../../host/behaviour.js';
import { readFeatures } from '../../host/features.js';
import { type Exposure, exposures, featureAdvice } from '../../host/index.js';
import { parseVersionsFile, probeVersions, type Versions } from '../../host/versions.js';
import { meetsThreshold, parseFailOn } from '../../report/finding.js';

interface HostFlags {
  versions?: string;
  root: string;
  format: string;
  failOn: string;
  probe?: boolean;
}

/** A version finding next to what the binary did, when a behaviour probe covers it. */
function judged(e: Exposure, probes: readonly BehaviourProbe[]): BehaviourProbe | undefined {
  return probes.find((p) => p.technique === e.technique && p.component === e.component);
}

export async function run(flags: HostFlags): Promise<void> {
  const failOn = parseFailOn(flags.failOn);
  const notes: string[] = [];
  const versions: Versions = flags.versions
    ? parseVersionsFile(await readFile(flags.versions, 'utf8'), flags.versions)
    : probeVersions(notes);
  // Features describe the machine we run on; with --versions the host is elsewhere.
  const features = flags.versions ? undefined : readFeatures(flags.root);
  const found = exposures(versions);
  if (flags.probe && flags.versions)
    throw new UsageError('--probe asks the local binaries: it cannot be combined with --versions');
  const probes = flags.probe ? await behaviourProbes(notes) : [];
  // Version says affected, the binary says fixed: a backport (or the reverse: a broken fix).
  const disagreements = [
    ...found.flatMap((e) => {
      const p = judged(e, probes);
      return p?.verdict === 'fixed'
        ? [
            `${e.component} ${e.version} is in the affected range of ${e.cves.join(', ')} by version, but behaves fixed (a backported fix)`,
          ]
        : [];
    }),
    ...probes.flatMap((p) =>
      p.verdict === 'vulnerable' &&
      !found.some((e) => e.technique === p.technique && e.component === p.component)
        ? [
            `${p.component} is not in the affected range of ${p.cve} by version (${versions[p.component] ?? 'unknown'}), but behaves vulnerable`,
          ]
        : [],
    ),
  ];
  if (flags.format === 'json') {
    process.stdout.write(
      `${JSON.stringify(
        {
          schemaVersion: 1,
          versions,
          features: features ?? null,
          exposures: found.map((e) => ({ ...e, behaviour: judged(e, probes)?.verdict ?? null })),
          behaviour: probes,
          disagreements,
          advice: features ? featureAdvice(features) : [],
        },
        null,
        2,
      )}\n`,
    );
  } else {
    process.stdout.write(
      `versions: ${
        Object.entries(versions)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '(none found)'
      }\n`,
    );
    for (const e of found) {
      const p = judged(e, probes);
      process.stdout.write(`${line(e)}${p ? ` [behaviour: ${p.verdict}]` : ''}\n`);
    }
    if (!found.length) process.stdout.write('no catalogued CVE affects these versions\n');
    for (const p of probes)
      process.stdout.write(`probe ${p.component} ${p.cve}: ${p.verdict} — ${p.evidence}\n`);
    for (const d of disagreements) process.stdout.write(`disagreement: ${d}\n`);
    for (const a of features ? featureAdvice(features) : []) process.stdout.write(`note: ${a}\n`);
  }
  for (const n of notes) process.stderr.write(`note: ${n}\n`);
  if (versions.kernel)
    process.stderr.write(
      'note: distribution kernels backport fixes without changing the version: check the distribution advisory for kernel CVEs\n',
    );
  // A finding the binary's behaviour disproves (a backport) does not fail the run; one it confirms,
  // or one no probe covers, does.
  const failing = found.filter((e) => judged(e, probes)?.verdict !== 'fixed');
  if (
    failing.some((e) => meetsThreshold(e.severity, failOn)) ||
    probes.some((p) => p.verdict === 'vulnerable')
  )
    process.exitCode = 1;
}

function line(e: Exposure): string {
  const fix = e.fixedIn ? `upgrade ${e.component} to ${e.fixedIn}` : `no fixed ${e.component} release`;
  return `${e.severity.toUpperCase().padEnd(8)} ${e.component} ${e.version}: ${e.technique} (${e.cves.join(', ') || 'no CVE'}) — ${fix}`;
}
