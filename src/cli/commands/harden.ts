/**
 * `breakwater harden --out DIR`: write the generated defence for a (generic) workload —
 * seccomp.json (Docker format), apparmor.profile, runtime.json (the settings that make them hold)
 * and provenance.json (which catalog techniques each rule and syscall denial exists for).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inputFiles } from '../../audit/files.js';
import { type Diagnostic, formatDiagnostic } from '../../errors.js';
import { hardenText } from '../../harden/index.js';
import { generateManagementProfiles, managementProfileName } from '../../scheme/management/profiles.js';
import { MANAGEMENT_COMPONENTS } from '../../scheme/management/types.js';
import { DEFAULT_MASKED_PATHS } from '../../scheme/runtime.js';

/** The masked paths beyond runc's defaults (what Docker's run line cannot express). */
const extraMasks = (masked: readonly string[]): string[] =>
  masked.filter((m) => !DEFAULT_MASKED_PATHS.includes(m));

import { generateWithProvenance } from '../../simulate/provenance.js';

interface HardenFlags {
  out: string;
  name?: string;
  caps?: string;
  readOnlyRootfs?: boolean;
  denySetuidChmod?: boolean;
}

/** `harden PATH... --out DIR`: each file's workloads get profiles and the patched input. */
async function hardenPaths(paths: string[], out: string): Promise<void> {
  const diags: Diagnostic[] = [];
  const written: string[] = [];
  for await (const f of inputFiles(paths, diags)) {
    const r = hardenText(f.text, f.file, 'profiles');
    if (!r) {
      diags.push({
        file: f.file,
        line: 1,
        column: 1,
        severity: 'warning',
        code: 'harden-unsupported',
        message: 'nothing to harden here (Kubernetes YAML, compose files and docker run lines are patched)',
      });
      continue;
    }
    const name = f.file === '<stdin>' ? `stdin.${r.kind === 'docker-run' ? 'sh' : 'yaml'}` : basename(f.file);
    const files = new Map([[name, r.patched], ...r.files]);
    for (const [p, text] of files) {
      const dest = join(out, p);
      await mkdir(dirname(dest), { recursive: true });
      await writeFile(dest, text);
      written.push(dest);
    }
  }
  for (const d of diags) process.stderr.write(`${formatDiagnostic(d)}\n`);
  process.stdout.write(`${[...new Set(written)].join('\n')}\n`);
  if (diags.some((d) => d.severity === 'error')) process.exitCode = 2;
}

export async function run(flags: HardenFlags, paths: string[] = []): Promise<void> {
  if (paths.length) return hardenPaths(paths, flags.out);
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
  // The management plane: profiles for the runtime, the shim and the copy helper, allowed to start
  // containers under docker-default and this scheme's profile.
  const management = generateManagementProfiles(undefined, {
    containerProfiles: [...new Set(['docker-default', scheme.apparmorName])],
  });
  for (const c of MANAGEMENT_COMPONENTS)
    files.push([join('management', `${managementProfileName(c)}.profile`), management[c]]);
  await mkdir(join(flags.out, 'management'), { recursive: true });
  for (const [name, text] of files) await writeFile(join(flags.out, name), text);
  process.stdout.write(`${files.map(([n]) => join(flags.out, n)).join('\n')}\n`);
  process.stderr.write(
    `management plane: apparmor_parser -r ${join(flags.out, 'management', '*.profile')}, then run the runtime, shim and copy helper under them (aa-exec -p ${managementProfileName('runtime')} -- runc ..., or a systemd AppArmorProfile=)\n` +
      // Measured in the lab VM with Debian's runc 1.1.5 (lab/benign/real-runc).
      `note: under no-new-privileges AppArmor only lets a confined runtime give a container a profile that stacks on its own; runc writes "exec" (measured with Debian's runc 1.1.5), so a runc confined by ${managementProfileName('runtime')} cannot start no-new-privileges containers (it fails closed): confine the runtime where containers run without no-new-privileges, or use a runtime that stacks; the shim and copy-helper profiles have no such limit\n` +
      `load with: apparmor_parser -r ${join(flags.out, 'apparmor.profile')}; docker run --security-opt seccomp=${join(flags.out, 'seccomp.json')} --security-opt apparmor=${scheme.apparmorName} --security-opt no-new-privileges --cap-drop ALL ${scheme.runtime.capabilities.map((c) => `--cap-add ${c.toUpperCase()}`).join(' ')} --userns-remap / hostUsers: false\n` +
      // Measured in the docker lane: docker run has no masked-path option, and runc refuses a
      // /dev/null bind under /proc/sys; Docker keeps /proc/sys and /sys read-only instead.
      `note: docker run cannot apply runtime.json's extra maskedPaths (${extraMasks(scheme.runtime.maskedPaths).join(', ')}); podman can (--security-opt mask=...) and an OCI config.json takes them as written; Docker and Kubernetes keep /proc/sys and /sys read-only instead\n`,
  );
}
