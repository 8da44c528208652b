/** `breakwater apparmor eval`: what one AppArmor profile decides, for one query or a stream of them. */
import {
  type AppArmorDecision,
  type AppArmorQuery,
  type CompiledProfile,
  evaluate,
  type MountQuery,
  parseQuery,
} from '../../apparmor/evaluate.js';
import { UsageError } from '../../errors.js';
import { compileOne, loadPolicy } from './apparmor-load.js';
import { streamJsonLines } from './jsonl.js';

export interface EvalFlags {
  include: string[];
  profile?: string;
  /** File query: path + perm (`--perm rw`, exec modes like `ix` count as x). */
  path?: string;
  perm?: string;
  /** File query: the task owns the file (owner rules apply). */
  owner?: boolean;
  capability?: string;
  /** `DOMAIN` or `DOMAIN,TYPE` (e.g. `alg,seqpacket`). */
  network?: string;
  /** `key=value` words: `fstype=cgroup source=cgroup target=/tmp/x options=rw,nosuid` (a bare word is the target). */
  mount?: string;
  queries?: string;
  format: string;
}

export async function run(file: string, flags: EvalFlags): Promise<void> {
  const queryFlags = [flags.path, flags.capability, flags.network, flags.mount].filter(
    (x) => x !== undefined,
  );
  if (flags.queries !== undefined && queryFlags.length)
    throw new UsageError('--queries and --path/--capability/--network/--mount are exclusive');
  if (flags.queries === undefined && queryFlags.length !== 1)
    throw new UsageError(
      'give one of --path (with --perm), --capability, --network, --mount, or --queries FILE',
    );
  if (flags.queries === '-' && file === '-')
    throw new UsageError('the profile and --queries cannot both be stdin');

  const compiled = await load(file, flags);
  if (flags.queries !== undefined) {
    const bad = await streamQueries(compiled, flags.queries);
    if (bad > 0) process.exitCode = 2;
    return;
  }
  const query = queryFromFlags(flags);
  const d = evaluate(compiled, query);
  process.stdout.write(flags.format === 'json' ? `${JSON.stringify(toJson(d))}\n` : `${toText(d, query)}\n`);
}

async function load(file: string, flags: EvalFlags): Promise<CompiledProfile> {
  return compileOne(await loadPolicy(file, flags.include), flags.profile);
}

export function queryFromFlags(flags: EvalFlags): AppArmorQuery {
  if (flags.path !== undefined) {
    if (flags.perm === undefined) throw new UsageError('--path needs --perm (e.g. --perm r)');
    return parseQuery({ class: 'file', path: flags.path, perms: flags.perm, owner: flags.owner ?? false });
  }
  if (flags.perm !== undefined) throw new UsageError('--perm goes with --path');
  if (flags.capability !== undefined) return parseQuery({ class: 'capability', name: flags.capability });
  if (flags.network !== undefined) {
    const [domain, type, ...rest] = flags.network.split(/[,\s:]+/).filter(Boolean);
    if (!domain || rest.length) throw new UsageError('--network takes DOMAIN or DOMAIN,TYPE');
    return parseQuery({ class: 'network', domain, ...(type ? { type } : {}) });
  }
  if (flags.mount !== undefined) return mountFlag(flags.mount);
  throw new UsageError('no query given');
}

function mountFlag(s: string): MountQuery {
  const q: Record<string, unknown> = { class: 'mount' };
  for (const word of s.split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      q.target = word;
      continue;
    }
    const key = word.slice(0, eq);
    const value = word.slice(eq + 1);
    if (key === 'options') q.options = value.split(',').filter(Boolean);
    else if (key === 'fstype' || key === 'source' || key === 'target') q[key] = value;
    else throw new UsageError(`--mount: unknown key '${key}' (fstype, source, target, options)`);
  }
  if (q.target === undefined) throw new UsageError('--mount needs a target');
  return parseQuery(q) as MountQuery;
}

export function toJson(d: AppArmorDecision) {
  return {
    decision: d.decision,
    audited: d.audited,
    rule: d.rule ? { text: d.rule.text, line: d.rule.line } : null,
    ...(d.mode === 'complain' ? { mode: d.mode, enforceDecision: d.enforceDecision } : {}),
  };
}

function toText(d: AppArmorDecision, q: AppArmorQuery): string {
  const what = JSON.stringify(q);
  const why = d.rule
    ? `${d.rule.text} at ${d.rule.file}:${d.rule.line}`
    : d.missing.length
      ? `no rule grants ${d.missing.join(', ')}`
      : 'no rule';
  const complain = d.mode === 'complain' ? ` [complain mode; enforce would ${d.enforceDecision}]` : '';
  return `${d.decision}${d.audited ? ' (audited)' : ''}  ${what}  (${why})${complain}`;
}

/** Streams JSON-line queries; returns the number of bad lines (each reported, the run goes on). */
function streamQueries(compiled: CompiledProfile, path: string): Promise<number> {
  return streamJsonLines(path, 'apparmor-eval-query', (raw) => toJson(evaluate(compiled, parseQuery(raw))));
}
