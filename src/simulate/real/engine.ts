/**
 * The real engine: the steps of a technique's chains that the probe can perform, run in a runc
 * (or crun) container configured from the defence and the technique's preconditions — or through a
 * private dockerd or podman given the same settings as CLI flags (daemon.ts) — each compared with
 * the model's decision for the same step.
 *
 * What this lab reproduces, and so what is compared: seccomp (the profile's OCI form, resolved for
 * the container's capabilities), the capability set, no-new-privileges and Docker's masked and
 * read-only paths. Not reproduced, so left to the model (and to the AppArmor VM): AppArmor (this
 * kernel has none), user namespaces, host namespaces and mounted sockets. The model is therefore
 * asked the same question with those layers off, and a step is compared only when the probe's
 * answer means the same thing as the model's (see `mapStep`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CAPABILITY_NAMES } from '../../apparmor/tables.js';
import type { Preconditions, Step, Technique } from '../../catalog/schema.js';
import { printDockerProfile } from '../../seccomp/profile/index.js';
import { ADDRESS_FAMILY, CLONE_NEWUSER, SOCKET_TYPE } from '../constants.js';
import type { Defence } from '../defence.js';
import { decideStep, type Env, environment } from '../model.js';
import type { StepResult } from '../types.js';
import { ociSeccompFromDocker } from './bundle.js';
import { type DaemonSpec, runProbesDocker, runProbesPodman } from './daemon.js';
import { type ProbeResult, type ProbeSpec, runProbes } from './run.js';
import type { LabRuntime } from './runtimes.js';

export { LAB_RUNTIMES, type LabRuntime } from './runtimes.js';

const RENAME_EXCHANGE = 2n;
const S_IFMT = 0o170000n;
const S_IFBLK = 0o060000n;
const S_IFCHR = 0o020000n;
const SETUID_BITS = 0o6000n;

/** Syscalls the probe makes under the same name (its first call is the one the filter sees). */
const SAME_NAME = new Set([
  'keyctl',
  'add_key',
  'bpf',
  'perf_event_open',
  'userfaultfd',
  'io_uring_setup',
  'init_module',
  'finit_module',
  'delete_module',
  'kexec_load',
  'splice',
  'chroot',
  'syslog',
  'clone3',
]);

