/**
 * `breakwater harden --out DIR`: write the generated defence for a (generic) workload —
 * seccomp.json (Docker format), apparmor.profile, runtime.json (the settings that make them hold)
 * and provenance.json (which catalog techniques each rule and syscall denial exists for).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateWithProvenance } from '../../simulate/provenance.js';

interface HardenFlags {
  out: string;
  name?: string;
  caps?: string;
  readOnlyRootfs?: boolean;
  denySetuidChmod?: boolean;
}

export async function run(flags: HardenFlags): Promise<void> {
  const { scheme, provenance } = generateWithProvenance({
    ...(flags.name ? { name: flags.name } : {}),
    ...(flags.caps !== undefined
      ? {
          capabilities: flags.caps
            .split(',')
            .map((c) => c.trim().toLowerCase().replace(/^cap_/, ''))
            .filter(Boolean),
        }
      : {}),
    ...(flags.readOnlyRootfs ? { readOnlyRootFilesystem: true } : {}),
    ...(flags.denySetuidChmod ? { denySetuidChmod: true } : {}),
  });
  await mkdir(flags.out, { recursive: true });
  const files: Array<[string, string]> = [
    ['seccomp.json', scheme.seccomp.text],
    ['apparmor.profile', scheme.apparmor],
    [
      'runtime.json',
      `${JSON.stringify({ apparmorProfile: scheme.apparmorName, ...scheme.runtime }, null, 2)}\n`,
    ],
    [
      'provenance.json',
      `${JSON.stringify(
        {
          apparmor: Object.fromEntries(provenance.apparmor),
          seccomp: Object.fromEntries(provenance.seccomp),
        },
        null,
        2,
      )}\n`,
    ],
  ];
  for (const [name, text] of files) await writeFile(join(flags.out, name), text);
  process.stdout.write(`${files.map(([n]) => join(flags.out, n)).join('\n')}\n`);
  process.stderr.write(
    `load with: apparmor_parser -r ${join(flags.out, 'apparmor.profile')}; docker run --security-opt seccomp=${join(flags.out, 'seccomp.json')} --security-opt apparmor=${scheme.apparmorName} --security-opt no-new-privileges --cap-drop ALL ${scheme.runtime.capabilities.map((c) => `--cap-add ${c.toUpperCase()}`).join(' ')} --userns-remap / hostUsers: false\n`,
  );
}
