/**
 * The model engine: decide each step of each technique chain under a defence, layer by layer,
 * with the real evaluators on the real profile text.
 *
 * Layers, in the order the kernel meets them for a step: the environment (is there anything to
 * reach: a host PID namespace, a mounted socket, the host network), seccomp (the syscall the
 * primitive is made of), capabilities (the container's set; a user namespace makes host-owned
 * resources unreachable even with a capability), masked and read-only paths, then AppArmor. The
 * first layer that denies decides; when none does, the step passes and the last layer that
 * mediated it is named.
 *
 * The vulnerable environment is the technique's preconditions applied on top of the defence
 * (added capabilities, host namespaces, mounts, privileged). Privileged follows Docker: every
 * capability, no seccomp, AppArmor `unconfined`, no masked or read-only paths
 * (moby daemon/container_linux.go saveAppArmorConfig; oci_linux.go WithSeccomp).
 */

import type { AppArmorDecision, AppArmorQuery } from '../apparmor/evaluate.js';
import { evaluate as evaluateAppArmor } from '../apparmor/evaluate.js';
import { CAPABILITIES } from '../apparmor/tables.js';
import { RUNTIME_SOCKET_PATHS } from '../catalog/runtime-sockets.js';
import type {
  Chain,
  ManagementRequest,
  Preconditions,
  Primitive,
  Step,
  Technique,
} from '../catalog/schema.js';
import { compareVersions } from '../catalog/version.js';
import {
  compileProfile,
  evaluate as evaluateSeccomp,
  type CompiledProfile as SeccompCompiled,
} from '../seccomp/evaluate.js';
import type { SeccompDecision } from '../seccomp/types.js';
import {
  ADDRESS_FAMILY,
  CLONE_NEWUSER,
  MOUNT_FLAG,
  PTRACE_ATTACH,
  SIGNAL_NUMBER,
  SOCKET_TYPE,
} from './constants.js';
import type { AppArmorLayer, Defence } from './defence.js';
import type { ChainResult, Layer, StepResult, TechniqueResult } from './types.js';

/** Capabilities a user namespace cannot turn into power over the host: the kernel checks them against the initial namespace. */
const HOST_ONLY_CAPS = new Set([
  'sys_module',
  'sys_rawio',
  'sys_boot',
  'sys_time',
  'syslog',
  'dac_read_search',
  'sys_ptrace',
  'mknod',
  'mac_admin',
  'mac_override',
  'sys_resource',
  'bpf',
  'perfmon',
]);

/** Filesystems a process may mount inside a user namespace it owns (FS_USERNS_MOUNT in the kernel). */
const USERNS_MOUNTABLE = new Set([
  'proc',
  'sysfs',
  'tmpfs',
  'cgroup',
  'cgroup2',
  'mqueue',
  'devpts',
  'ramfs',
  'overlay',
  'fuse',
]);

/** Host kernel interfaces owned by the initial namespace's root: a user-namespaced root cannot write them. */
const HOST_OWNED_WRITES = [/^\/proc\/sys\/(?!net\/)/, /^\/proc\/sysrq-trigger$/, /^\/sys\//];

/** Where runtimes listen (a path socket is only there when mounted into the container). */
const RUNTIME_SOCKETS = new Set(RUNTIME_SOCKET_PATHS.map((s) => s.path));

/** The container as the technique finds it: defence plus the vulnerable environment. */
export interface Env {
  defence: Defence;
  pre: Preconditions;
  caps: ReadonlySet<string>;
  seccomp: SeccompCompiled | undefined;
  apparmor: AppArmorLayer | undefined;
  maskedPaths: readonly string[];
  readonlyPaths: readonly string[];
  userns: boolean;
  privileged: boolean;
}

/** What earlier steps of the same chain changed (a user namespace the chain created). */
export interface ChainState {
  ownUserns: boolean;
  /** Layers an earlier runtime step took away (its `disables`). */
  disabled?: Set<Layer>;
}

const seccompCache = new WeakMap<object, Map<string, SeccompCompiled>>();

function compiledSeccomp(defence: Defence, caps: ReadonlySet<string>): SeccompCompiled | undefined {
  const profile = defence.seccomp;
  if (!profile) return undefined;
  let byCaps = seccompCache.get(profile);
  if (!byCaps) {
    byCaps = new Map();
    seccompCache.set(profile, byCaps);
  }
  const key = [...caps].sort().join(',');
  let c = byCaps.get(key);
  if (!c) {
    // Docker resolves includes/excludes against the container's capabilities (CAP_ spelling).
    c = compileProfile(profile, { caps: [...caps].map((x) => `CAP_${x.toUpperCase()}`) });
    byCaps.set(key, c);
  }
  return c;
}

export function environment(defence: Defence, pre: Preconditions): Env {
  if (pre.privileged) {
    return {
      defence,
      pre,
      caps: new Set(CAPABILITIES),
      seccomp: undefined,
      apparmor: undefined,
      maskedPaths: [],
      readonlyPaths: [],
      userns: false,
      privileged: true,
    };
  }
  const caps = new Set([...defence.capabilities, ...(pre.capabilities ?? [])]);
  return {
    defence,
    pre,
    caps,
    seccomp: compiledSeccomp(defence, caps),
    apparmor: defence.apparmor,
    // Unmasked /proc (procMount: Unmasked, systempaths=unconfined) lifts the /proc masks and
    // read-only binds only; sysfs stays mounted read-only.
    maskedPaths: pre.procUnmasked
      ? defence.maskedPaths.filter((m) => !m.startsWith('/proc'))
      : defence.maskedPaths,
    readonlyPaths: pre.procUnmasked
      ? defence.readonlyPaths.filter((m) => !m.startsWith('/proc'))
      : defence.readonlyPaths,
    userns: defence.userNamespace,
    privileged: false,
  };
}

// ------------------------------------------------------------------ layer checks

/** A layer's verdict: a denial decides the step; an allow is remembered as the last mediator. */
export type Check = { deny: boolean; layer: Layer; rule: string; location?: StepResult['location'] };

const under = (path: string, prefix: string) =>
  path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);

