/** `breakwater seccomp eval`: one decision, or a stream of JSON-line queries. */
import { UsageError } from '../../errors.js';
import { type CompiledProfile, compileProfile, evaluate } from '../../seccomp/evaluate.js';
import type { SeccompProfile } from '../../seccomp/model.js';
import { ERRNO_BY_NAME } from '../../seccomp/profile/errno.js';
import { loadProfile } from '../../seccomp/profile/index.js';
import type { CompileOptions, SeccompDecision } from '../../seccomp/types.js';
import { archFlag, type ContextFlags, compileOptions, parseCaps, parseU64 } from './context.js';
import { streamJsonLines } from './jsonl.js';

interface EvalFlags extends ContextFlags {
  arch: string;
  syscall?: string;
  args?: string;
  queries?: string;
  format: string;
  profileFormat: string;
}

// First name wins: ERRNO_BY_NAME lists aliases (EWOULDBLOCK, EDEADLOCK) after the usual name.
const ERRNO_NAME = new Map<number, string>();
for (const [n, v] of Object.entries(ERRNO_BY_NAME)) if (!ERRNO_NAME.has(v)) ERRNO_NAME.set(v, n);

export async function run(profilePath: string, flags: EvalFlags): Promise<void> {
  const { profile } = await loadProfile(profilePath, flags.profileFormat as never);
  const base = compileOptions(flags);
  if (flags.queries !== undefined) {
    if (flags.syscall !== undefined) throw new UsageError('--queries and --syscall are exclusive');
    const bad = await streamQueries(profile, base, flags.queries);
    if (bad > 0) process.exitCode = 2;
    return;
  }
  if (flags.syscall === undefined) throw new UsageError('give --syscall NAME (or --queries FILE)');
  const compiled = compileProfile(profile, base);
  const args = flags.args ? flags.args.split(',').map(parseU64) : [];
  if (args.length > 6) throw new UsageError('--args takes at most six values');
  const decision = evaluate(compiled, {
    arch: archFlag(flags.arch, '--arch').name,
    syscall: syscallArg(flags.syscall),
    args,
  });
  process.stdout.write(
    flags.format === 'json'
      ? `${JSON.stringify(toJson(decision, profile))}\n`
      : `${toText(decision, args)}\n`,
  );
}

function syscallArg(s: string): string | number {
  return /^(0x[0-9a-f]+|\d+)$/i.test(s) ? Number(s) : s;
}

export function toJson(d: SeccompDecision, profile: SeccompProfile) {
  return {
    arch: d.arch,
    syscall: d.syscall ?? null,
    nr: d.nr,
    action: d.action,
    errno: d.errno ?? null,
    source: d.source,
    rule: d.rule
      ? {
          index: d.rule.index,
          name: d.rule.name,
          file: d.rule.pos?.file ?? profile.source ?? null,
          line: d.rule.pos?.line ?? null,
          column: d.rule.pos?.column ?? null,
        }
      : null,
  };
}

function toText(d: SeccompDecision, args: bigint[]): string {
  const call = `${d.syscall ?? `#${d.nr}`}(${args.map((a) => `0x${a.toString(16)}`).join(', ')})`;
  const errno = d.errno !== undefined ? ` ${ERRNO_NAME.get(d.errno) ?? d.errno}` : '';
  const why =
    d.source === 'rule' && d.rule
      ? `rule #${d.rule.index} (${d.rule.name})${d.rule.pos ? ` at ${d.rule.pos.file}:${d.rule.pos.line}:${d.rule.pos.column}` : ''}`
      : d.source === 'default'
        ? 'default action'
        : d.source === 'bad-arch'
          ? 'architecture not in the filter (libseccomp bad-arch action)'
          : d.source === 'kernel-bypass'
            ? 'this kernel never shows the call to seccomp'
            : "runc's -ENOSYS stub (syscall newer than any the profile names)";
  return `${d.arch} ${call} [nr ${d.nr}] -> ${d.action}${errno}  (${why})`;
}

/** Streams JSON-line queries; returns the number of bad lines (each reported, the run goes on). */
function streamQueries(profile: SeccompProfile, base: CompileOptions, path: string): Promise<number> {
  // One compiled filter per container context (caps, kernel) the queries ask about.
  const cache = new Map<string, CompiledProfile>();
  return streamJsonLines(path, 'seccomp-eval-query', (raw) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new UsageError('a query must be a JSON object');
    }
    const q = raw as Record<string, unknown>;
    const caps = q.caps === undefined ? undefined : parseCaps(q.caps as string[]);
    const kernel = q.kernel === undefined ? base.kernel : String(q.kernel);
    const key = `${caps?.join(',') ?? '*'}|${kernel}`;
    let compiled = cache.get(key);
    if (!compiled) {
      compiled = compileProfile(profile, {
        ...base,
        ...(caps ? { caps } : {}),
        ...(kernel ? { kernel } : {}),
      });
      cache.set(key, compiled);
    }
    if (typeof q.syscall !== 'string' && typeof q.syscall !== 'number')
      throw new UsageError('"syscall" is required');
    const rawArgs = q.args ?? [];
    if (!Array.isArray(rawArgs) || rawArgs.length > 6) {
      throw new UsageError('"args" must be an array of at most six values');
    }
    const args = rawArgs.map((a) => parseU64(String(a)));
    const arch = archFlag(String(q.arch ?? 'x86_64'), 'arch').name;
    const syscall = typeof q.syscall === 'string' ? syscallArg(q.syscall) : q.syscall;
    return toJson(evaluate(compiled, { arch, syscall, args }), profile);
  });
}
