/**
 * Which syscall names a runtime's libseccomp knows, and where its table differs from ours.
 * runc skips a rule whose name its libseccomp cannot resolve, so what a profile does depends on
 * the libseccomp the runtime was built with.
 *
 * File format (text, one name per line, `#` comments):
 *   read                      known, numbers as in our table
 *   map_shadow_stack x32=-    known, but this libseccomp has no number for it on x32
 *   _llseek parisc64=140      known, with a number our (newer) table no longer has
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ParseError } from '../errors.js';
import { ARCH_NAMES, type ArchName, findArch, syscallNumber } from './syscalls/index.js';
import { SYSCALL_NAMES } from './syscalls/tables.generated.js';

export interface KnownSyscalls {
  label: string;
  names: ReadonlySet<string>;
  /** Per name, per arch: this libseccomp's number (null: none) where it differs from our table. */
  overrides: ReadonlyMap<string, ReadonlyMap<ArchName, number | null>>;
}

export function parseKnownSyscalls(text: string, file: string): KnownSyscalls {
  const names = new Set<string>();
  const overrides = new Map<string, Map<ArchName, number | null>>();
  let label = file;
  const diagnostics: ParseError['diagnostics'] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const labelMatch = /^#\s*label:\s*(.+)$/.exec(line);
    if (labelMatch) label = labelMatch[1] as string;
    if (line === '' || line.startsWith('#')) return;
    const [name, ...rest] = line.split(/\s+/) as [string, ...string[]];
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
      diagnostics.push({
        file,
        line: i + 1,
        column: 1,
        severity: 'error',
        code: 'known-bad-name',
        message: `bad syscall name "${name}"`,
      });
      return;
    }
    names.add(name);
    for (const o of rest) {
      const m = /^([a-z0-9_]+)=(-|\d+)$/.exec(o);
      const arch = m ? findArch(m[1] as string) : undefined;
      if (!m || !arch) {
        const column = raw.indexOf(o) + 1;
        diagnostics.push({
          file,
          line: i + 1,
          column,
          severity: 'error',
          code: 'known-bad-override',
          message: `expected ARCH=NUMBER or ARCH=-, got "${o}"`,
        });
        continue;
      }
      const per = overrides.get(name) ?? new Map();
      per.set(arch.name, m[2] === '-' ? null : Number(m[2]));
      overrides.set(name, per);
    }
  });
  if (diagnostics.length) throw new ParseError(diagnostics);
  return { label, names, overrides };
}

export function loadKnownSyscalls(path: string): KnownSyscalls {
  return parseKnownSyscalls(readFileSync(path, 'utf8'), path);
}

export function formatKnownSyscalls(k: KnownSyscalls, header: string[]): string {
  const lines = header.map((h) => `# ${h}`);
  lines.push(`# label: ${k.label}`);
  for (const name of [...k.names].sort()) {
    const per = k.overrides.get(name);
    const extra = per ? [...per].map(([a, n]) => `${a}=${n === null ? '-' : n}`) : [];
    lines.push([name, ...extra].join(' '));
  }
  return `${lines.join('\n')}\n`;
}

/** Arches libseccomp 2.5 implements (its scmp_sys_resolver answers for these; 2.6 adds loongarch64, m68k, sh). */
export const LIBSECCOMP_25_ARCHES: readonly ArchName[] = ARCH_NAMES.filter(
  (a) => !['loongarch64', 'm68k', 'sh', 'sheb'].includes(a),
);

/** Ask this host's `scmp_sys_resolver` (Debian package `seccomp`) about every name in our table. */
export function knownFromResolver(label: string): KnownSyscalls {
  const ask = (arch: string): Map<string, number> => {
    const out = spawnSync(
      'bash',
      ['-c', `while read -r n; do printf '%s %s\\n' "$n" "$(scmp_sys_resolver -a ${arch} "$n")"; done`],
      { input: `${SYSCALL_NAMES.join('\n')}\n`, encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (out.status !== 0) throw new Error(`scmp_sys_resolver failed for ${arch}: ${out.stderr}`);
    return new Map(
      out.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' '))
        .map(([n, v]) => [n as string, Number(v)]),
    );
  };
  const native = ask('x86_64');
  const names = new Set([...native].filter(([, v]) => v !== -1).map(([n]) => n));
  const overrides = new Map<string, Map<ArchName, number | null>>();
  for (const arch of LIBSECCOMP_25_ARCHES) {
    const answers = arch === 'x86_64' ? native : ask(arch);
    for (const name of names) {
      const theirs = answers.get(name) ?? -1;
      // Negative answers other than PNRs are the socket/ipc multiplexer numbers: not table entries.
      const theirsNr = theirs >= 0 ? theirs : theirs <= -10000 ? null : undefined;
      if (theirsNr === undefined) continue;
      const ours = syscallNumber(arch, name) ?? null;
      if (ours !== theirsNr) {
        const per = overrides.get(name) ?? new Map<ArchName, number | null>();
        per.set(arch, theirsNr);
        overrides.set(name, per);
      }
    }
  }
  return { label, names, overrides };
}