function seccompCheck(env: Env, syscall: string, args: readonly bigint[] = []): Check | undefined {
  if (!env.seccomp) return undefined;
  const d: SeccompDecision = evaluateSeccomp(env.seccomp, { arch: 'x86_64', syscall, args });
  const allowed = d.action === 'SCMP_ACT_ALLOW' || d.action === 'SCMP_ACT_LOG';
  const what = d.errno !== undefined ? `${d.action}(${d.errno})` : d.action;
  const where =
    d.source === 'rule' && d.rule
      ? `rule for ${d.rule.name}`
      : d.source === 'default'
        ? 'default action'
        : d.source;
  const argText = args.length ? `(${args.map((a) => `0x${a.toString(16)}`).join(', ')})` : '';
  const check: Check = {
    deny: !allowed,
    layer: 'seccomp',
    rule: `${syscall}${argText}: ${what} by the ${where}`,
  };
  const pos = d.rule?.pos;
  if (pos) check.location = { file: pos.file, line: pos.line, column: pos.column };
  return check;
}

function appArmorCheck(env: Env, q: AppArmorQuery): Check | undefined {
  if (!env.apparmor) return undefined;
  const d: AppArmorDecision = evaluateAppArmor(env.apparmor.compiled, q);
  const rule = d.rule
    ? `${d.rule.text}`
    : `nothing in profile ${env.apparmor.compiled.name} allows it (${d.missing.join('') || q.class})`;
  const check: Check = { deny: d.decision === 'deny', layer: 'apparmor', rule };
  if (d.rule) check.location = { file: d.rule.file, line: d.rule.line, column: d.rule.column };
  return check;
}

function capabilityCheck(env: Env, state: ChainState, cap: string, namespacedUse = false): Check {
  const inOwnUserns = state.ownUserns && namespacedUse;
  if (!env.caps.has(cap) && !inOwnUserns)
    return { deny: true, layer: 'capabilities', rule: `capability ${cap} is not in the container's set` };
  if (env.userns && HOST_ONLY_CAPS.has(cap) && !inOwnUserns)
    return {
      deny: true,
      layer: 'user-namespace',
      rule: `${cap} inside a user namespace does not reach host resources (checked against the initial namespace)`,
    };
  if (inOwnUserns)
    return {
      deny: false,
      layer: 'user-namespace',
      rule: `${cap} held in the user namespace the chain created`,
    };
  return { deny: false, layer: 'capabilities', rule: `capability ${cap} is in the container's set` };
}

function environmentDeny(rule: string): Check {
  return { deny: true, layer: 'environment', rule };
}

