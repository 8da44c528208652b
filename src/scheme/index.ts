/**
 * The defence scheme: generate(options) -> the seccomp profile, the AppArmor profile and the runtime
 * settings for a workload (a generic application when nothing is known), plus for every rule the
 * catalog techniques it stops, found by evaluating each technique's steps against the generated
 * profile (not by a hand-kept list).
 */
import { type AppArmorSchemeOptions, BREAKWATER_PROFILE_NAME, generateAppArmor } from './apparmor.js';
import { type RuntimeOptions, type RuntimeSettings, runtimeSettings } from './runtime.js';
import { generateSeccomp, type SeccompScheme, type SeccompSchemeOptions } from './seccomp.js';

export { BREAKWATER_PROFILE_NAME } from './apparmor.js';

export interface SchemeOptions extends SeccompSchemeOptions, RuntimeOptions {
  /** AppArmor profile name (validated by the builder). */
  name?: string;
  /** Technique ids per AppArmor rule text (computed by simulate/provenance.ts). */
  provenance?: AppArmorSchemeOptions['provenance'];
}

export interface Scheme {
  seccomp: SeccompScheme;
  apparmor: string;
  apparmorName: string;
  runtime: RuntimeSettings;
}

export function generate(opts: SchemeOptions = {}): Scheme {
  const runtime = runtimeSettings(opts);
  const name = opts.name ?? BREAKWATER_PROFILE_NAME;
  return {
    seccomp: generateSeccomp(opts),
    apparmor: generateAppArmor({
      name,
      capabilities: runtime.capabilities,
      ...(opts.provenance ? { provenance: opts.provenance } : {}),
    }),
    apparmorName: name,
    runtime,
  };
}
