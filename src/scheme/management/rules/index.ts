/** Every management-plane rule, one module per technique (the module name is the technique id). */

import type { ManagementRule } from '../types.js';
import { rules as containerdShimAbstractSocket } from './containerd-shim-abstract-socket.js';
import { rules as crioSysctlInjectionCorePattern } from './crio-sysctl-injection-core-pattern.js';
import { rules as dockerCpNssLibraryInjection } from './docker-cp-nss-library-injection.js';
import { rules as dockerCpSymlinkRace } from './docker-cp-symlink-race.js';
import { rules as runcLeakedFdWorkdir } from './runc-leaked-fd-workdir.js';
import { rules as runcMaskedPathDevNullSymlink } from './runc-masked-path-dev-null-symlink.js';
import { rules as runcMountDestinationSymlinkExchange } from './runc-mount-destination-symlink-exchange.js';
import { rules as runcProcSelfExeOverwrite } from './runc-proc-self-exe-overwrite.js';
import { rules as runcProcSymlinkApparmorBypass } from './runc-proc-symlink-apparmor-bypass.js';
import { rules as runcProcVolumeApparmorBypass } from './runc-proc-volume-apparmor-bypass.js';

export const MANAGEMENT_RULES: readonly ManagementRule[] = [
  ...containerdShimAbstractSocket,
  ...crioSysctlInjectionCorePattern,
  ...dockerCpNssLibraryInjection,
  ...dockerCpSymlinkRace,
  ...runcLeakedFdWorkdir,
  ...runcMaskedPathDevNullSymlink,
  ...runcMountDestinationSymlinkExchange,
  ...runcProcSelfExeOverwrite,
  ...runcProcSymlinkApparmorBypass,
  ...runcProcVolumeApparmorBypass,
];
