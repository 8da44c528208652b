/** `breakwater host`: which catalogued CVEs this host's versions are exposed to, and what to move to. */
import { readFile } from 'node:fs/promises';
import { readFeatures } from '../../host/features.js';
import { type Exposure, exposures, featureAdvice } from '../../host/index.js';
import { parseVersionsFile, probeVersions, type Versions } from '../../host/versions.js';
import { meetsThreshold, parseFailOn } from '../../report/finding.js';

interface HostFlags {
  versions?: string;
  root: string;
  format: string;
  failOn: string;
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
  if (flags.format === 'json') {
    process.stdout.write(
      `${JSON.stringify({ schemaVersion: 1, versions, features: features ?? null, exposures: found, advice: features ? featureAdvice(features) : [] }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(
      `versions: ${
        Object.entries(versions)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '(none found)'
      }\n`,
    );
    for (const e of found) process.stdout.write(`${line(e)}\n`);
    if (!found.length) process.stdout.write('no catalogued CVE affects these versions\n');
    for (const a of features ? featureAdvice(features) : []) process.stdout.write(`note: ${a}\n`);
  }
  for (const n of notes) process.stderr.write(`note: ${n}\n`);
  if (versions.kernel)
    process.stderr.write(
      'note: distribution kernels backport fixes without changing the version: check the distribution advisory for kernel CVEs\n',
    );
  if (found.some((e) => meetsThreshold(e.severity, failOn))) process.exitCode = 1;
}

function line(e: Exposure): string {
  const fix = e.fixedIn ? `upgrade ${e.component} to ${e.fixedIn}` : `no fixed ${e.component} release`;
  return `${e.severity.toUpperCase().padEnd(8)} ${e.component} ${e.version}: ${e.technique} (${e.cves.join(', ') || 'no CVE'}) — ${fix}`;
}
