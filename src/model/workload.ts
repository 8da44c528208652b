/**
 * The normalized workload every reader produces (Kubernetes, compose, `docker run`, `docker
 * inspect`, OCI config.json, Dockerfile) and every audit check reads. Each value taken from the
 * input carries the position it was read from, so a finding points at the line to change.
 *
 * Conventions: capability names in AppArmor spelling (`sys_admin`, lower case, no `cap_`; `all`
 * for ALL); a setting the input does not state is absent (undefined), never defaulted — checks
 * decide what the runtime's default means.
 */
import type { Diagnostic, SourcePos } from '../errors.js';

/** A value and where it was written. */
export interface At<T> {
  value: T;
  pos: SourcePos;
}

export const SOURCE_KINDS = [
  'kubernetes',
  'compose',
  'docker-run',
  'docker-inspect',
  'oci-config',
  'dockerfile',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** A seccomp or AppArmor profile choice, as every format can express it. */
export interface ProfileRef {
  type: 'unconfined' | 'runtime-default' | 'localhost';
  /** For `localhost`: the profile file (seccomp) or loaded profile name (AppArmor). */
  profile?: string;
}

export interface Mount {
  /** bind/hostPath: a host path; volume: a named volume; tmpfs: none. */
  type: 'bind' | 'volume' | 'tmpfs' | 'other';
  /** Host path (bind) or volume name. */
  source?: At<string>;
  /** Path inside the container. */
  target: At<string>;
  readOnly?: At<boolean>;
  /** Kubernetes `subPath` / `subPathExpr`. */
  subPath?: At<string>;
}

export interface Sysctl {
  name: string;
  value: string;
}

export interface Container {
  /** Container name (Kubernetes), service name (compose), or the workload name when there is one. */
  name: string;
  /** Where the container is declared (its `- name:` item, the service key, the command line). */
  pos: SourcePos;
  /** `init`, `ephemeral` (Kubernetes), else `main`. */
  role: 'main' | 'init' | 'ephemeral';
  image?: At<string>;
  privileged?: At<boolean>;
  capAdd: At<string>[];
  capDrop: At<string>[];
  allowPrivilegeEscalation?: At<boolean>;
  /** Docker/compose `no-new-privileges` (the same kernel flag as allowPrivilegeEscalation: false). */
  noNewPrivileges?: At<boolean>;
  readOnlyRootFilesystem?: At<boolean>;
  runAsUser?: At<number>;
  runAsNonRoot?: At<boolean>;
  /** Dockerfile `USER`, docker `--user`, compose `user`. */
  user?: At<string>;
  seccomp?: At<ProfileRef>;
  apparmor?: At<ProfileRef>;
  /** Kubernetes `procMount`, Docker `systempaths=unconfined` (Unmasked). */
  procMount?: At<'Default' | 'Unmasked'>;
  /** Host device paths given to the container. */
  devices: At<string>[];
  mounts: Mount[];
  sysctls: At<Sysctl>[];
  /** Container ports declared or published. */
  ports: At<number>[];
  workdir?: At<string>;
}

export interface Workload {
  source: SourceKind;
  /** `Deployment/web`, `service web`, `docker run #3`... */
  name: string;
  file: string;
  /** Where the workload starts in the file (document, service key, line of the command). */
  pos: SourcePos;
  hostPid?: At<boolean>;
  hostIpc?: At<boolean>;
  hostNetwork?: At<boolean>;
  /** Kubernetes `hostUsers: false` means a user namespace; Docker `--userns host` means none. */
  userNamespace?: At<boolean>;
  cgroupnsHost?: At<boolean>;
  containers: Container[];
  /** Dockerfile-only facts. */
  dockerfile?: {
    /** `# syntax=` frontend image. */
    syntax?: At<string>;
    volumes: At<string>[];
    /** `ADD <url>` sources. */
    remoteAdds: At<string>[];
    /**
     * Every WORKDIR of every stage, resolved: a `/proc/self/fd/N` one followed by RUN is the
     * build-time form of CVE-2024-21626, even when a later WORKDIR replaces it.
     */
    workdirs?: At<string>[];
  };
}

export interface ReadResult {
  workloads: Workload[];
  diagnostics: Diagnostic[];
}

/** A reader: text of one file -> workloads + diagnostics. Never throws on bad input. */
export type Reader = (text: string, file: string) => ReadResult;

/** Normalize a capability as any format writes it (`CAP_SYS_ADMIN`, `SYS_ADMIN`, `sys_admin`, `ALL`). */
export function normalizeCapability(raw: string): string {
  return raw.trim().toLowerCase().replace(/^cap_/, '');
}

/** A container with nothing set, for readers to fill. */
export function emptyContainer(name: string, pos: SourcePos, role: Container['role'] = 'main'): Container {
  return { name, pos, role, capAdd: [], capDrop: [], devices: [], mounts: [], sysctls: [], ports: [] };
}
