/**
 * The management-plane defence: AppArmor profiles for the processes that act for a container on
 * the host (the runtime creating or exec'ing into it, the shim, the daemon's copy helper). Each
 * profile is a permissive base (a runtime must mount, pivot, set capabilities) narrowed by deny
 * rules; every deny rule exists for named techniques and says why.
 */

/** Which management process a profile confines (profile name `breakwater-mgmt-<component>`). */
export type ManagementComponent = 'runtime' | 'shim' | 'cp-helper';

export const MANAGEMENT_COMPONENTS: readonly ManagementComponent[] = ['runtime', 'shim', 'cp-helper'];

export const MANAGEMENT_PROFILE_PREFIX = 'breakwater-mgmt-';

export const managementProfileName = (c: ManagementComponent): string => `${MANAGEMENT_PROFILE_PREFIX}${c}`;

export type ManagementRuleBody =
  /** `deny <path> <perms>,` — path is an AppArmor glob pattern (validated by the builder). */
  | { kind: 'file'; path: string; perms: string }
  /** `deny mount [fstype=..] [<source>] [-> <target>],` */
  | { kind: 'mount'; fstype?: string; source?: string; target?: string }
  /** `deny unix (<perms>) [type=..] [addr=..],` abstract addresses start with `@`. */
  | { kind: 'unix'; perms: string[]; type?: string; addr?: string }
  /** `deny capability <name>,` */
  | { kind: 'capability'; name: string };

export interface ManagementRule {
  component: ManagementComponent;
  /** Technique ids (src/catalog) this rule exists for. */
  techniques: string[];
  /** One sentence: what the vulnerable procedure does that this rule refuses. */
  why: string;
  rule: ManagementRuleBody;
}
