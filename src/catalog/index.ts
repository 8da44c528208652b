/**
 * The technique registry. Every technique file is imported explicitly (no directory scanning, so a
 * bundle or a missing file fails at build time) and keyed by its file name; at load each one is
 * validated with `techniqueSchema`, its id must equal its file name and be unique, and the list is
 * sorted by id. `catalog.test.ts` checks that this map and the `techniques/` folder agree.
 */
import { z } from 'zod';
import { InternalError } from '../errors.js';
import { type Technique, techniqueSchema } from './schema.js';
import { technique as binfmtMiscRegister } from './techniques/binfmt-misc-register.js';
import { technique as buildahBindMountHostRoot } from './techniques/buildah-bind-mount-host-root.js';
import { technique as buildkitCacheMountRace } from './techniques/buildkit-cache-mount-race.js';
import { technique as buildkitInteractiveContainerPrivileged } from './techniques/buildkit-interactive-container-privileged.js';
import { technique as buildkitMountStubCleanerDelete } from './techniques/buildkit-mount-stub-cleaner-delete.js';
import { technique as capSysAdminReleaseAgent } from './techniques/cap-sys-admin-release-agent.js';
import { technique as capSysModuleLoadModule } from './techniques/cap-sys-module-load-module.js';
import { technique as cgroupReleaseAgentUnshare } from './techniques/cgroup-release-agent-unshare.js';
import { technique as containerdArchiveChmodHostFile } from './techniques/containerd-archive-chmod-host-file.js';
import { technique as containerdCriImageVolumeTraversal } from './techniques/containerd-cri-image-volume-traversal.js';
import { technique as containerdShimAbstractSocket } from './techniques/containerd-shim-abstract-socket.js';
import { technique as containerdSocketMounted } from './techniques/containerd-socket-mounted.js';
import { technique as crioSocketMounted } from './techniques/crio-socket-mounted.js';
import { technique as crioSysctlInjectionCorePattern } from './techniques/crio-sysctl-injection-core-pattern.js';
import { technique as deviceMknodBlockDevice } from './techniques/device-mknod-block-device.js';
import { technique as dirtyCowMemRace } from './techniques/dirty-cow-mem-race.js';
import { technique as dirtyPipeSpliceOverwrite } from './techniques/dirty-pipe-splice-overwrite.js';
import { technique as dockerCpNssLibraryInjection } from './techniques/docker-cp-nss-library-injection.js';
import { technique as dockerCpSymlinkRace } from './techniques/docker-cp-symlink-race.js';
import { technique as dockerSocketMounted } from './techniques/docker-socket-mounted.js';
import { technique as fsconfigHeapOverflow } from './techniques/fsconfig-heap-overflow.js';
import { technique as hostNetworkLoopbackServices } from './techniques/host-network-loopback-services.js';
import { technique as hostPidNsenterHostInit } from './techniques/host-pid-nsenter-host-init.js';
import { technique as hostPidProcRootAccess } from './techniques/host-pid-proc-root-access.js';
import { technique as hostPidPtraceHostProcess } from './techniques/host-pid-ptrace-host-process.js';
import { technique as hostpathRootMount } from './techniques/hostpath-root-mount.js';
import { technique as kubeletSubpathSymlinkExchange } from './techniques/kubelet-subpath-symlink-exchange.js';
import { technique as mobyAuthzZeroLengthBypass } from './techniques/moby-authz-zero-length-bypass.js';
import { technique as mobyDataDirSetuidTraversal } from './techniques/moby-data-dir-setuid-traversal.js';
import { technique as mobyInheritableCapabilities } from './techniques/moby-inheritable-capabilities.js';
import { technique as mobyUsernsRemapRootEscalation } from './techniques/moby-userns-remap-root-escalation.js';
import { technique as podmanSocketMounted } from './techniques/podman-socket-mounted.js';
import { technique as privilegedMountHostDisk } from './techniques/privileged-mount-host-disk.js';
import { technique as procSysKernelModprobeWrite } from './techniques/proc-sys-kernel-modprobe-write.js';
import { technique as runcDevConsoleBindRace } from './techniques/runc-dev-console-bind-race.js';
import { technique as runcExecInheritableCapabilities } from './techniques/runc-exec-inheritable-capabilities.js';
import { technique as runcExecInitPtrace } from './techniques/runc-exec-init-ptrace.js';
import { technique as runcLeakedFdWorkdir } from './techniques/runc-leaked-fd-workdir.js';
import { technique as runcMaskedPathDevNullSymlink } from './techniques/runc-masked-path-dev-null-symlink.js';
import { technique as runcMkdirallRaceHostInode } from './techniques/runc-mkdirall-race-host-inode.js';
import { technique as runcMountDestinationSymlinkExchange } from './techniques/runc-mount-destination-symlink-exchange.js';
import { technique as runcProcSelfExeOverwrite } from './techniques/runc-proc-self-exe-overwrite.js';
import { technique as runcProcSymlinkApparmorBypass } from './techniques/runc-proc-symlink-apparmor-bypass.js';
import { technique as runcProcSymlinkRegression } from './techniques/runc-proc-symlink-regression.js';
import { technique as runcProcVolumeApparmorBypass } from './techniques/runc-proc-volume-apparmor-bypass.js';
import { technique as runcProcfsWriteRedirect } from './techniques/runc-procfs-write-redirect.js';
import { technique as runcVolumeProcMountRace } from './techniques/runc-volume-proc-mount-race.js';
import { technique as shockerOpenByHandleAt } from './techniques/shocker-open-by-handle-at.js';
import { technique as sysrqTriggerWrite } from './techniques/sysrq-trigger-write.js';
import { technique as ueventHelperWrite } from './techniques/uevent-helper-write.js';
import { technique as varLogSymlinkKubelet } from './techniques/var-log-symlink-kubelet.js';
import { technique as writableCorePattern } from './techniques/writable-core-pattern.js';

