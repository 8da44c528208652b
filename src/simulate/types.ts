/**
 * The simulation's result document (`breakwater simulate --format json`, schemaVersion 1; JSON
 * Schema in docs/simulation-report.schema.json). The model engine and, later, the real-enforcement
 * engine both produce it, so reports and tests read one shape.
 */
import type { Primitive, TechniqueClass } from '../catalog/schema.js';

/** Which protection decided a step. `environment`: the request has nothing to reach (no host PID, socket not mounted...). */
export const LAYERS = [
  'capabilities',
  'seccomp',
  'apparmor',
  'management-apparmor',
  'masked-paths',
  'read-only-paths',
  'read-only-rootfs',
  'user-namespace',
  'no-new-privileges',
  'settings',
  'runtime-settings',
  'environment',
  'version',
] as const;
export type Layer = (typeof LAYERS)[number];

export interface StepResult {
  /** The primitive in words, e.g. `mount -t cgroup cgroup /tmp/cgrp`, `write /proc/sys/kernel/core_pattern`. */
  primitive: string;
  kind: Primitive['kind'];
  decision: 'allow' | 'deny';
  /** The layer that denied (for deny), or the last layer that allowed (for allow; `environment` when nothing mediates it). */
  layer: Layer;
  /** The rule or setting that decided, as text (`deny mount,` / `mount: SCMP_ACT_ERRNO (default action)` / `capability sys_admin not in the set`). */
  rule: string;
  /** Where the rule is, when it comes from a profile file. */
  location?: { file: string; line: number; column: number };
}

export interface ChainResult {
  chain: string;
  blocked: boolean;
  /** Every step, including those after the first denied one (so a report shows all layers that would stop it). */
  steps: StepResult[];
}

export type Verdict = 'blocked' | 'not-blocked' | 'not-applicable';

export interface TechniqueResult {
  technique: string;
  defence: string;
  verdict: Verdict;
  /** For not-applicable: the component version that closes it (e.g. `runc >= 1.1.12`). */
  fix?: string;
  /** Why this verdict, in a sentence. */
  reason: string;
  chains: ChainResult[];
  /** Steps of the chain that decided the verdict (the first unblocked chain, or the first chain when all are blocked). */
  steps: StepResult[];
  /** With `--engine real`: how the kernel answered the steps the lab can perform. */
  verified?: Verification;
  /** Procedures suite with `--engine real`: what the re-created vulnerable procedure did in the lab. */
  procedure?: ProcedureEvidence;
}

/**
 * One vulnerable-procedure simulator (lab/vulnerable/<technique>) run under one defence in the
 * AppArmor VM. The verdict of a result that carries this comes from the canary, not the model.
 */
export interface ProcedureEvidence {
  /** `uname -r` of the kernel the lab VM booted. */
  kernel: string;
  /** Did the attack reach its harmless canary? */
  canary: 'reached' | 'safe' | 'error';
  /** The simulator's own account of the outcome. */
  detail: string;
  /**
   * The defence's layers that stop the attack: each that stops it alone, and each without which it
   * gets through (both measured in the lab). Empty when the canary was reached.
   */
  stoppedBy: Layer[];
  /** Steps the simulator reported as refused, with the errno (`manager: mount ... EACCES`). */
  refused: string[];
  /** AppArmor denials the kernel logged during the run. */
  denials: string[];
  /** The model's verdict for the same technique and defence. */
  modelVerdict: Verdict;
  /** With the fixed release's behaviour switched on (and no defence), was the canary still reached? */
  upgrade: 'reached' | 'safe' | 'error';
}

/** The kernel's answers to the steps the lab can perform, compared with the model's. */
export interface Verification {
  runtime: 'runc' | 'crun' | 'docker' | 'podman';
  /** `uname -r` of the kernel that answered. */
  kernel: string;
  /** Steps run on the kernel and compared. */
  compared: number;
  /** Of those, how many the kernel decided as the model did. */
  agreed: number;
  /** Steps the lab cannot perform faithfully (AppArmor, user namespaces, host-side acts...). */
  skipped: number;
  /** Each disagreement, with both answers. */
  disagreements: string[];
}

export interface BenignResult {
  workload: string;
  defence: string;
  verdict: 'works' | 'breaks';
  steps: StepResult[];
}

export interface DefenceInfo {
  id: string;
  description: string;
}

export interface SimulationReport {
  schemaVersion: 1;
  generatedBy: string;
  techniques: Array<{ id: string; title: string; class: TechniqueClass; cves: string[]; severity: string }>;
  defences: DefenceInfo[];
  results: TechniqueResult[];
  benign: BenignResult[];
  /** Per defence: how many container-side techniques it blocks, of how many. */
  summary: Array<{
    defence: string;
    blocked: number;
    notBlocked: number;
    notApplicable: number;
    total: number;
    benignBroken: number;
  }>;
}
