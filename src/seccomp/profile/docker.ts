/**
 * Docker / moby seccomp profile JSON (profiles/seccomp: Seccomp, Architecture, Syscall, Filter), also the
 * podman / CRI-O default profile, which is the same format plus `defaultErrno`/`errno` names.
 */
import type { Diagnostic } from '../../errors.js';
import type { RuleSelector, SeccompProfile } from '../model.js';
import { parseJson } from './json.js';
import { argOut, type JsonOut, ProfileFormatError, stringifyJson } from './print.js';
import { readSeccompObject } from './reader.js';
import { validateProfile } from './validate.js';

export interface ParseResult {
  /** Present only when no error-severity diagnostic was found (fail closed: no half-understood profile). */
  profile?: SeccompProfile;
  diagnostics: Diagnostic[];
}

export function parseDockerProfile(text: string, file: string): ParseResult {
  const { root, diagnostics, recoverable } = parseJson(text, file);
  // After a real syntax error the recovered tree is guesswork; stop before it breeds follow-on noise.
  if (!root || !recoverable) return { diagnostics };
  const draft = readSeccompObject(root, { dialect: 'docker', file }, diagnostics);
  return finish(draft, diagnostics);
}

/** Shared tail of every parser: validate the draft and hand out the profile only if nothing is an error. */
export function finish(draft: ReturnType<typeof readSeccompObject>, diagnostics: Diagnostic[]): ParseResult {
  if (!draft) return { diagnostics };
  diagnostics.push(...validateProfile(draft.profile, { positions: draft.positions }));
  sortDiagnostics(diagnostics);
  return diagnostics.some((d) => d.severity === 'error')
    ? { diagnostics }
    : { profile: draft.profile, diagnostics };
}

export function sortDiagnostics(ds: Diagnostic[]): void {
  ds.sort((a, b) => a.line - b.line || a.column - b.column);
}

function selectorOut(s: RuleSelector | undefined): JsonOut | undefined {
  if (!s) return undefined;
  // moby's Filter key order: caps, arches, minKernel (all omitempty).
  return {
    caps: s.caps?.length ? s.caps : undefined,
    arches: s.arches?.length ? s.arches : undefined,
    minKernel: s.minKernel ? s.minKernel : undefined,
  };
}

/**
 * Prints moby's layout and key order (LinuxSeccomp's fields, then archMap, then syscalls; in a rule: names,
 * action, errnoRet, args, comment, includes, excludes), 2-space indented, integers exact.
 */
export function printDockerProfile(p: SeccompProfile): string {
  if (p.archMap?.length && p.architectures.length) {
    throw new ProfileFormatError(
      'cannot print a Docker profile with both architectures and archMap: Docker refuses it',
    );
  }
  const out: JsonOut = {
    defaultAction: p.defaultAction,
    defaultErrnoRet: p.defaultErrnoRet,
    architectures: p.architectures.length ? p.architectures : undefined,
    flags: p.flags.length ? p.flags : undefined,
    listenerPath: p.listenerPath || undefined,
    listenerMetadata: p.listenerMetadata || undefined,
    archMap: p.archMap?.length
      ? p.archMap.map((e) => ({
          architecture: e.architecture,
          // moby writes null for "no sub-architectures"; keep that so diffs against upstream stay quiet.
          subArchitectures: e.subArchitectures.length ? e.subArchitectures : null,
        }))
      : undefined,
    syscalls: p.syscalls.map((r) => ({
      names: r.names,
      action: r.action,
      errnoRet: r.errnoRet,
      args: r.args.length ? r.args.map(argOut) : undefined,
      comment: r.comment || undefined,
      includes: selectorOut(r.includes),
      excludes: selectorOut(r.excludes),
    })),
  };
  return `${stringifyJson(out)}\n`;
}