/** The layers one primitive meets, in kernel order (undefined: that layer is off). */
function layersFor(env: Env, state: ChainState, p: Primitive): Array<Check | undefined> {
  switch (p.kind) {
    case 'syscall':
      return [seccompCheck(env, p.name, p.args)];
    case 'capability':
      return [capabilityCheck(env, state, p.name), appArmorCheck(env, { class: 'capability', name: p.name })];
    case 'file':
      return fileLayers(env, p.path, p.access, p.owner ?? false);
    case 'mount': {
      const flags = (p.options ?? []).reduce((a, o) => a | (MOUNT_FLAG[o] ?? 0n), 0n);
      const q: AppArmorQuery = { class: 'mount', target: p.target, options: p.options ?? [] };
      if (p.fstype !== undefined) q.fstype = p.fstype;
      if (p.source !== undefined) q.source = p.source;
      const namespaced = p.fstype === undefined || USERNS_MOUNTABLE.has(p.fstype);
      return [
        seccompCheck(env, 'mount', [0n, 0n, 0n, flags]),
        capabilityCheck(env, state, 'sys_admin', namespaced),
        appArmorCheck(env, q),
      ];
    }
    case 'umount':
      return [
        seccompCheck(env, 'umount2', [0n, 0n]),
        capabilityCheck(env, state, 'sys_admin', true),
        appArmorCheck(env, { class: 'umount', target: p.target }),
      ];
    case 'pivot_root':
      return [
        seccompCheck(env, 'pivot_root'),
        capabilityCheck(env, state, 'sys_admin', true),
        appArmorCheck(env, { class: 'pivot_root', new_root: p.newRoot, put_old: p.putOld }),
      ];
    case 'network': {
      const fam = ADDRESS_FAMILY[p.domain];
      const type = SOCKET_TYPE[p.type];
      const needsRaw = p.type === 'raw' || p.domain === 'packet';
      return [
        fam === undefined || type === undefined
          ? environmentDeny(`unknown socket ${p.domain} ${p.type}`)
          : seccompCheck(env, 'socket', [fam, type]),
        needsRaw ? capabilityCheck(env, state, 'net_raw', true) : undefined,
        appArmorCheck(env, { class: 'network', domain: p.domain, type: p.type }),
      ];
    }
    case 'ptrace': {
      const host = p.peer === 'host';
      return [
        host && !env.pre.hostPid && !env.privileged
          ? environmentDeny('no host process is visible without the host PID namespace')
          : undefined,
        p.access === 'trace' ? seccompCheck(env, 'ptrace', [PTRACE_ATTACH]) : undefined,
        // A host process holds capabilities the container lacks: the kernel's cap-subset check
        // (cap_ptrace_access_check) then needs CAP_SYS_PTRACE.
        host ? capabilityCheck(env, state, 'sys_ptrace') : undefined,
        appArmorCheck(env, { class: 'ptrace', access: p.access, peer: peerLabel(env, p.peer) }),
      ];
    }
    case 'signal': {
      const host = p.peer === 'host';
      return [
        host && !env.pre.hostPid && !env.privileged
          ? environmentDeny('no host process is visible without the host PID namespace')
          : undefined,
        seccompCheck(env, 'kill', [1n, SIGNAL_NUMBER[p.signal] ?? 15n]),
        host && env.userns
          ? {
              deny: true,
              layer: 'user-namespace',
              rule: 'a user-namespaced root is not the host root: kill() is refused',
            }
          : undefined,
        appArmorCheck(env, {
          class: 'signal',
          access: 'send',
          signal: p.signal,
          peer: peerLabel(env, p.peer),
        }),
      ];
    }
    case 'unix':
      return unixLayers(env, p.access, p.addr);
    case 'exec':
      return [
        seccompCheck(env, 'execve'),
        appArmorCheck(env, { class: 'file', path: p.path, perms: 'x', owner: false }),
        p.gainsPrivilege && env.defence.noNewPrivileges && !env.privileged
          ? {
              deny: true,
              layer: 'no-new-privileges',
              rule: 'no_new_privs: execve ignores setuid bits and file capabilities',
            }
          : undefined,
      ];
    case 'runtime':
      return [
        ...managementChecks(env, p.performs ?? []),
        ...(p.closedBy ?? [])
          .filter((s) => env.defence.settings?.has(s))
          .map(
            (s): Check => ({
              deny: true,
              layer: 'settings',
              rule: `runtime setting ${s} is on: the act does no harm`,
            }),
          ),
        {
          deny: false,
          layer: 'version',
          rule: `${p.component} (a vulnerable version) does this on the host; no container profile mediates it`,
        },
      ];
  }
}

