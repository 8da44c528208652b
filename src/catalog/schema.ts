/**
 * The shape of a catalogued escape technique. Techniques are data (one file per technique under
 * `techniques/`), validated by these zod schemas when the registry loads, so a typo in a
 * capability name or a version range fails the test suite instead of silently weakening a verdict.
 *
 * A technique has one or more alternative *chains*; a chain is a list of *steps*, each one
 * primitive the attacker (or the runtime acting for the container) must get past every layer.
 * The simulator breaks a chain when any layer denies any step, and stops a technique when every
 * chain is broken. Steps are concrete (argument values, paths, addresses), not constraints:
 * the evaluators decide concrete requests.
 */
import { z } from 'zod';

/** Components whose versions the catalog tracks. `kernel` is Linux itself. */
export const COMPONENTS = [
  'runc',
  'crun',
  'containerd',
  'moby',
  'docker-cli',
  'buildkit',
  'cri-o',
  'podman',
  'buildah',
  'kubelet',
  'kernel',
] as const;
export type Component = (typeof COMPONENTS)[number];

export const TECHNIQUE_CLASSES = ['runtime', 'container', 'kernel', 'misconfiguration'] as const;
export type TechniqueClass = (typeof TECHNIQUE_CLASSES)[number];

/** Dotted numeric version with an optional `-rcN` / `-betaN` / `-alphaN` pre-release (e.g. `1.0.0-rc6`). */
const VERSION = /^\d+(?:\.\d+){0,3}(?:-(?:rc|beta|alpha)\.?\d+)?$/;
export const versionSchema = z.string().regex(VERSION, 'a version like 1.1.12, 5.16.2 or 1.0.0-rc6');

/**
 * One vulnerable range, OSV style: affected from `introduced` (inclusive; omitted = every earlier
 * version) up to but not including `fixed` (omitted = not fixed). `lastAffected` is the last
 * released vulnerable version in the range: the boundary test checks it is affected and `fixed`
 * is not. Separate ranges per maintained branch (e.g. runc 1.1.x fixed in 1.1.12, 1.2.x in 1.2.0).
 */
export const versionRangeSchema = z
  .object({
    introduced: versionSchema.optional(),
    fixed: versionSchema.optional(),
    lastAffected: versionSchema,
  })
  .strict();
export type VersionRange = z.infer<typeof versionRangeSchema>;

export const affectedSchema = z
  .object({
    component: z.enum(COMPONENTS),
    ranges: z.array(versionRangeSchema).min(1),
    /** Where the fix is described (release notes, commit). */
    fixReference: z.string().url().optional(),
  })
  .strict();
export type Affected = z.infer<typeof affectedSchema>;

/** Capability names as AppArmor spells them: lower case, no `cap_` prefix (`sys_admin`). */
export const capabilityName = z.string().regex(/^[a-z_]+$/, 'lower case without cap_ (e.g. sys_admin)');

/**
 * What the vulnerable environment grants the container. The simulator adds these to the container
 * under every defence (a defence cannot take back a capability the workload was given; it can
 * still stop what the capability is used for).
 */
