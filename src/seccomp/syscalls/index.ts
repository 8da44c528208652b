/**
 * Syscall name <-> number lookup for every architecture libseccomp knows.
 * Maps are built once per arch on first use, then every lookup is a hash probe.
 */
import { UnknownSyscallError } from '../../errors.js';
import { closest } from '../../suggest.js';

export { editDistance } from '../../suggest.js';

import { ARCH_INFO, SYSCALL_NAMES, SYSCALL_NUMBERS, TABLE_KERNEL_VERSION } from './tables.generated.js';

export { TABLE_KERNEL_VERSION };

export type ArchName = (typeof ARCH_INFO)[number]['name'];
export interface ArchInfo {
  name: ArchName;
  /** libseccomp / OCI spelling, e.g. SCMP_ARCH_X86_64. */
  scmp: string;
  /** AUDIT_ARCH_* value the kernel reports in seccomp_data.arch. */
  audit: number;
  bits: 32 | 64;
}

export const ARCHES: readonly ArchInfo[] = ARCH_INFO;
export const ARCH_NAMES: readonly ArchName[] = ARCH_INFO.map((a) => a.name);

/** Names users write for an arch besides libseccomp's own (Go's GOARCH, uname -m). */
const ALIASES: Record<string, ArchName> = {
  amd64: 'x86_64',
  i386: 'x86',
  i686: 'x86',
  arm64: 'aarch64',
  armv7l: 'arm',
  mips64le: 'mipsel64',
  mipsle: 'mipsel',
};

const byName = new Map<string, ArchInfo>();
for (const a of ARCHES) {
  byName.set(a.name, a);
  byName.set(a.scmp.toLowerCase(), a);
}
for (const [alias, name] of Object.entries(ALIASES)) byName.set(alias, byName.get(name) as ArchInfo);

/** Accepts `x86_64`, `SCMP_ARCH_X86_64`, `amd64`...; undefined when unknown. */
export function findArch(spelling: string): ArchInfo | undefined {
  return byName.get(spelling.toLowerCase());
}

export function archInfo(name: ArchName): ArchInfo {
  return byName.get(name) as ArchInfo;
}

interface ArchTable {
  nrByName: Map<string, number>;
  nameByNr: Map<number, string>;
  maxNr: number;
}
const tables = new Map<ArchName, ArchTable>();

function table(arch: ArchName): ArchTable {
  let t = tables.get(arch);
  if (!t) {
    const numbers = SYSCALL_NUMBERS[arch] ?? [];
    t = { nrByName: new Map(), nameByNr: new Map(), maxNr: -1 };
    SYSCALL_NAMES.forEach((name, i) => {
      const nr = numbers[i];
      if (nr === null || nr === undefined) return;
      t?.nrByName.set(name, nr);
      // Several names can share a number (aliases such as umount/umount2 on some arches): keep the first.
      if (!t?.nameByNr.has(nr)) t?.nameByNr.set(nr, name);
    });
    t.maxNr = Math.max(-1, ...t.nrByName.values());
    tables.set(arch, t);
  }
  return t;
}

export function syscallNumber(arch: ArchName, name: string): number | undefined {
  return table(arch).nrByName.get(name);
}

export function syscallName(arch: ArchName, nr: number): string | undefined {
  return table(arch).nameByNr.get(nr);
}

/** True when the name exists on some architecture (a typo check independent of arch). */
export function isKnownSyscall(name: string): boolean {
  return knownNames.has(name);
}
const knownNames = new Set(SYSCALL_NAMES);

/** Like syscallNumber, but an unknown name is an error that suggests the closest real name. */
export function resolveSyscall(arch: ArchName, name: string): number {
  const nr = syscallNumber(arch, name);
  if (nr === undefined) throw new UnknownSyscallError(name, arch, suggestSyscall(name, arch));
  return nr;
}

export function syscallTable(arch: ArchName): Array<{ name: string; nr: number }> {
  return [...table(arch).nrByName]
    .map(([name, nr]) => ({ name, nr }))
    .sort((a, b) => a.nr - b.nr || (a.name < b.name ? -1 : 1));
}

/** Closest known name by edit distance (at most a third of the name's length), for "did you mean". */
export function suggestSyscall(name: string, arch?: ArchName): string | undefined {
  return closest(name, arch ? table(arch).nrByName.keys() : knownNames.values());
}
