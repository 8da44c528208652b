/**
 * Reader for the evaluator expectation tables in test/corpus/seccomp-eval/ (see its README):
 * one shared format for our evaluator's tests and the real-kernel differential suite.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type ArchName, findArch, syscallNumber } from './syscalls/index.js';

export interface EvalContext {
  /** The runtime's libseccomp (data/libseccomp/known-syscalls-<known>.txt); default: our whole table. */
  known?: string;
  caps?: string[];
  kernel?: string;
  host?: ArchName;
}

export interface EvalCase {
  file: string;
  line: number;
  arch: ArchName;
  nr: number;
  syscall: string;
  args: bigint[];
  expected: string;
  why: string;
  /** A known gap (the why starts with "todo:"): the kernel's answer, which the model does not reproduce yet. */
  todo: boolean;
  context: EvalContext;
}

export interface EvalTable {
  name: string;
  profilePath: string;
  cases: EvalCase[];
}

const DONT_CARE: readonly bigint[] = [0n, 1n, 0x7fffffffn, 0xffffffffn, 0x100000000n, 0xffffffffffffffffn];

function parseNumber(s: string): number {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(s)) throw new Error(`not a number: ${s}`);
  return Number(s);
}

export function readEvalTable(tsvPath: string): EvalTable {
  const text = readFileSync(tsvPath, 'utf8');
  let profilePath = tsvPath.replace(/\.tsv$/, '.json');
  let context: EvalContext = {};
  const cases: EvalCase[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const directive = /^#!\s*(.*)$/.exec(raw);
    if (directive) {
      // `known` sticks for the rest of the table; the other settings last until the next directive.
      const next: EvalContext = context.known ? { known: context.known } : {};
      for (const kv of (directive[1] as string).trim().split(/\s+/)) {
        const [k, v = ''] = kv.split('=');
        if (k === 'profile') profilePath = join(dirname(tsvPath), v);
        else if (k === 'known') next.known = v;
        else if (k === 'caps') next.caps = v.split(',').filter(Boolean);
        else if (k === 'kernel') next.kernel = v;
        else if (k === 'host') next.host = findArch(v)?.name;
        else throw new Error(`${tsvPath}:${line}: unknown directive ${k}`);
      }
      if (!/profile=/.test(raw) || /known=/.test(raw)) context = next;
      return;
    }
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const [archText, sysText, argsText, expected, ...rest] = raw.split('\t');
    if (!archText || !sysText || !argsText || !expected)
      throw new Error(`${tsvPath}:${line}: expected 4 columns`);
    const arch = findArch(archText)?.name;
    if (!arch) throw new Error(`${tsvPath}:${line}: unknown arch ${archText}`);
    const why = rest.join(' ').replace(/^#\s*/, '');
    const range = /^(0x[0-9a-f]+|\d+)-(0x[0-9a-f]+|\d+)$/i.exec(sysText);
    const numbers: Array<{ nr: number; syscall: string }> = [];
    if (range) {
      for (let n = parseNumber(range[1] as string); n <= parseNumber(range[2] as string); n++) {
        numbers.push({ nr: n, syscall: String(n) });
      }
    } else if (/^(0x[0-9a-f]+|\d+)$/i.test(sysText)) {
      numbers.push({ nr: parseNumber(sysText), syscall: sysText });
    } else {
      const nr = syscallNumber(arch, sysText);
      if (nr === undefined) throw new Error(`${tsvPath}:${line}: ${sysText} does not exist on ${arch}`);
      numbers.push({ nr, syscall: sysText });
    }
    const argSets =
      argsText === 'N'
        ? DONT_CARE.map((v) => [v])
        : argsText === '-'
          ? [[]]
          : [argsText.split(',').map((a) => BigInt(a))];
    for (const { nr, syscall } of numbers) {
      for (const args of argSets) {
        cases.push({
          file: tsvPath,
          line,
          arch,
          nr,
          syscall,
          args,
          expected: expected.trim(),
          why,
          todo: why.startsWith('todo:'),
          context,
        });
      }
    }
  });
  return { name: tsvPath.replace(/^.*\//, '').replace(/\.tsv$/, ''), profilePath, cases };
}

export function readEvalTables(dir: string): EvalTable[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tsv'))
    .sort()
    .map((f) => readEvalTable(join(dir, f)));
}

/** The table's spelling of a decision: ALLOW, ERRNO(1), TRACE(77), KILL_THREAD... */
export function decisionLabel(action: string, errno: number | undefined): string {
  const short = action.replace(/^SCMP_ACT_/, '');
  return short === 'ERRNO' || short === 'TRACE' ? `${short}(${errno ?? 0})` : short;
}