export const preconditionsSchema = z
  .object({
    privileged: z.boolean().optional(),
    /** Capabilities granted on top of the defence's set. */
    capabilities: z.array(capabilityName).optional(),
    hostPid: z.boolean().optional(),
    hostNetwork: z.boolean().optional(),
    hostIpc: z.boolean().optional(),
    /** Host paths bind-mounted into the container (e.g. `/`, `/var/run/docker.sock`, `/var/log`). */
    hostPaths: z.array(z.string().startsWith('/')).optional(),
    /** Host device nodes given to the container (e.g. `/dev/sda`). */
    devices: z.array(z.string().startsWith('/dev/')).optional(),
    /** The container runs without a user namespace (root in the container is root on the host). */
    noUserNamespace: z.boolean().optional(),
    /**
     * /proc and /sys are not masked or read-only: Kubernetes `procMount: Unmasked`, Docker
     * `--security-opt systempaths=unconfined`. Profiles still apply (unlike privileged).
     */
    procUnmasked: z.boolean().optional(),
    /** The host mounts cgroup v1 (release_agent exists only there). */
    cgroupV1: z.boolean().optional(),
    /** A container runtime's API socket is mounted into the container. */
    runtimeSocket: z.enum(['docker', 'containerd', 'cri-o', 'podman']).optional(),
    /** What the attacker controls beyond a shell in the container (image, build context, a pod spec...). */
    attackerControls: z
      .array(
        z.enum(['image', 'dockerfile', 'pod-spec', 'exec-target', 'build-frontend', 'container-process']),
      )
      .optional(),
    /** A host-side action the technique waits for (an operator running `docker cp`, `kubectl exec`...). */
    needsHostAction: z.string().optional(),
  })
  .strict();
export type Preconditions = z.infer<typeof preconditionsSchema>;

/** A syscall with concrete argument values (unspecified trailing args are 0). */
const syscallPrimitive = z
  .object({
    kind: z.literal('syscall'),
    name: z.string().regex(/^[a-z0-9_]+$/),
    args: z.array(z.bigint()).max(6).optional(),
  })
  .strict();
/** An access to a path as the kernel names it (after resolution), with AppArmor permission letters. */
const filePrimitive = z
  .object({
    kind: z.literal('file'),
    path: z.string().startsWith('/'),
    access: z.string().regex(/^[rwalkmx]+$/),
    /** The task owns the file (AppArmor `owner` rules apply). Default false. */
    owner: z.boolean().optional(),
  })
  .strict();
const capabilityPrimitive = z.object({ kind: z.literal('capability'), name: capabilityName }).strict();
const mountPrimitive = z
  .object({
    kind: z.literal('mount'),
    fstype: z.string().optional(),
    source: z.string().optional(),
    target: z.string().startsWith('/'),
    /** mount(8) option words (`bind`, `remount`, `ro`, `nosuid`...). */
    options: z.array(z.string()).optional(),
  })
  .strict();
const umountPrimitive = z.object({ kind: z.literal('umount'), target: z.string().startsWith('/') }).strict();
const pivotRootPrimitive = z
  .object({
    kind: z.literal('pivot_root'),
    newRoot: z.string().startsWith('/'),
    putOld: z.string().startsWith('/'),
  })
  .strict();
/** socket(domain, type): domain and type as AppArmor names them (`alg`, `seqpacket`; `netlink`, `raw`). */
const networkPrimitive = z
  .object({ kind: z.literal('network'), domain: z.string(), type: z.string() })
  .strict();
/**
 * `peer`: a process of the host (`host`: visible only with the host PID namespace), of the same
 * container (`container`), or a runtime process that joined the container's namespaces but is not
 * confined yet (`runtime`: `runc init` during exec — visible to the container, unconfined).
 */
const peerSchema = z.enum(['host', 'container', 'runtime']);
const ptracePrimitive = z
  .object({ kind: z.literal('ptrace'), access: z.enum(['trace', 'read']), peer: peerSchema })
  .strict();
const signalPrimitive = z
  .object({ kind: z.literal('signal'), signal: z.string(), peer: peerSchema })
  .strict();
/** A unix socket access; `addr` starting with `@` is abstract, otherwise a filesystem path. */
const unixPrimitive = z
  .object({
    kind: z.literal('unix'),
    access: z.enum(['connect', 'send', 'bind']),
    addr: z.string().regex(/^[@/]/),
  })
  .strict();
/**
 * execve of a program. `gainsPrivilege`: the program is setuid/setgid or carries file capabilities
 * and the attack needs the gain (no-new-privileges makes the kernel ignore it).
 */
