/**
 * What a workload declares it needs, as input to the scheme: the capabilities it adds that are not
 * escapes on their own, plus NET_BIND_SERVICE when it listens below 1024. Names of the generated
 * profiles are derived from workload and container names through a strict alphabet, so nothing
 * from a manifest reaches a profile name or path unescaped.
 */
import type { Container } from '../model/workload.js';
import { DENIED_CAPABILITIES } from '../scheme/apparmor.js';
import { GENERIC_CAPABILITIES } from '../scheme/runtime.js';

export interface WorkloadNeeds {
  /** Capabilities to keep (AppArmor spelling), sorted. */
  capabilities: string[];
}

export interface NamedProfiles {
  /** Relative path under the kubelet's seccomp root / the file name to write. */
  seccompFile: string;
  /** AppArmor profile name (also its file name). */
  apparmorName: string;
}

/** Capabilities from GENERIC plus what the container adds, minus the escape capabilities. */
export function needsOf(c: Container | undefined): WorkloadNeeds {
  const caps = new Set(GENERIC_CAPABILITIES);
  for (const a of c?.capAdd ?? [])
    if (a.value !== 'all' && !DENIED_CAPABILITIES.includes(a.value)) caps.add(a.value);
  return { capabilities: [...caps].sort() };
}

/** `Deployment/My App`, `web` -> `breakwater-my-app-web`: lower case, [a-z0-9-], at most 100 chars. */
export function slug(...parts: string[]): string {
  const s = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 90);
  return s || 'workload';
}

export function profileNames(workload: string, container: string): NamedProfiles {
  const base = slug('breakwater', workload, container);
  return { seccompFile: `breakwater/${base}.json`, apparmorName: base };
}
