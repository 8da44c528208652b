/**
 * Every audit check, by id. Explicit imports (no directory scanning); the meta-test checks
 * folders = registry = READMEs, and that every technique id a check names is in the catalog.
 */
import { defineRegistry } from '../report/checks.js';
import { apparmorUnconfined } from './apparmor-unconfined/index.js';
import { dangerousCapability } from './dangerous-capability/index.js';
import { dockerfileProcTrap } from './dockerfile-proc-trap/index.js';
import { dockerfileRemoteAdd } from './dockerfile-remote-add/index.js';
import { dockerfileUntrustedFrontend } from './dockerfile-untrusted-frontend/index.js';
import { hostDevice } from './host-device/index.js';
import { hostNamespaces } from './host-namespaces/index.js';
import { hostRootMount } from './host-root-mount/index.js';
import { privilegeEscalation } from './privilege-escalation/index.js';
import { privileged } from './privileged/index.js';
import { procUnmasked } from './proc-unmasked/index.js';
import { rootWithoutUserns } from './root-without-userns/index.js';
import { runtimeSocketMount } from './runtime-socket-mount/index.js';
import { seccompUnconfined } from './seccomp-unconfined/index.js';
import { sensitiveHostPath } from './sensitive-host-path/index.js';
import { subpathVolume } from './subpath-volume/index.js';
import type { AuditCheck } from './types.js';
import { unsafeSysctl } from './unsafe-sysctl/index.js';
import { varLogMount } from './var-log-mount/index.js';
import { writableRootFilesystem } from './writable-root-filesystem/index.js';

export const CHECKS = defineRegistry({
  privileged,
  'runtime-socket-mount': runtimeSocketMount,
  'host-root-mount': hostRootMount,
  'host-device': hostDevice,
  'dangerous-capability': dangerousCapability,
  'unsafe-sysctl': unsafeSysctl,
  'dockerfile-proc-trap': dockerfileProcTrap,
  'host-namespaces': hostNamespaces,
  'sensitive-host-path': sensitiveHostPath,
  'var-log-mount': varLogMount,
  'proc-unmasked': procUnmasked,
  'seccomp-unconfined': seccompUnconfined,
  'apparmor-unconfined': apparmorUnconfined,
  'privilege-escalation': privilegeEscalation,
  'root-without-userns': rootWithoutUserns,
  'dockerfile-untrusted-frontend': dockerfileUntrustedFrontend,
  'subpath-volume': subpathVolume,
  'writable-root-filesystem': writableRootFilesystem,
  'dockerfile-remote-add': dockerfileRemoteAdd,
} satisfies Record<string, AuditCheck>);

export type CheckId = keyof typeof CHECKS;
