/**
 * Docker's resolution step (moby profiles/seccomp `setupSeccomp`): turn a Docker profile into
 * the OCI `linux.seccomp` object dockerd hands to the runtime, for one container's capability
 * set, host arch and kernel version. Rules keep their original index so decisions can still
 * point at the line the user wrote.
 */
import { UsageError } from '../errors.js';
import type { SeccompProfile, SyscallRule } from './model.js';
import { type ArchInfo, type ArchName, findArch } from './syscalls/index.js';
import type { ResolveContext } from './types.js';

/** Docker's default capability set (moby oci/caps/defaults.go). */
export const DOCKER_DEFAULT_CAPS: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Kernel assumed when none is given: Debian 12's, the oldest we test against. */
export const DEFAULT_KERNEL = '6.1';

/** Go's GOARCH for an arch: what `includes.arches` / `excludes.arches` are compared with. */
const GOARCH: Partial<Record<ArchName, string>> = {
  x86_64: 'amd64',
  x86: '386',
  aarch64: 'arm64',
  arm: 'arm',
  ppc64le: 'ppc64le',
  ppc64: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips64: 'mips64',
  mipsel64: 'mips64le',
  mips: 'mips',
  mipsel: 'mipsle',
  loongarch64: 'loong64',
};

/** The arch a Go GOARCH spelling (as in `includes.arches`) stands for. */
export function archOfGoarch(goarch: string): ArchInfo | undefined {
  const entry = Object.entries(GOARCH).find(([, g]) => g === goarch);
  return entry ? findArch(entry[0]) : undefined;
}

export interface ResolvedRule extends SyscallRule {
  /** Index of the rule in the profile as written. */
  index: number;
}

export interface ResolvedProfile extends Omit<SeccompProfile, 'syscalls' | 'archMap'> {
  syscalls: ResolvedRule[];
}

/** Compare dotted kernel versions numerically on major.minor as moby's kernelGreaterEqualThan does. */
export function kernelAtLeast(kernel: string, min: string): boolean {
  const parse = (v: string): [number, number] => {
    const m = /^(\d+)\.(\d+)/.exec(v.trim());
    if (!m) throw new UsageError(`invalid kernel version "${v}" (expected e.g. 6.1)`);
    return [Number(m[1]), Number(m[2])];
  };
  const [a, b] = parse(kernel);
  const [c, d] = parse(min);
  return a > c || (a === c && b >= d);
}

export function resolveProfile(profile: SeccompProfile, ctx: ResolveContext = {}): ResolvedProfile {
  const arch = ctx.arch ?? 'x86_64';
  const caps = new Set(ctx.caps ?? DOCKER_DEFAULT_CAPS);
  const kernel = ctx.kernel ?? DEFAULT_KERNEL;
  const goarch = GOARCH[arch] ?? arch;
  const native = findArch(arch);

  let architectures = [...profile.architectures];
  if (profile.archMap && profile.archMap.length > 0) {
    if (profile.architectures.length > 0) {
      throw new UsageError("'architectures' and 'archMap' were both specified in the seccomp profile");
    }
    architectures = [];
    const entry = profile.archMap.find((a) => findArch(a.architecture)?.name === native?.name);
    if (entry) architectures.push(entry.architecture, ...entry.subArchitectures);
  }

  const syscalls: ResolvedRule[] = [];
  profile.syscalls.forEach((rule, index) => {
    const ex = rule.excludes;
    if (ex?.arches?.length && ex.arches.includes(goarch)) return;
    if (ex?.caps?.length && ex.caps.some((c) => caps.has(c))) return;
    if (ex?.minKernel && kernelAtLeast(kernel, ex.minKernel)) return;
    const inc = rule.includes;
    if (inc?.arches?.length && !inc.arches.includes(goarch)) return;
    if (inc?.caps?.length && !inc.caps.every((c) => caps.has(c))) return;
    if (inc?.minKernel && !kernelAtLeast(kernel, inc.minKernel)) return;
    const { includes: _i, excludes: _e, ...rest } = rule;
    syscalls.push({ ...rest, index });
  });

  const { archMap: _a, ...base } = profile;
  return { ...base, format: 'oci', architectures, syscalls };
}