const execPrimitive = z
  .object({
    kind: z.literal('exec'),
    path: z.string().startsWith('/'),
    gainsPrivilege: z.boolean().optional(),
  })
  .strict();
/** A host-side request of a management process, in the AppArmor evaluator's query shape. */
const managementRequestSchema = z
  .object({
    by: z.enum(['runtime', 'shim', 'cp-helper']),
    request: z.discriminatedUnion('class', [
      z
        .object({
          class: z.literal('file'),
          path: z.string().startsWith('/'),
          perms: z.string().regex(/^[rwaklmx]+$/),
        })
        .strict(),
      z
        .object({
          class: z.literal('mount'),
          fstype: z.string().optional(),
          source: z.string().optional(),
          target: z.string().startsWith('/'),
          options: z.array(z.string()).optional(),
        })
        .strict(),
      z
        .object({
          class: z.literal('unix'),
          access: z.string().min(1),
          addr: z.string().optional(),
          type: z.string().optional(),
        })
        .strict(),
    ]),
  })
  .strict();
export type ManagementRequest = z.infer<typeof managementRequestSchema>;

/**
 * A step the runtime, daemon or kubelet performs on the host on the container's behalf (following
 * a symlink the container planted, loading a library from the container's root...). No container
 * profile mediates it; only the component's version or the management-plane defence decides.
 */
const runtimePrimitive = z
  .object({
    kind: z.literal('runtime'),
    component: z.enum(COMPONENTS),
    action: z.string().min(1),
    /**
     * Protections the runtime's act takes away for the rest of the chain (a mask bind-mounted
     * from an attacker's file, a profile that never got applied).
     */
    disables: z.array(z.enum(['apparmor', 'seccomp', 'masked-paths', 'read-only-paths'])).optional(),
    /**
     * What the management process asks the kernel for on the host while doing this (open, mmap,
     * mount, bind...), as AppArmor requests: the management-plane profile of `by` decides them.
     */
    performs: z.array(managementRequestSchema).optional(),
    /** Deployable runtime settings that make this act harmless (e.g. `readonly-runtime-binary`). */
    closedBy: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const primitiveSchema = z.discriminatedUnion('kind', [
  syscallPrimitive,
  filePrimitive,
  capabilityPrimitive,
  mountPrimitive,
  umountPrimitive,
  pivotRootPrimitive,
  networkPrimitive,
  ptracePrimitive,
  signalPrimitive,
  unixPrimitive,
  execPrimitive,
  runtimePrimitive,
]);
export type Primitive = z.infer<typeof primitiveSchema>;
export type PrimitiveKind = Primitive['kind'];

export const stepSchema = z
  .object({
    /** What this step achieves in the attack, in a sentence. */
    why: z.string().min(1),
    primitive: primitiveSchema,
  })
  .strict();
export type Step = z.infer<typeof stepSchema>;

export const chainSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    description: z.string().min(1),
    steps: z.array(stepSchema).min(1),
  })
  .strict();
export type Chain = z.infer<typeof chainSchema>;

export const techniqueSchema = z
  .object({
    /** Stable kebab-case id, also the file name (e.g. `runc-proc-self-exe-overwrite`). */
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    title: z.string().min(1),
    class: z.enum(TECHNIQUE_CLASSES),
    severity: z.enum(['low', 'medium', 'high', 'critical']),
    cves: z.array(z.string().regex(/^CVE-\d{4}-\d{4,}$/)),
    /** Two or three sentences: what happens and why it escapes. */
    summary: z.string().min(1),
    /** Empty for misconfigurations (every version is exposed). */
    affected: z.array(affectedSchema),
    preconditions: preconditionsSchema,
    chains: z.array(chainSchema).min(1),
    /** What closes it beyond profiles (versions, settings), as sentences. */
    mitigations: z.array(z.string()).min(1),
    references: z.array(z.string().url()).min(1),
  })
  .strict();
export type Technique = z.infer<typeof techniqueSchema>;
