/** Turns the shared CLI flags into compile options; every bad value is a UsageError (exit 2). */
import { UsageError } from '../../errors.js';
import { loadKnownSyscalls } from '../../seccomp/known.js';
import { kernelAtLeast } from '../../seccomp/resolve.js';
import { findArch } from '../../seccomp/syscalls/index.js';
import type { CompileOptions } from '../../seccomp/types.js';

export interface ContextFlags {
  hostArch: string;
  caps?: string;
  kernel: string;
  knownSyscalls?: string;
  runtime: string;
}

export function parseCaps(list: string | readonly string[]): string[] {
  const caps = (typeof list === 'string' ? list.split(',') : [...list])
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  for (const c of caps) {
    if (!/^(CAP_)?[A-Z_]+$/.test(c)) throw new UsageError(`invalid capability "${c}"`);
  }
  return caps.map((c) => (c.startsWith('CAP_') ? c : `CAP_${c}`));
}

export function archFlag(value: string, flag: string) {
  const arch = findArch(value);
  if (!arch) throw new UsageError(`${flag}: unknown architecture "${value}"`);
  return arch;
}

export function compileOptions(flags: ContextFlags): CompileOptions {
  kernelAtLeast(flags.kernel, '0.0'); // validates the version string
  return {
    arch: archFlag(flags.hostArch, '--host-arch').name,
    ...(flags.caps !== undefined ? { caps: parseCaps(flags.caps) } : {}),
    kernel: flags.kernel,
    ...(flags.knownSyscalls ? { knownSyscalls: loadKnownSyscalls(flags.knownSyscalls) } : {}),
    runtime: flags.runtime === 'libseccomp' ? 'libseccomp' : 'runc',
  };
}

/** Parse a 64-bit unsigned argument exactly (decimal or 0x hex); never through Number. */
export function parseU64(text: string): bigint {
  const t = text.trim();
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(t))
    throw new UsageError(`invalid argument value "${text}" (decimal or 0x hex)`);
  const v = BigInt(t);
  if (v > 0xffffffffffffffffn) throw new UsageError(`argument value ${text} does not fit in 64 bits`);
  return v;
}