/** File name (without `.ts`) to the technique it exports. */
export const TECHNIQUE_FILES = {
  'binfmt-misc-register': binfmtMiscRegister,
  'buildah-bind-mount-host-root': buildahBindMountHostRoot,
  'buildkit-cache-mount-race': buildkitCacheMountRace,
  'buildkit-interactive-container-privileged': buildkitInteractiveContainerPrivileged,
  'buildkit-mount-stub-cleaner-delete': buildkitMountStubCleanerDelete,
  'cap-sys-admin-release-agent': capSysAdminReleaseAgent,
  'cap-sys-module-load-module': capSysModuleLoadModule,
  'cgroup-release-agent-unshare': cgroupReleaseAgentUnshare,
  'containerd-archive-chmod-host-file': containerdArchiveChmodHostFile,
  'containerd-cri-image-volume-traversal': containerdCriImageVolumeTraversal,
  'containerd-shim-abstract-socket': containerdShimAbstractSocket,
  'containerd-socket-mounted': containerdSocketMounted,
  'crio-socket-mounted': crioSocketMounted,
  'crio-sysctl-injection-core-pattern': crioSysctlInjectionCorePattern,
  'device-mknod-block-device': deviceMknodBlockDevice,
  'dirty-cow-mem-race': dirtyCowMemRace,
  'dirty-pipe-splice-overwrite': dirtyPipeSpliceOverwrite,
  'docker-cp-nss-library-injection': dockerCpNssLibraryInjection,
  'docker-cp-symlink-race': dockerCpSymlinkRace,
  'docker-socket-mounted': dockerSocketMounted,
  'fsconfig-heap-overflow': fsconfigHeapOverflow,
  'host-network-loopback-services': hostNetworkLoopbackServices,
  'host-pid-nsenter-host-init': hostPidNsenterHostInit,
  'host-pid-proc-root-access': hostPidProcRootAccess,
  'host-pid-ptrace-host-process': hostPidPtraceHostProcess,
  'hostpath-root-mount': hostpathRootMount,
  'kubelet-subpath-symlink-exchange': kubeletSubpathSymlinkExchange,
  'moby-authz-zero-length-bypass': mobyAuthzZeroLengthBypass,
  'moby-data-dir-setuid-traversal': mobyDataDirSetuidTraversal,
  'moby-inheritable-capabilities': mobyInheritableCapabilities,
  'moby-userns-remap-root-escalation': mobyUsernsRemapRootEscalation,
  'podman-socket-mounted': podmanSocketMounted,
  'privileged-mount-host-disk': privilegedMountHostDisk,
  'proc-sys-kernel-modprobe-write': procSysKernelModprobeWrite,
  'runc-dev-console-bind-race': runcDevConsoleBindRace,
  'runc-exec-inheritable-capabilities': runcExecInheritableCapabilities,
  'runc-exec-init-ptrace': runcExecInitPtrace,
  'runc-leaked-fd-workdir': runcLeakedFdWorkdir,
  'runc-masked-path-dev-null-symlink': runcMaskedPathDevNullSymlink,
  'runc-mkdirall-race-host-inode': runcMkdirallRaceHostInode,
  'runc-mount-destination-symlink-exchange': runcMountDestinationSymlinkExchange,
  'runc-proc-self-exe-overwrite': runcProcSelfExeOverwrite,
  'runc-proc-symlink-apparmor-bypass': runcProcSymlinkApparmorBypass,
  'runc-proc-symlink-regression': runcProcSymlinkRegression,
  'runc-proc-volume-apparmor-bypass': runcProcVolumeApparmorBypass,
  'runc-procfs-write-redirect': runcProcfsWriteRedirect,
  'runc-volume-proc-mount-race': runcVolumeProcMountRace,
  'shocker-open-by-handle-at': shockerOpenByHandleAt,
  'sysrq-trigger-write': sysrqTriggerWrite,
  'uevent-helper-write': ueventHelperWrite,
  'var-log-symlink-kubelet': varLogSymlinkKubelet,
  'writable-core-pattern': writableCorePattern,
} satisfies Record<string, Technique>;

