/**
 * `breakwater host`: every catalogued technique whose version range includes this host's
 * components, with the version to move to, plus what the host offers the defence.
 */
import { TECHNIQUES } from '../catalog/index.js';
import type { Component, Technique } from '../catalog/schema.js';
import { affectedRangeFor, fixedVersionFor } from '../catalog/version.js';
import type { HostFeatures } from './features.js';
import type { Versions } from './versions.js';

export interface Exposure {
  technique: string;
  title: string;
  severity: Technique['severity'];
  cves: string[];
  component: Component;
  version: string;
  /** The release to move to on this branch (or the next fixed one); undefined when none exists. */
  fixedIn: string | undefined;
}

export function exposures(versions: Versions, techniques: readonly Technique[] = TECHNIQUES): Exposure[] {
  const out: Exposure[] = [];
  for (const t of techniques)
    for (const a of t.affected) {
      const v = versions[a.component];
      if (!v || !affectedRangeFor(t.affected, a.component, v)) continue;
      if (out.some((e) => e.technique === t.id && e.component === a.component)) continue;
      out.push({
        technique: t.id,
        title: t.title,
        severity: t.severity,
        cves: t.cves,
        component: a.component,
        version: v,
        fixedIn: fixedVersionFor(t.affected, a.component, v),
      });
    }
  return out;
}

/** Advice from the host's features (what the scheme needs to hold). */
export function featureAdvice(f: HostFeatures): string[] {
  const advice: string[] = [];
  if (f.seccomp === false) advice.push('the kernel has no seccomp: no syscall filter can be applied');
  if (f.apparmor === false)
    advice.push(
      'AppArmor is not enabled: AppArmor profiles are not enforced (boot with apparmor=1 security=apparmor)',
    );
  if (f.userNamespaces === false)
    advice.push('user namespaces are off: containers cannot run with hostUsers: false / userns-remap');
  if (f.cgroup === 'v1' || f.cgroup === 'hybrid')
    advice.push(
      'cgroup v1 is mounted: release_agent escapes (CVE-2022-0492 and CAP_SYS_ADMIN misconfigurations) are possible; move to cgroup v2',
    );
  if (f.daemon && !f.daemon.error) {
    if (!f.daemon.usernsRemap)
      advice.push(`${f.daemon.file}: no "userns-remap": container root is host root`);
    if (!f.daemon.noNewPrivileges) advice.push(`${f.daemon.file}: "no-new-privileges" is not set by default`);
  }
  return advice;
}
