/**
 * Reading and writing seccomp profiles in the three formats Breakwater speaks.
 *
 * Format detection (`format: 'auto'`), by content, never by file name:
 *   1. First significant character is not `{` or `[` (after whitespace/BOM; `/` counts as JSON so a
 *      commented JSON file gets JSON diagnostics): YAML. It is SPO when some document has `kind: SeccompProfile`; any other
 *      YAML is an error (`profile-unknown-format`).
 *   2. JSON with a top-level `ociVersion` or `linux` key: an OCI config.json (seccomp read from linux.seccomp).
 *   3. JSON with `defaultAction` whose top-level keys and rule keys are all OCI `LinuxSeccomp` fields: a
 *      bare OCI object.
 *   4. Any other JSON (archMap, name, comment, includes/excludes, podman's errno names, or unknown keys):
 *      Docker/moby. Docker's format is a superset of OCI's, so this is also the fallback.
 */
import { readFile } from 'node:fs/promises';
import { parseTree } from 'jsonc-parser';
import { type Diagnostic, ParseError, UsageError } from '../../errors.js';
import type { ProfileFormat, SeccompProfile } from '../model.js';
import { type ParseResult, parseDockerProfile, printDockerProfile } from './docker.js';
import { parseOciSeccomp, printOciSeccomp } from './oci.js';
import { CORE_RULE, CORE_TOP } from './reader.js';
import { parseSpoProfile, printSpoProfile } from './spo.js';

export type { ParseResult } from './docker.js';
export { parseDockerProfile, printDockerProfile } from './docker.js';
export { parseOciSeccomp, printOciSeccomp } from './oci.js';
export { ProfileFormatError } from './print.js';
export { parseSpoProfile, parseSpoProfiles, printSpoProfile, type SpoEnvelope } from './spo.js';
export { VALIDATE_CODES, validateProfile } from './validate.js';

export type FormatOption = ProfileFormat | 'auto';

const OCI_TOP: ReadonlySet<string> = new Set(CORE_TOP);
const OCI_RULE: ReadonlySet<string> = new Set(CORE_RULE);

/** Which format a text is in (see the module comment for the rule). Never throws. */
export function detectFormat(text: string): ProfileFormat | undefined {
  const first = /[^\s\ufeff]/.exec(text)?.[0];
  if (first !== '{' && first !== '[' && first !== '/') {
    return /^kind:\s*["']?SeccompProfile["']?\s*(#.*)?$/m.test(text) ? 'spo' : undefined;
  }
  // Lenient parse: detection only needs the keys; strictness is the chosen parser's job.
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (root?.type !== 'object') return 'docker';
  const keys = (n: typeof root) => (n.children ?? []).map((p) => String(p.children?.[0]?.value));
  const top = keys(root);
  if (top.includes('ociVersion') || top.includes('linux')) return 'oci';
  if (!top.includes('defaultAction') || !top.every((k) => OCI_TOP.has(k))) return 'docker';
  const syscalls = root.children?.find((p) => p.children?.[0]?.value === 'syscalls')?.children?.[1];
  for (const rule of syscalls?.type === 'array' ? (syscalls.children ?? []) : []) {
    if (rule.type === 'object' && !keys(rule).every((k) => OCI_RULE.has(k))) return 'docker';
  }
  return 'oci';
}

/** Parses a profile; `profile` is present only when no error-severity diagnostic exists. Never throws. */
export function parseProfile(text: string, file: string, format: FormatOption = 'auto'): ParseResult {
  const f = format === 'auto' ? detectFormat(text) : format;
  switch (f) {
    case 'docker':
      return parseDockerProfile(text, file);
    case 'oci':
      return parseOciSeccomp(text, file);
    case 'spo':
      return parseSpoProfile(text, file);
    default:
      return {
        diagnostics: [
          {
            file,
            line: 1,
            column: 1,
            severity: 'error',
            code: 'profile-unknown-format',
            message:
              'not a seccomp profile: expected Docker/OCI JSON (an object) or YAML with "kind: SeccompProfile"',
          },
        ],
      };
  }
}

/** Prints in the given format; throws ProfileFormatError when the format cannot express the model. */
export function printProfile(p: SeccompProfile, format: ProfileFormat): string {
  switch (format) {
    case 'docker':
      return printDockerProfile(p);
    case 'oci':
      return printOciSeccomp(p);
    case 'spo':
      return printSpoProfile(p);
  }
}

export interface LoadedProfile {
  profile: SeccompProfile;
  /** Warnings (and infos): a loaded profile never has errors. */
  diagnostics: Diagnostic[];
}

/**
 * Reads a profile from a file (`-` = stdin). Throws ParseError carrying every diagnostic when any is an
 * error, and UsageError when the file cannot be read at all.
 */
export async function loadProfile(path: string, format: FormatOption = 'auto'): Promise<LoadedProfile> {
  const file = path === '-' ? '<stdin>' : path;
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read seccomp profile ${file}: ${(e as Error).message}`);
  }
  const { profile, diagnostics } = parseProfile(text, file, format);
  if (!profile || diagnostics.some((d) => d.severity === 'error')) throw new ParseError(diagnostics);
  return { profile, diagnostics };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
