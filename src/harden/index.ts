/**
 * `harden PATH --out DIR`: for each workload in each file, the generated seccomp and AppArmor
 * profiles (the scheme, tailored to the capabilities the container declares) and the patched
 * input. Kubernetes also gets Security Profiles Operator objects (SeccompProfile + ProfileBinding).
 */
import { READERS } from '../audit/index.js';
import { detectKind } from '../ingest/detect.js';
import type { Container, SourceKind } from '../model/workload.js';
import { generate } from '../scheme/index.js';
import type { SeccompProfile } from '../seccomp/model.js';
import { printProfile } from '../seccomp/profile/index.js';
import { resolveProfile } from '../seccomp/resolve.js';
import { hardenCompose } from './compose.js';
import { hardenDockerRun } from './docker-run.js';
import { hardenKubernetes } from './kubernetes.js';
import { type NamedProfiles, needsOf, type WorkloadNeeds } from './needs.js';

export interface HardenedFile {
  kind: SourceKind;
  /** The patched input text (same name as the input). */
  patched: string;
  /** Files to write under the output directory, path -> content. */
  files: Map<string, string>;
}

/** What dockerd does for an x86_64 container before handing the profile to runc: SPO takes that form. */
function resolvedForSpo(p: SeccompProfile): SeccompProfile {
  const { syscalls, ...rest } = resolveProfile(p, { arch: 'x86_64' });
  return { ...rest, archMap: [], syscalls: syscalls.map(({ index: _i, ...r }) => r) };
}

function profileFiles(
  profiles: NamedProfiles,
  needs: WorkloadNeeds,
  image: string | undefined,
  spo: boolean,
): Map<string, string> {
  const s = generate({ name: profiles.apparmorName, capabilities: needs.capabilities });
  const files = new Map<string, string>([
    [`profiles/${profiles.seccompFile}`, s.seccomp.text],
    [`profiles/apparmor/${profiles.apparmorName}`, s.apparmor],
  ]);
  if (spo) {
    const seccomp = printProfile(resolvedForSpo(s.seccomp.profile), 'spo').replace(
      /^ {2}name: .*$/m,
      `  name: ${profiles.apparmorName}`,
    );
    const binding = image
      ? `---\napiVersion: security-profiles-operator.x-k8s.io/v1alpha1\nkind: ProfileBinding\nmetadata:\n  name: ${profiles.apparmorName}\nspec:\n  profileRef:\n    kind: SeccompProfile\n    name: ${profiles.apparmorName}\n  image: ${JSON.stringify(image)}\n`
      : '';
    files.set(`spo/${profiles.apparmorName}.yaml`, `${seccomp}${binding}`);
  }
  return files;
}

export function hardenText(text: string, file: string, profileDir = '.'): HardenedFile | undefined {
  const kind = detectKind(text, file);
  if (!kind) return undefined;
  const { workloads } = READERS[kind](text, file);
  const find = (workload: string, container: string): Container | undefined =>
    workloads
      .find((w) => w.name === workload || w.name.endsWith(`/${workload}`))
      ?.containers.find((c) => c.name === container);
  const needs = (w: string, c: string) => needsOf(find(w, c));
  const files = new Map<string, string>();
  let patched: string;
  let entries: Array<{ workload: string; container: string; profiles: NamedProfiles; needs: WorkloadNeeds }>;
  switch (kind) {
    case 'kubernetes': {
      const r = hardenKubernetes(text, needs);
      patched = r.text;
      entries = r.containers;
      break;
    }
    case 'compose': {
      const r = hardenCompose(text, needs, profileDir);
      patched = r.text;
      entries = r.services;
      break;
    }
    case 'docker-run': {
      const r = hardenDockerRun(text, workloads, profileDir);
      patched = r.text;
      entries = r.runs;
      break;
    }
    default:
      return undefined;
  }
  for (const e of entries) {
    const image = find(e.workload, e.container)?.image?.value;
    for (const [p, t] of profileFiles(e.profiles, e.needs, image, kind === 'kubernetes')) files.set(p, t);
  }
  return { kind, patched, files };
}