/** The management-plane profile of the process that makes each host-side request. */
function managementChecks(env: Env, requests: readonly ManagementRequest[]): Check[] {
  const checks: Check[] = [];
  for (const { by, request } of requests) {
    const layer = env.defence.management?.[by];
    if (!layer) continue;
    const q: AppArmorQuery =
      request.class === 'file'
        ? { class: 'file', path: request.path, perms: request.perms, owner: true }
        : request.class === 'mount'
          ? {
              class: 'mount',
              target: request.target,
              options: request.options ?? [],
              ...(request.fstype ? { fstype: request.fstype } : {}),
              ...(request.source ? { source: request.source } : {}),
            }
          : {
              class: 'unix',
              access: request.access,
              ...(request.addr ? { addr: request.addr } : {}),
              ...(request.type ? { type: request.type } : {}),
            };
    const d = evaluateAppArmor(layer.compiled, q);
    const check: Check = {
      deny: d.decision === 'deny',
      layer: 'management-apparmor',
      rule: d.rule ? d.rule.text : `nothing in profile ${layer.compiled.name} allows it`,
    };
    if (d.rule) check.location = { file: d.rule.file, line: d.rule.line, column: d.rule.column };
    checks.push(check);
  }
  return checks;
}

function peerLabel(env: Env, peer: 'host' | 'container' | 'runtime'): string {
  return peer === 'container' ? (env.apparmor?.compiled.name ?? 'unconfined') : 'unconfined';
}

function fileLayers(env: Env, path: string, access: string, owner: boolean): Array<Check | undefined> {
  const writes = /[wal]/.test(access);
  const checks: Array<Check | undefined> = [];
  if (RUNTIME_SOCKETS.has(path) && !env.pre.runtimeSocket && !env.pre.hostPaths?.includes(path))
    checks.push(environmentDeny(`${path} is not mounted into the container`));
  const masked = env.maskedPaths.find((m) => under(path, m));
  if (masked)
    checks.push({ deny: true, layer: 'masked-paths', rule: `${masked} is masked (bind-mounted over)` });
  const ro = writes ? env.readonlyPaths.find((r) => under(path, r)) : undefined;
  if (ro) checks.push({ deny: true, layer: 'read-only-paths', rule: `${ro} is mounted read-only` });
  if (writes && env.userns && HOST_OWNED_WRITES.some((re) => re.test(path)))
    checks.push({
      deny: true,
      layer: 'user-namespace',
      rule: `${path} belongs to the host's root; root in a user namespace is an unprivileged uid there`,
    });
  checks.push(appArmorCheck(env, { class: 'file', path, perms: access, owner }));
  return checks;
}

function unixLayers(env: Env, access: string, addr: string): Array<Check | undefined> {
  const abstract = addr.startsWith('@');
  const checks: Array<Check | undefined> = [];
  if (abstract && !env.pre.hostNetwork && !env.privileged)
    checks.push(
      environmentDeny(
        'abstract unix sockets belong to the network namespace: the host ones are out of reach',
      ),
    );
  // A runtime's socket is only there when mounted; the container's own sockets (bind, or a
  // server in the same container) always are.
  if (!abstract && RUNTIME_SOCKETS.has(addr) && !env.pre.hostPaths?.includes(addr) && !env.pre.runtimeSocket)
    checks.push(environmentDeny(`${addr} is not mounted into the container`));
  checks.push(seccompCheck(env, 'socket', [ADDRESS_FAMILY.unix as bigint, SOCKET_TYPE.stream as bigint]));
  checks.push(seccompCheck(env, access === 'bind' ? 'bind' : 'connect'));
  if (!abstract) {
    // A path socket is mediated as a file: connect needs write on the socket path.
    checks.push(appArmorCheck(env, { class: 'file', path: addr, perms: 'w', owner: false }));
  } else if (env.apparmor && env.apparmor.compiled.unix.length === 0) {
    // No unix rules: only socket creation is mediated (network rules), not the address.
    checks.push(appArmorCheck(env, { class: 'network', domain: 'unix', type: 'stream' }));
  } else {
    checks.push(appArmorCheck(env, { class: 'unix', access, addr, peer_label: 'unconfined' }));
  }
  return checks;
}

// ------------------------------------------------------------------ steps, chains, techniques

export function describePrimitive(p: Primitive): string {
  switch (p.kind) {
    case 'syscall':
      return `${p.name}(${(p.args ?? []).map((a) => `0x${a.toString(16)}`).join(', ')})`;
    case 'file':
      return `${p.access} ${p.path}`;
    case 'capability':
      return `capability ${p.name}`;
    case 'mount':
      return `mount${p.fstype ? ` -t ${p.fstype}` : ''}${p.options?.length ? ` -o ${p.options.join(',')}` : ''} ${p.source ?? 'none'} ${p.target}`;
    case 'umount':
      return `umount ${p.target}`;
    case 'pivot_root':
      return `pivot_root ${p.newRoot} ${p.putOld}`;
    case 'network':
      return `socket ${p.domain} ${p.type}`;
    case 'ptrace':
      return `ptrace ${p.access} a ${p.peer} process`;
    case 'signal':
      return `signal ${p.signal} to a ${p.peer} process`;
    case 'unix':
      return `unix ${p.access} ${p.addr}`;
    case 'exec':
      return `exec ${p.path}${p.gainsPrivilege ? ' (setuid / file capabilities)' : ''}`;
    case 'runtime':
      return `${p.component}: ${p.action}`;
  }
}

