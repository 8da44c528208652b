/**
 * The normalized seccomp profile: one model for Docker/moby JSON, the OCI runtime-spec
 * `linux.seccomp` object and the Security Profiles Operator `SeccompProfile`.
 * Integers that reach the kernel as 64-bit values are bigint, never number.
 */
import type { SourcePos } from '../errors.js';

export const ACTIONS = [
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_KILL',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_NOTIFY',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_LOG',
  'SCMP_ACT_ALLOW',
] as const;
export type ActionName = (typeof ACTIONS)[number];

export const OPERATORS = [
  'SCMP_CMP_NE',
  'SCMP_CMP_LT',
  'SCMP_CMP_LE',
  'SCMP_CMP_EQ',
  'SCMP_CMP_GE',
  'SCMP_CMP_GT',
  'SCMP_CMP_MASKED_EQ',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** Seccomp filter flags runtimes accept (OCI runtime-spec `linux.seccomp.flags`). */
export const FLAGS = [
  'SECCOMP_FILTER_FLAG_TSYNC',
  'SECCOMP_FILTER_FLAG_LOG',
  'SECCOMP_FILTER_FLAG_SPEC_ALLOW',
  'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV',
] as const;

export interface ArgCondition {
  index: number;
  value: bigint;
  /** Only meaningful for SCMP_CMP_MASKED_EQ: `(arg & value) == valueTwo`. */
  valueTwo: bigint;
  op: Operator;
  pos?: SourcePos;
}

/** Docker's `includes` / `excludes` selectors. */
export interface RuleSelector {
  caps?: string[];
  arches?: string[];
  minKernel?: string;
}

export interface SyscallRule {
  names: string[];
  action: ActionName;
  errnoRet?: number;
  args: ArgCondition[];
  comment?: string;
  includes?: RuleSelector;
  excludes?: RuleSelector;
  /** Where the rule object starts, and where each name is written (same order as `names`). */
  pos?: SourcePos;
  namePos?: SourcePos[];
}

export interface ArchMapEntry {
  architecture: string;
  subArchitectures: string[];
}

export type ProfileFormat = 'docker' | 'oci' | 'spo';

export interface SpoMeta {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
}

export interface SeccompProfile {
  format: ProfileFormat;
  defaultAction: ActionName;
  defaultErrnoRet?: number;
  /** Flat architecture list (OCI style, and Docker's legacy `architectures`). */
  architectures: string[];
  /** Docker's `archMap`: the native arch and the sub-architectures that come with it. */
  archMap?: ArchMapEntry[];
  flags: string[];
  listenerPath?: string;
  listenerMetadata?: string;
  syscalls: SyscallRule[];
  /** Where the profile was read from (file name) and where its syscalls list starts. */
  source?: string;
  pos?: SourcePos;
  /** Kubernetes envelope of an SPO `SeccompProfile`, kept so printing round-trips. */
  spo?: SpoMeta;
}

/** Strip positions so two models can be compared structurally (round-trip tests, diff). */
export function withoutPositions(p: SeccompProfile): SeccompProfile {
  return JSON.parse(
    JSON.stringify(p, (k, v) =>
      k === 'pos' || k === 'namePos' || k === 'source' ? undefined : typeof v === 'bigint' ? `${v}n` : v,
    ),
  );
}