/** The probe command for a step, or undefined when the probe cannot perform it faithfully. */
export function mapStep(step: Step): string[] | undefined {
  const p = step.primitive;
  switch (p.kind) {
    case 'syscall': {
      const a = p.args ?? [];
      if (SAME_NAME.has(p.name)) return [p.name];
      if (p.name === 'setns') return ['setns-self'];
      if (p.name === 'open_by_handle_at' || p.name === 'name_to_handle_at') return ['open_by_handle_at'];
      if (p.name === 'unshare') return ['unshare', (a[0] ?? 0n).toString(16)];
      if (p.name === 'clone' && ((a[0] ?? 0n) & CLONE_NEWUSER) !== 0n) return ['clone-newuser'];
      if (p.name === 'ptrace') return ['ptrace-attach-child'];
      if (p.name === 'process_vm_writev') return ['process_vm_writev-self'];
      if (p.name === 'personality') return ['personality', (a[0] ?? 0n).toString(16)];
      if (p.name === 'socket') return ['socket', String(a[0] ?? 0n), String(a[1] ?? 0n)];
      if ((p.name === 'mknodat' || p.name === 'mknod') && a.length) {
        const mode = (p.name === 'mknodat' ? a[2] : a[1]) ?? 0n;
        if ((mode & S_IFMT) === S_IFBLK) return ['mknod-block', '/tmp/bw-blk'];
        if ((mode & S_IFMT) === S_IFCHR) return ['mknod-char', '/tmp/bw-chr'];
        return undefined;
      }
      if (p.name === 'renameat2' && ((a[4] ?? 0n) & RENAME_EXCHANGE) !== 0n) return ['renameat2-exchange'];
      if (p.name === 'fchmodat' || p.name === 'chmod' || p.name === 'fchmod') {
        const mode = (p.name === 'fchmodat' ? a[2] : a[1]) ?? 0n;
        return (mode & SETUID_BITS) !== 0n ? ['chmod-setuid', '/tmp/bw-suid'] : undefined;
      }
      return undefined;
    }
    case 'network': {
      const fam = ADDRESS_FAMILY[p.domain];
      const type = SOCKET_TYPE[p.type];
      return fam === undefined || type === undefined ? undefined : ['socket', String(fam), String(type)];
    }
    case 'mount':
      return p.fstype === 'tmpfs' ? ['mount-tmpfs', '/tmp/bw-mnt'] : undefined;
    case 'file': {
      // Opens of kernel interfaces that exist in every container; never a write, only the open.
      if (!/^\/(proc|sys)\//.test(p.path) || /[^rw]/.test(p.access)) return undefined;
      return [
        'open',
        p.path,
        p.access.includes('r') && p.access.includes('w') ? 'rw' : p.access.includes('w') ? 'w' : 'r',
      ];
    }
    default:
      return undefined;
  }
}

let hostCaps: string[] | undefined;
/**
 * "Every capability" as this host can grant it: runc refuses a capability outside its own bounding
 * set (a machine that is itself a container may lack some, e.g. CAP_SYS_RESOURCE here). Read once.
 */
function hostCapabilities(): string[] {
  if (hostCaps) return hostCaps;
  const bnd = /^CapBnd:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  const mask = bnd ? BigInt(`0x${bnd}`) : undefined;
  hostCaps = CAPABILITY_NAMES.filter((_, i) => mask === undefined || ((mask >> BigInt(i)) & 1n) === 1n);
  return hostCaps;
}

/** Probe answers that mean the kernel refused (the primitive's own "allowed" errnos are EINVAL, E2BIG...). */
const DENIED = new Set(['EPERM', 'EACCES', 'EROFS']);

export interface StepComparison {
  chain: string;
  index: number;
  command: string[];
  model: StepResult;
  real: ProbeResult;
  /** The kernel refused (EPERM/EACCES/EROFS, or the profile's own errno such as ENOSYS). */
  realDenied: boolean;
  agree: boolean;
}

export interface RealTechniqueResult {
  technique: string;
  defence: string;
  runtime: string;
  compared: StepComparison[];
  /** Steps not compared, with why. */
  skipped: Array<{ chain: string; index: number; why: string }>;
}

/** The defence as this lab can build it: no AppArmor, no user namespace. */
function labDefence(d: Defence): Defence {
  const { apparmor: _a, ...rest } = d;
  return { ...rest, userNamespace: false };
}

export async function runTechnique(
  defence: Defence,
  technique: Technique,
  runtime: LabRuntime = 'runc',
): Promise<RealTechniqueResult> {
  const env = environment(labDefence(defence), technique.preconditions);
  const out: RealTechniqueResult = {
    technique: technique.id,
    defence: defence.id,
    runtime,
    compared: [],
    skipped: [],
  };
  const todo: Array<{ chain: string; index: number; command: string[]; model: StepResult }> = [];
  for (const chain of technique.chains) {
    const state = { ownUserns: false } as Parameters<typeof decideStep>[1];
    chain.steps.forEach((step, index) => {
      const stateful = state.ownUserns || (state.disabled?.size ?? 0) > 0;
      const model = decideStep(env, state, step);
      const command = mapStep(step);
      let why: string | undefined;
      if (!command) why = 'the probe has no faithful form of this primitive';
      else if (stateful)
        why =
          'an earlier step changed the chain (user namespace, runtime act): separate probe processes do not carry it';
      else if ((model.layer === 'environment' && model.decision === 'deny') || model.layer === 'version')
        why = `decided by the ${model.layer}, which this lab does not reproduce`;
      else if (model.layer === 'environment' && step.primitive.kind === 'syscall')
        // No filter: the model leaves the kernel's own capability checks to the chain's capability steps.
        why = 'no layer the model decides a bare syscall with (the kernel checks capabilities inside it)';
      else if (model.decision === 'deny' && model.layer === 'masked-paths')
        why = 'a masked path hides the file (a /dev/null bind), it does not refuse the open';
      else if (step.primitive.kind === 'file' && env.privileged && /^\/sys\//.test(step.primitive.path))
        why = 'the lab mounts sysfs read-only even for privileged';
      if (why) out.skipped.push({ chain: chain.id, index, why });
      else todo.push({ chain: chain.id, index, command: command as string[], model });
    });
  }
  if (!todo.length) return out;

  const lab = await labContainer(defence, technique.preconditions);
  const results = await runLabProbes(
    lab,
    todo.map((t) => t.command),
    runtime,
  );
  todo.forEach((t, i) => {
    const real = results[i] as ProbeResult;
    const profileErrno = /SCMP_ACT_ERRNO\((\d+)\)/.exec(t.model.rule)?.[1];
    const realDenied =
      !real.ok &&
      (DENIED.has(real.errnoName) || (profileErrno !== undefined && String(real.errno) === profileErrno));
    out.compared.push({ ...t, real, realDenied, agree: realDenied === (t.model.decision === 'deny') });
  });
  return out;
}

/** The container this lab builds for a defence and a technique's preconditions. */
export interface LabContainer {
  env: Env;
  /** For runc/crun: seccomp as OCI text, resolved for the container's capabilities. */
  spec: ProbeSpec;
  /**
   * For docker/podman: the defence's profile in Docker's format, exactly the file users hand to
   * `--security-opt seccomp=` (the tool resolves it for the capabilities itself). Absent: unconfined.
   */
  dockerSeccomp?: string;
}

/**
 * The lab's container for the defence (AppArmor and the user namespace off, see labDefence) under
 * the preconditions: privileged means every capability this host can grant, no filter, no masked or
 * read-only paths (sysfs stays read-only).
 */
export async function labContainer(
  defence: Defence,
  preconditions: Preconditions = {},
): Promise<LabContainer> {
  const lab = labDefence(defence);
  const env = environment(lab, preconditions);
  const caps = [...env.caps].map((c) => `CAP_${c.toUpperCase()}`);
  let seccomp: string | undefined;
  let dockerSeccomp: string | undefined;
  if (env.seccomp && lab.seccomp) {
    dockerSeccomp = printDockerProfile(lab.seccomp);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bw-real-engine-'));
    try {
      const file = path.join(dir, 'seccomp.json');
      writeFileSync(file, dockerSeccomp);
      seccomp = await ociSeccompFromDocker(file, caps);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const host = new Set(hostCapabilities());
  const granted = (env.privileged ? [...host] : [...env.caps]).filter((c) => host.has(c));
  return {
    env,
    spec: {
      ...(seccomp ? { seccomp } : {}),
      capabilities: granted.map((c) => `CAP_${c.toUpperCase()}`),
      noNewPrivileges: lab.noNewPrivileges,
      maskedPaths: env.privileged ? [] : [...env.maskedPaths],
      readonlyPaths: env.privileged ? [] : env.readonlyPaths.filter((p) => p !== '/sys'),
    },
    ...(dockerSeccomp !== undefined ? { dockerSeccomp } : {}),
  };
}

/**
 * The probe commands in one container of the lab: runc/crun from an OCI bundle (run.ts), docker and
 * podman through the shared private lanes (daemon.ts; stop them with stopSharedLanes()).
 */
export async function runLabProbes(
  lab: LabContainer,
  commands: readonly (readonly string[])[],
  runtime: LabRuntime = 'runc',
): Promise<ProbeResult[]> {
  if (runtime === 'runc' || runtime === 'crun') return runProbes(lab.spec, commands, { runtime });
  const { seccomp: _oci, ...rest } = lab.spec;
  const spec: DaemonSpec = {
    ...rest,
    ...(lab.dockerSeccomp !== undefined ? { seccompProfile: lab.dockerSeccomp } : {}),
  };
  return runtime === 'docker' ? runProbesDocker(spec, commands) : runProbesPodman(spec, commands);
}