/** Every layer's verdict on one step (all of them, not only the first denial: provenance credits each). */
export function stepChecks(env: Env, state: ChainState, step: Step): Check[] {
  return layersFor(env, state, step.primitive).filter(
    (c): c is Check => c !== undefined && !state.disabled?.has(c.layer),
  );
}

export function decideStep(env: Env, state: ChainState, step: Step): StepResult {
  const p = step.primitive;
  const checks = stepChecks(env, state, step);
  const denied = checks.find((c) => c.deny);
  const decisive = denied ?? checks[checks.length - 1];
  const result: StepResult = {
    primitive: describePrimitive(p),
    kind: p.kind,
    decision: denied ? 'deny' : 'allow',
    layer: decisive?.layer ?? 'environment',
    rule: decisive?.rule ?? 'nothing mediates this request',
  };
  if (decisive?.location) result.location = decisive.location;
  if (!denied && p.kind === 'runtime' && p.disables?.length)
    state.disabled = new Set([...(state.disabled ?? []), ...p.disables]);
  // A successful unshare/clone with CLONE_NEWUSER gives the chain a user namespace it owns.
  if (
    !denied &&
    p.kind === 'syscall' &&
    (p.name === 'unshare' || p.name === 'clone') &&
    ((p.args?.[0] ?? 0n) & CLONE_NEWUSER) !== 0n
  )
    state.ownUserns = true;
  return result;
}

export function decideChain(env: Env, chain: Chain, technique: Technique): ChainResult {
  const state: ChainState = { ownUserns: false };
  const steps: StepResult[] = [];
  if (technique.preconditions.noUserNamespace && env.userns) {
    steps.push({
      primitive: 'container root is host root',
      kind: 'capability',
      decision: 'deny',
      layer: 'user-namespace',
      rule: 'the container runs in a user namespace: its root is an unprivileged uid on the host',
    });
  }
  for (const s of chain.steps) steps.push(decideStep(env, state, s));
  return { chain: chain.id, blocked: steps.some((s) => s.decision === 'deny'), steps };
}

/** `runc >= 1.1.12`, or per branch `containerd >= 1.3.9 / 1.4.3`. */
export function fixText(t: Technique): string | undefined {
  const parts = t.affected.flatMap((a) => {
    const fixed = [...new Set(a.ranges.flatMap((r) => (r.fixed ? [r.fixed] : [])))].sort(compareVersions);
    if (!fixed.length) return [`${a.component}: no fixed release`];
    return [`${a.component} >= ${fixed.join(' / ')}`];
  });
  return parts.length ? parts.join('; ') : undefined;
}

export function decideTechnique(defence: Defence, technique: Technique): TechniqueResult {
  const env = environment(defence, technique.preconditions);
  const chains = technique.chains.map((c) => decideChain(env, c, technique));
  const open = chains.find((c) => !c.blocked);
  const first = chains[0] as ChainResult;
  if (!open) {
    const how = chains
      .map((c) => {
        const d = c.steps.find((s) => s.decision === 'deny') as StepResult;
        return `${c.chain}: ${d.layer} (${d.rule})`;
      })
      .join('; ');
    return {
      technique: technique.id,
      defence: defence.id,
      verdict: 'blocked',
      reason: `every chain is stopped — ${how}`,
      chains,
      steps: first.steps,
    };
  }
  const viaRuntime = open.steps.some((s) => s.kind === 'runtime');
  const fix = fixText(technique);
  if (viaRuntime && fix) {
    return {
      technique: technique.id,
      defence: defence.id,
      verdict: 'not-applicable',
      fix,
      reason: `chain ${open.chain} passes every container layer; the harmful step is done by the runtime on the host, which a container profile cannot mediate: upgrade (${fix})`,
      chains,
      steps: open.steps,
    };
  }
  return {
    technique: technique.id,
    defence: defence.id,
    verdict: 'not-blocked',
    reason: `chain ${open.chain} passes every layer`,
    chains,
    steps: open.steps,
  };
}
