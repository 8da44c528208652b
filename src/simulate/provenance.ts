/**
 * Which catalog techniques each generated rule exists for — found by evaluation, not kept by hand:
 * every step of every technique is decided under the generated defence, and each step the
 * AppArmor profile or the seccomp filter denies is credited to the rule (or syscall) that denied it.
 * The AppArmor profile is then rendered again with those ids as a comment above each deny rule.
 */
import { TECHNIQUES } from '../catalog/index.js';
import type { Technique } from '../catalog/schema.js';
import { generate, type Scheme, type SchemeOptions } from '../scheme/index.js';
import { appArmorLayer, type Defence } from './defence.js';
import { decideStep, environment, stepChecks } from './model.js';

export interface Provenance {
  /** Builder rule text -> technique ids. */
  apparmor: Map<string, string[]>;
  /** Syscall name -> technique ids whose steps it stops (by rule or default action). */
  seccomp: Map<string, string[]>;
}

export function defenceFromScheme(id: string, description: string, s: Scheme): Defence {
  return {
    id,
    description,
    seccomp: s.seccomp.profile,
    apparmor: appArmorLayer(s.apparmor, 'apparmor.profile'),
    capabilities: new Set(s.runtime.capabilities),
    noNewPrivileges: s.runtime.noNewPrivileges,
    userNamespace: s.runtime.userNamespace,
    readOnlyRootFilesystem: s.runtime.readOnlyRootFilesystem,
    maskedPaths: s.runtime.maskedPaths,
    readonlyPaths: s.runtime.readonlyPaths,
  };
}

const add = (m: Map<string, string[]>, k: string, id: string) => {
  const l = m.get(k) ?? [];
  if (!l.includes(id)) l.push(id);
  m.set(k, l);
};

export function provenanceOf(scheme: Scheme, techniques: readonly Technique[] = TECHNIQUES): Provenance {
  const defence = defenceFromScheme('breakwater', '', scheme);
  const lines = scheme.apparmor.split('\n');
  const out: Provenance = { apparmor: new Map(), seccomp: new Map() };
  for (const t of techniques) {
    const env = environment(defence, t.preconditions);
    for (const chain of t.chains) {
      const state = { ownUserns: false };
      for (const step of chain.steps) {
        // Every layer that would deny the step gets the credit (defence in depth), not only the first.
        for (const c of stepChecks(env, state, step)) {
          if (!c.deny) continue;
          if (c.layer === 'apparmor' && c.location)
            add(out.apparmor, (lines[c.location.line - 1] ?? '').trim(), t.id);
          if (c.layer === 'seccomp') add(out.seccomp, c.rule.replace(/[(:].*$/, ''), t.id);
        }
        decideStep(env, state, step); // advances the chain state (a user namespace created...)
      }
    }
  }
  for (const l of [...out.apparmor.values(), ...out.seccomp.values()]) l.sort();
  return out;
}

/** The scheme with each AppArmor deny rule annotated with the techniques it stops. */
export function generateWithProvenance(opts: SchemeOptions = {}): { scheme: Scheme; provenance: Provenance } {
  const provenance = provenanceOf(generate(opts));
  return {
    scheme: generate({ ...opts, provenance: provenance.apparmor, syscallProvenance: provenance.seccomp }),
    provenance,
  };
}
