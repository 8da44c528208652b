/**
 * OCI runtime-spec `LinuxSeccomp` (config.json `linux.seccomp`): what runc/crun actually load. Accepts the
 * bare object or a whole config.json; positions stay relative to the whole file either way.
 */
import type { SeccompProfile } from '../model.js';
import { finish, type ParseResult } from './docker.js';
import { diag, type LNode, parseJson } from './json.js';
import { argOut, assertNoDockerOnly, type JsonOut, stringifyJson } from './print.js';
import { readSeccompObject } from './reader.js';

/** A whole config.json rather than a bare seccomp object: it has `ociVersion` or a `linux` object. */
export function isOciConfig(root: LNode): boolean {
  return root.kind === 'object' && root.entries.some((e) => e.key === 'ociVersion' || e.key === 'linux');
}

export function parseOciSeccomp(text: string, file: string): ParseResult {
  const { root, diagnostics, recoverable } = parseJson(text, file);
  if (!root || !recoverable) return { diagnostics };
  let node: LNode = root;
  if (root.kind === 'object' && isOciConfig(root)) {
    // Go's decoder matches keys case-insensitively and the last duplicate wins; find the entry runc would use.
    const linux = root.entries.filter((e) => e.key.toLowerCase() === 'linux').at(-1);
    const seccomp =
      linux?.value.kind === 'object'
        ? linux.value.entries.filter((e) => e.key.toLowerCase() === 'seccomp').at(-1)
        : undefined;
    if (!seccomp || seccomp.value.kind === 'null') {
      diagnostics.push(
        diag(
          linux?.keyPos ?? root.pos,
          'error',
          'oci-no-seccomp',
          'this OCI config.json has no linux.seccomp: the container runs without a seccomp filter',
        ),
      );
      return { diagnostics };
    }
    node = seccomp.value;
  }
  return finish(readSeccompObject(node, { dialect: 'oci', file }, diagnostics), diagnostics);
}

/** The bare `linux.seccomp` object in runtime-spec key order. Comments have no place in OCI and are dropped. */
export function printOciSeccomp(p: SeccompProfile): string {
  assertNoDockerOnly(p, 'an OCI linux.seccomp object');
  return `${stringifyJson(ociObject(p))}\n`;
}

/** The runtime-spec object (shared with the SPO printer, whose spec has the same fields). */
export function ociObject(p: SeccompProfile): { [k: string]: JsonOut | undefined } {
  return {
    defaultAction: p.defaultAction,
    defaultErrnoRet: p.defaultErrnoRet,
    architectures: p.architectures.length ? p.architectures : undefined,
    flags: p.flags.length ? p.flags : undefined,
    listenerPath: p.listenerPath || undefined,
    listenerMetadata: p.listenerMetadata || undefined,
    syscalls: p.syscalls.length
      ? p.syscalls.map((r) => ({
          names: r.names,
          action: r.action,
          errnoRet: r.errnoRet,
          args: r.args.length ? r.args.map(argOut) : undefined,
        }))
      : undefined,
  };
}
