/**
 * Versions of the container stack on a host: asked from the binaries themselves (`runc --version`,
 * ...), or read from a JSON file so a host can be audited from afar. Only versions we can parse
 * are reported; an unparsable answer is a note, never a guess.
 */
import { spawnSync } from 'node:child_process';
import { release } from 'node:os';
import { z } from 'zod';
import { COMPONENTS, type Component } from '../catalog/schema.js';
import { BreakwaterError } from '../errors.js';

/** How to ask each component, and where its version is in the answer. */
const PROBES: Record<Exclude<Component, 'kernel'>, { cmd: string; args: string[]; re: RegExp }> = {
  runc: { cmd: 'runc', args: ['--version'], re: /runc version (\d+\.\d+\.\d+(?:-rc\.?\d+)?)/ },
  crun: { cmd: 'crun', args: ['--version'], re: /crun version (\d+\.\d+(?:\.\d+)?)/ },
  containerd: { cmd: 'containerd', args: ['--version'], re: /containerd \S+ v?(\d+\.\d+\.\d+)/ },
  moby: { cmd: 'dockerd', args: ['--version'], re: /Docker version (\d+\.\d+\.\d+)/ },
  'docker-cli': { cmd: 'docker', args: ['--version'], re: /Docker version (\d+\.\d+\.\d+)/ },
  buildkit: { cmd: 'buildkitd', args: ['--version'], re: /buildkitd \S+ v?(\d+\.\d+\.\d+)/ },
  'cri-o': { cmd: 'crio', args: ['--version'], re: /(?:crio|Version:)\s+v?(\d+\.\d+\.\d+)/ },
  podman: { cmd: 'podman', args: ['--version'], re: /podman version (\d+\.\d+\.\d+)/ },
  buildah: { cmd: 'buildah', args: ['--version'], re: /buildah version (\d+\.\d+\.\d+)/ },
  kubelet: { cmd: 'kubelet', args: ['--version'], re: /Kubernetes v(\d+\.\d+\.\d+)/ },
};

export type Versions = Partial<Record<Component, string>>;

/** `6.1.0-28-amd64` -> `6.1.0`; `5.10.102-99.473.amzn2` -> `5.10.102`. */
export function kernelVersion(uname: string): string | undefined {
  return /^(\d+\.\d+(?:\.\d+)?)/.exec(uname)?.[1];
}

export function parseVersionOutput(
  component: Exclude<Component, 'kernel'>,
  output: string,
): string | undefined {
  return PROBES[component].re.exec(output)?.[1]?.replace(/-rc\.?(\d+)/, '-rc$1');
}

/** Ask the binaries on PATH (those that exist), and the kernel. */
export function probeVersions(notes: string[]): Versions {
  const out: Versions = {};
  const k = kernelVersion(release());
  if (k) out.kernel = k;
  for (const [component, p] of Object.entries(PROBES) as Array<
    [Exclude<Component, 'kernel'>, (typeof PROBES)['runc']]
  >) {
    const r = spawnSync(p.cmd, p.args, { encoding: 'utf8', timeout: 5000 });
    if (r.error) continue; // not installed
    const v = parseVersionOutput(component, `${r.stdout}\n${r.stderr}`);
    if (v) out[component] = v;
    else
      notes.push(
        `${p.cmd} ${p.args.join(' ')}: could not read a version from "${(r.stdout || r.stderr).trim().slice(0, 80)}"`,
      );
  }
  return out;
}

const versionString = z.string().regex(/^\d+(\.\d+){0,3}(-(rc|beta|alpha)\.?\d+)?$/, 'a version like 1.1.12');
/** Every key optional and known: an unknown component is a typo, not something to skip. */
const versionsFileSchema = z.strictObject(
  Object.fromEntries(COMPONENTS.map((c) => [c, versionString.optional()])) as Record<
    Component,
    z.ZodOptional<typeof versionString>
  >,
);

/** `{"runc": "1.1.5", "kernel": "5.15.0"}`; a kernel string like `6.1.0-28-amd64` is accepted and trimmed. */
export function parseVersionsFile(text: string, file: string): Versions {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BreakwaterError(`${file}: not JSON: ${(e as Error).message}`, 'parse');
  }
  if (raw && typeof raw === 'object' && typeof (raw as Record<string, unknown>).kernel === 'string') {
    const k = kernelVersion((raw as Record<string, string>).kernel as string);
    if (k) (raw as Record<string, string>).kernel = k;
  }
  const r = versionsFileSchema.safeParse(raw);
  if (!r.success)
    throw new BreakwaterError(
      `${file}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')} (components: ${COMPONENTS.join(', ')})`,
      'parse',
    );
  return r.data as Versions;
}
