import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../../../scripts/gen-syscall-tables.js';
import { describeWithTools } from '../../../test/helpers/tools.js';
import { type KnownSyscalls, knownFromResolver, LIBSECCOMP_25_ARCHES } from '../known.js';
import { newFilter, resolveName } from '../libseccomp/filter.js';
import {
  ARCHES,
  editDistance,
  findArch,
  resolveSyscall,
  syscallName,
  syscallNumber,
  syscallTable,
} from './index.js';
import { SYSCALL_NAMES } from './tables.generated.js';

const here = dirname(fileURLToPath(import.meta.url));
const reference = join(here, '..', '..', '..', '..', 'shared', 'reference');

describe('syscall tables', () => {
  it('the committed table is what scripts/gen-syscall-tables.ts makes from the reference', () => {
    if (!existsSync(reference)) {
      if (process.env.CI === 'true') throw new Error(`missing ${reference}`);
      console.warn('[skip] ../shared/reference not present');
      return;
    }
    const csv = readFileSync(join(reference, 'syscalls.csv'), 'utf8');
    const uapi = JSON.parse(readFileSync(join(reference, 'uapi-constants.json'), 'utf8'));
    const committed = readFileSync(join(here, 'tables.generated.ts'), 'utf8');
    expect(committed).toBe(generate(csv, uapi));
  });

  it('looks up both ways, with the ABI bases the kernel sees', () => {
    expect(syscallNumber('x86_64', 'execve')).toBe(59);
    expect(syscallName('x86_64', 59)).toBe('execve');
    expect(syscallNumber('x32', 'read')).toBe(0x40000000);
    expect(syscallNumber('mips', 'read')).toBe(4003);
    expect(syscallNumber('mips64', 'read')).toBe(5000);
    expect(syscallNumber('mips64n32', 'read')).toBe(6000);
    expect(syscallNumber('aarch64', 'open')).toBeUndefined();
    expect(findArch('SCMP_ARCH_X86_64')?.audit).toBe(0xc000003e);
    expect(findArch('amd64')?.name).toBe('x86_64');
    expect(syscallTable('x86_64')[0]).toEqual({ name: 'read', nr: 0 });
  });

  it('unknown names are an error with a "did you mean"', () => {
    expect(() => resolveSyscall('x86_64', 'opne')).toThrow(
      'unknown syscall "opne" on x86_64 (did you mean "open"?)',
    );
    expect(() => resolveSyscall('x86_64', 'zzzzzzzzzz')).toThrow(/^unknown syscall "zzzzzzzzzz" on x86_64$/);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describeWithTools('agreement with scmp_sys_resolver', ['scmp_sys_resolver'], {}, () => {
  const resolverArches = ARCHES.filter((a) => LIBSECCOMP_25_ARCHES.includes(a.name));
  const answers = new Map<string, Map<string, number>>();
  const resolve = (arch: string): Map<string, number> => {
    let m = answers.get(arch);
    if (!m) {
      // One shell per arch keeps this to ~1 ms per (arch, name) pair.
      const out = spawnSync(
        'bash',
        ['-c', `while read -r n; do printf '%s %s\\n' "$n" "$(scmp_sys_resolver -a ${arch} "$n")"; done`],
        { input: `${SYSCALL_NAMES.join('\n')}\n`, encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      m = new Map(
        out.stdout
          .trim()
          .split('\n')
          .map((l) => l.split(' '))
          .map(([n, v]) => [n as string, Number(v)]),
      );
      answers.set(arch, m);
    }
    return m;
  };

  let known: KnownSyscalls | undefined;
  const knownHere = (): KnownSyscalls => {
    known ??= knownFromResolver('this host');
    return known;
  };

  it.each(resolverArches.map((a) => a.name))('%s: every name resolves as libseccomp resolves it', (arch) => {
    const m = resolve(arch);
    const filter = newFilter('x86_64', { value: 0, origin: -1 }, knownHere());
    const mismatches: string[] = [];
    let compared = 0;
    for (const name of SYSCALL_NAMES) {
      const theirs = m.get(name);
      if (theirs === undefined) throw new Error(`no resolver answer for ${arch} ${name}`);
      const ours = resolveName(filter, arch as never, name);
      compared++;
      if (theirs === -1) {
        // unknown to this libseccomp: runc skips such names; our model must too
        if (ours !== undefined) mismatches.push(`${name}: resolver unknown, ours ${ours}`);
      } else if (theirs <= -10000) {
        // known to libseccomp but absent on this arch (a pseudo number, never in the BPF)
        if (ours === undefined || ours >= 0) {
          mismatches.push(`${name}: resolver PNR ${theirs}, ours ${ours}`);
        }
      } else if (theirs !== ours) {
        mismatches.push(`${name}: resolver ${theirs}, ours ${ours}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBe(SYSCALL_NAMES.length);
    // Our table (libseccomp main) and this libseccomp may differ on a handful of (arch, name)
    // pairs; those are carried as overrides, never silently: keep them few and visible.
    const overridden = [...knownHere().overrides].filter(([, per]) => per.has(arch as never)).map(([n]) => n);
    if (overridden.length)
      console.info(`${arch}: libseccomp here differs from our table on ${overridden.join(', ')}`);
    expect(overridden.length).toBeLessThan(10);
  });
});