/**
 * Validates and sorts techniques keyed by file name. Throws an InternalError naming the technique
 * (its id, or the file name when the id itself is unusable) on the first invalid entry.
 */
export function loadTechniques(byFile: Readonly<Record<string, unknown>>): readonly Technique[] {
  const seen = new Map<string, string>();
  const out: Technique[] = [];
  for (const [file, raw] of Object.entries(byFile)) {
    const rawId = (raw as { id?: unknown } | undefined)?.id;
    const name = typeof rawId === 'string' && rawId !== '' ? rawId : file;
    const parsed = techniqueSchema.safeParse(raw);
    if (!parsed.success) {
      throw new InternalError(`catalog technique "${name}" is invalid:\n${z.prettifyError(parsed.error)}`);
    }
    const t = parsed.data;
    const other = seen.get(t.id);
    if (other !== undefined) {
      throw new InternalError(
        `catalog technique id "${t.id}" is used by techniques/${other}.ts and techniques/${file}.ts`,
      );
    }
    if (t.id !== file) {
      throw new InternalError(
        `catalog technique "${t.id}" is in techniques/${file}.ts; the id must equal the file name`,
      );
    }
    seen.set(t.id, file);
    out.push(t);
  }
  out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return Object.freeze(out);
}

/** Every catalogued technique, validated, sorted by id. */
export const TECHNIQUES: readonly Technique[] = loadTechniques(TECHNIQUE_FILES);

const BY_ID: ReadonlyMap<string, Technique> = new Map(TECHNIQUES.map((t) => [t.id, t]));

/** The technique with this id, or undefined. */
export function techniqueById(id: string): Technique | undefined {
  return BY_ID.get(id);
}
