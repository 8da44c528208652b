/**
 * What an AppArmor lint check may ask about the profile under lint: decisions of the compiled
 * profile (as enforce mode would make them: complain mode is its own finding, not a reason for
 * every other check to fire), the same decisions under the baseline, and the rules themselves.
 */
import { DOCKER_DEFAULT_PROFILE } from '../baselines/docker-default.js';
import {
  type AppArmorDecision,
  type AppArmorQuery,
  type CompiledProfile,
  compileAppArmor,
  evaluate,
  type FileQuery,
  type RuleRef,
} from '../evaluate.js';
import { parseProfileText } from '../parser.js';

export interface AppArmorLintOptions {
  /** Profile to compare against in allows-beyond-baseline. Default: docker-default. */
  baseline?: CompiledProfile;
  /** Run only these check ids (default: all). */
  checks?: readonly string[];
}

/** A decision that allows, with the rule that granted it (never null for an enforce-mode allow). */
export interface Allowed {
  query: AppArmorQuery;
  decision: AppArmorDecision;
}

let dockerDefault: CompiledProfile | undefined;
/**
 * docker-default compiled from our rendering of moby's template, without includes: its own rules
 * are what it denies (abstractions/base only adds reads, and is host-dependent in moby too).
 */
export function dockerDefaultBaseline(): CompiledProfile {
  if (!dockerDefault) {
    const { ast } = parseProfileText(DOCKER_DEFAULT_PROFILE, 'docker-default');
    if (!ast) throw new Error('built-in docker-default profile does not parse');
    dockerDefault = compileAppArmor(ast, { includeDirs: [] });
  }
  return dockerDefault;
}

export class AppArmorLintContext {
  readonly baseline: CompiledProfile;

  constructor(
    readonly profile: CompiledProfile,
    opts: AppArmorLintOptions = {},
  ) {
    this.baseline = opts.baseline ?? dockerDefaultBaseline();
  }

  /** The profile's decision as enforce mode makes it. */
  decide(q: AppArmorQuery, p: CompiledProfile = this.profile): AppArmorDecision {
    const d = evaluate(p, q);
    return d.enforceDecision ? { ...d, decision: d.enforceDecision } : d;
  }

  /** The allow decision for `q`, or undefined when enforce mode denies it. */
  allows(q: AppArmorQuery, p: CompiledProfile = this.profile): Allowed | undefined {
    const decision = this.decide(q, p);
    return decision.decision === 'allow' ? { query: q, decision } : undefined;
  }

  /**
   * A file access allowed whether or not the task owns the file: container root owns the host's
   * root-owned files (no user namespace), so an `owner` rule grants them as much as a plain one.
   */
  fileAllows(path: string, perms: string, p: CompiledProfile = this.profile): Allowed | undefined {
    for (const owner of [false, true]) {
      const q: FileQuery = { class: 'file', path, perms, owner };
      const a = this.allows(q, p);
      if (a) return a;
    }
    return undefined;
  }

  /** Write access in either form the kernel checks for writers: `w`, or `a` for O_APPEND. */
  writable(path: string): Allowed | undefined {
    return this.fileAllows(path, 'w') ?? this.fileAllows(path, 'a');
  }
}

/** The allows one rule is responsible for. */
export interface RuleGroup {
  rule: RuleRef;
  allowed: Allowed[];
}

/**
 * Collect allows per deciding rule, so a check reports each permissive rule once (with its
 * examples) instead of once per probe it lets through. Denied probes (undefined) are skipped.
 */
export function byRule(allowed: Iterable<Allowed | undefined>): RuleGroup[] {
  const by = new Map<string, RuleGroup>();
  for (const a of allowed) {
    const r = a?.decision.rule;
    if (!a || !r) continue; // an enforce-mode allow always names its rule
    const key = `${r.file}:${r.line}:${r.column}`;
    const g = by.get(key);
    if (g) g.allowed.push(a);
    else by.set(key, { rule: r, allowed: [a] });
  }
  return [...by.values()];
}

/** Up to three examples, then how many more. */
export function sample(xs: string[]): string {
  return xs.length > 3 ? `${xs.slice(0, 3).join('; ')}; and ${xs.length - 3} more` : xs.join('; ');
}
