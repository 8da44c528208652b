/**
 * Shared printing pieces. JSON.stringify cannot print a bigint as a number (it throws, and going through
 * `number` would round 18446744073709551615), so JSON output uses this small exact serializer instead.
 */
import { BreakwaterError } from '../../errors.js';
import type { ArgCondition, SeccompProfile, SyscallRule } from '../model.js';

/** The model holds something the target format cannot express; printing it would change its meaning. */
export class ProfileFormatError extends BreakwaterError {
  constructor(message: string) {
    super(message, 'profile-unsupported-in-format');
  }
}

export type JsonOut =
  | string
  | number
  | bigint
  | boolean
  | null
  | JsonOut[]
  | { [k: string]: JsonOut | undefined };

/** 2-space JSON in JSON.stringify(v, null, 2) layout; bigint printed as an exact integer; undefined omitted. */
export function stringifyJson(v: JsonOut, indent = ''): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`cannot print ${v} as JSON`);
    return String(v);
  }
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + stringifyJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v).filter(([, x]) => x !== undefined) as Array<[string, JsonOut]>;
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${stringifyJson(x, inner)}`).join(',\n')}\n${indent}}`;
}

/** OCI/SPO arg condition, in runtime-spec key order; valueTwo is omitempty there as in moby. */
export function argOut(a: ArgCondition): { [k: string]: JsonOut | undefined } {
  return { index: a.index, value: a.value, valueTwo: a.valueTwo !== 0n ? a.valueTwo : undefined, op: a.op };
}

/** Refuses Docker-only constructs for formats that would silently drop them (OCI, SPO). */
export function assertNoDockerOnly(p: SeccompProfile, format: string): void {
  const problems: string[] = [];
  if (p.archMap?.length) problems.push('archMap');
  p.syscalls.forEach((r: SyscallRule, i) => {
    if (r.includes) problems.push(`syscalls[${i}].includes`);
    if (r.excludes) problems.push(`syscalls[${i}].excludes`);
  });
  if (problems.length === 0) return;
  const shown =
    problems.slice(0, 5).join(', ') + (problems.length > 5 ? `, and ${problems.length - 5} more` : '');
  throw new ProfileFormatError(
    `cannot print this profile as ${format}: it uses Docker-only ${shown}, which ${format} cannot express ` +
      '(dropping them would make conditional rules unconditional). Resolve the profile for a target ' +
      '(arch, capabilities, kernel) first, then print it.',
  );
}
