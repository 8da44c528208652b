/**
 * Security Profiles Operator `SeccompProfile` objects (YAML, possibly several documents per file).
 * The YAML is mapped into json.ts's located tree so the shared seccomp reader does the rest.
 */
import {
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Node as YamlNode,
} from 'yaml';
import type { Diagnostic, SourcePos } from '../../errors.js';
import type { SeccompProfile, SpoMeta } from '../model.js';
import { finish, type ParseResult, sortDiagnostics } from './docker.js';
import { diag, type LEntry, type LNode, UINT64_MAX } from './json.js';
import { ociObject } from './oci.js';
import { assertNoDockerOnly } from './print.js';
import { readSeccompObject } from './reader.js';

export const SPO_API_VERSION = 'security-profiles-operator.x-k8s.io/v1beta1';
const SPO_GROUP = 'security-profiles-operator.x-k8s.io/';
/** Alias expansion is bounded so a "billion laughs" document cannot exhaust memory. */
const MAX_ALIAS_COUNT = 50;
/** SPO spec keys the seccomp model has no field for; kept verbatim so printing round-trips. */
const SPEC_EXTRA_KEYS = ['baseProfileName', 'disabled'] as const;

/**
 * SpoMeta plus the spec fields the model lacks. `baseProfileName` changes what the profile means (SPO merges
 * the base profile in), so it must survive a parse/print round trip. Kept here, not in model.ts, to leave
 * the shared model untouched; a structural subtype of SpoMeta.
 */
export interface SpoEnvelope extends SpoMeta {
  spec?: { baseProfileName?: string; disabled?: boolean };
}

/** Where each parsed profile's document starts (for "pick one" diagnostics). */
const docStart = new WeakMap<SeccompProfile, SourcePos>();

export interface SpoParseResult {
  profiles: SeccompProfile[];
  diagnostics: Diagnostic[];
}

/** Every `kind: SeccompProfile` document in the file; other kinds (AppArmorProfile...) are skipped. */
export function parseSpoProfiles(text: string, file: string): SpoParseResult {
  const lc = new LineCounter();
  const at = (offset: number): SourcePos => {
    const { line, col } = lc.linePos(offset);
    return { file, line, column: col };
  };
  const diagnostics: Diagnostic[] = [];
  const profiles: SeccompProfile[] = [];
  const docs = parseAllDocuments(text, {
    lineCounter: lc,
    intAsBigInt: true,
    uniqueKeys: true,
    prettyErrors: false,
  });
  const list = Array.isArray(docs) ? docs : [];
  let syntaxOk = true;
  for (const d of list) {
    for (const e of d.errors) {
      syntaxOk = false;
      diagnostics.push(diag(at(e.pos[0]), 'error', 'yaml-syntax', `YAML error: ${firstLine(e.message)}`));
    }
    for (const w of d.warnings) {
      diagnostics.push(
        diag(at(w.pos[0]), 'warning', 'yaml-warning', `YAML warning: ${firstLine(w.message)}`),
      );
    }
  }
  if (!syntaxOk) {
    sortDiagnostics(diagnostics);
    return { profiles, diagnostics };
  }
  let seen = 0;
  const starts: SourcePos[] = [];
  for (const d of list) {
    const contents = d.contents;
    if (!contents || !isMap(contents)) continue;
    const kindPair = contents.items.find((p) => isScalar(p.key) && p.key.value === 'kind');
    if (!kindPair || !isScalar(kindPair.value) || kindPair.value.value !== 'SeccompProfile') continue;
    seen++;
    const docDiags: Diagnostic[] = [];
    const root = toLNode(contents, { text, at, diagnostics: docDiags, doc: d, aliases: 0 }, 0);
    starts.push(at(contents.range?.[0] ?? 0));
    let js: Record<string, unknown> = {};
    try {
      js = d.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
    } catch (e) {
      // toJS throws on excessive aliases; the walk above has reported that already.
      if (!docDiags.some((x) => x.severity === 'error')) {
        docDiags.push(diag(at(0), 'error', 'yaml-syntax', `YAML error: ${(e as Error).message}`));
      }
    }
    const p = readEnvelope(root, file, docDiags, js);
    diagnostics.push(...docDiags);
    if (p) {
      profiles.push(p);
      docStart.set(p, starts.at(-1) as SourcePos);
    }
  }
  if (seen === 0) {
    diagnostics.push(
      diag(at(0), 'error', 'spo-no-seccomp-profile', 'no document with "kind: SeccompProfile" in this YAML'),
    );
  }
  sortDiagnostics(diagnostics);
  return { profiles, diagnostics };
}

/**
 * One SPO profile. A file with several SeccompProfile documents needs `name` (metadata.name) to pick one:
 * guessing which one the user meant would lint or print the wrong policy.
 */
export function parseSpoProfile(text: string, file: string, opts: { name?: string } = {}): ParseResult {
  const { profiles, diagnostics } = parseSpoProfiles(text, file);
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const names = profiles.map((p) => String(p.spo?.metadata.name ?? ''));
  if (opts.name !== undefined) {
    const i = names.indexOf(opts.name);
    if (i < 0) {
      diagnostics.push(
        diag(
          { file, line: 1, column: 1 },
          'error',
          'spo-profile-not-found',
          `no SeccompProfile named "${opts.name}" (found: ${names.join(', ')})`,
        ),
      );
      return { diagnostics };
    }
    return { profile: profiles[i], diagnostics };
  }
  if (profiles.length > 1) {
    const second = (profiles[1] && docStart.get(profiles[1])) ?? { file, line: 1, column: 1 };
    diagnostics.push(
      diag(
        second,
        'error',
        'spo-multiple-profiles',
        `this file holds ${profiles.length} SeccompProfile documents (${names.join(', ')}); pick one by name`,
      ),
    );
    return { diagnostics };
  }
  return { profile: profiles[0], diagnostics };
}

function readEnvelope(
  root: LNode,
  file: string,
  diagnostics: Diagnostic[],
  js: Record<string, unknown>,
): SeccompProfile | undefined {
  if (root.kind !== 'object') return undefined;
  const get = (k: string): LEntry | undefined => root.entries.find((e) => e.key === k);
  const apiVersion = get('apiVersion');
  const av = apiVersion?.value.kind === 'string' ? apiVersion.value.value : undefined;
  if (!av?.startsWith(SPO_GROUP)) {
    diagnostics.push(
      diag(
        apiVersion?.value.pos ?? root.pos,
        'warning',
        'spo-api-version',
        `apiVersion ${av === undefined ? 'is missing' : `"${av}" is not`} ${SPO_GROUP}*: this may not be an SPO profile`,
      ),
    );
  }
  const spec = get('spec');
  if (!spec) {
    diagnostics.push(diag(root.pos, 'error', 'seccomp-missing-field', 'SeccompProfile without "spec"'));
    return undefined;
  }
  const draft = readSeccompObject(
    spec.value,
    { dialect: 'spo', file, extraTopKeys: SPEC_EXTRA_KEYS },
    diagnostics,
  );
  if (!draft) return undefined;
  const meta = js.metadata;
  const envelope: SpoEnvelope = {
    apiVersion: av ?? SPO_API_VERSION,
    kind: 'SeccompProfile',
    metadata:
      meta && typeof meta === 'object' && !Array.isArray(meta) ? (meta as Record<string, unknown>) : {},
  };
  const extras: NonNullable<SpoEnvelope['spec']> = {};
  const base = draft.extra.get('baseProfileName');
  if (base?.value.kind === 'string' && base.value.value) {
    extras.baseProfileName = base.value.value;
    // The effective policy is this profile merged with the base; we only see this half.
    diagnostics.push(
      diag(
        base.value.pos,
        'warning',
        'spo-base-profile',
        `baseProfileName "${base.value.value}" is not resolved: checks see only this profile's own rules, not the base's`,
      ),
    );
  } else if (base && base.value.kind !== 'null') {
    diagnostics.push(diag(base.value.pos, 'error', 'seccomp-bad-type', 'baseProfileName must be a string'));
  }
  const disabled = draft.extra.get('disabled');
  if (disabled?.value.kind === 'boolean') extras.disabled = disabled.value.value;
  else if (disabled && disabled.value.kind !== 'null') {
    diagnostics.push(diag(disabled.value.pos, 'error', 'seccomp-bad-type', 'disabled must be true or false'));
  }
  if (Object.keys(extras).length) envelope.spec = extras;
  draft.profile.spo = envelope;
  const done = finish(draft, diagnostics);
  // finish() pushed into the same array; keep it the single list the caller merges.
  return done.profile;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

/**
 * Integers as both YAML 1.2 (this parser) and YAML 1.1 (go-yaml behind sigs.k8s.io/yaml, what the operator
 * sees) read them the same way: plain decimal without leading zeros, or 0x hex. `0777` (octal in 1.1,
 * decimal in 1.2), `0o17`, `1_000` and `+5` are ambiguous between the two, so they are refused.
 */
function classifyYamlInt(raw: string): { uint?: bigint; problem?: string } {
  if (/^(0|[1-9][0-9]*)$/.test(raw) || /^0x[0-9a-fA-F]+$/.test(raw)) {
    const v = BigInt(raw);
    return v > UINT64_MAX
      ? { problem: `${raw} does not fit in 64 bits (maximum 18446744073709551615)` }
      : { uint: v };
  }
  if (/^-[0-9]/.test(raw)) return { problem: `${raw} is negative; seccomp values are unsigned` };
  if (/^[0-9]+$/.test(raw) || /^[+0-9][0-9_a-fA-FoxXbB]*$/.test(raw)) {
    return { problem: `${raw} is read differently by YAML 1.1 and 1.2 parsers; write it in plain decimal` };
  }
  return { problem: `${raw} is not an integer` };
}

interface Ctx {
  text: string;
  at: (offset: number) => SourcePos;
  diagnostics: Diagnostic[];
  /** Aliases resolve against their document. */
  doc: Document.Parsed;
  /** Alias expansions so far (bounded by MAX_ALIAS_COUNT). */
  aliases: number;
}

function toLNode(n: unknown, ctx: Ctx, depth: number): LNode {
  const { text, at, diagnostics } = ctx;
  const node = n as YamlNode | null | undefined;
  const offset = node?.range?.[0] ?? 0;
  const base = { pos: at(offset), offset };
  if (depth > 64) {
    diagnostics.push(diag(base.pos, 'error', 'yaml-syntax', 'YAML nesting too deep'));
    return { ...base, kind: 'null' };
  }
  if (isAlias(node)) {
    if (++ctx.aliases > MAX_ALIAS_COUNT) {
      diagnostics.push(
        diag(base.pos, 'error', 'yaml-syntax', `more than ${MAX_ALIAS_COUNT} alias expansions`),
      );
      return { ...base, kind: 'null' };
    }
    // Positions point at the alias use; the content is the anchored node's.
    return { ...toLNode(node.resolve(ctx.doc), ctx, depth + 1), ...base };
  }
  if (isMap(node)) {
    const entries: LEntry[] = [];
    for (const pair of node.items) {
      const k = pair.key as YamlNode | null;
      if (!isScalar(k)) {
        diagnostics.push(diag(base.pos, 'error', 'yaml-syntax', 'mapping keys must be plain scalars'));
        continue;
      }
      const keyOffset = k.range?.[0] ?? offset;
      const value: LNode = pair.value
        ? toLNode(pair.value, ctx, depth + 1)
        : { pos: at(k.range?.[2] ?? keyOffset), offset: k.range?.[2] ?? keyOffset, kind: 'null' };
      entries.push({ key: String(k.value), keyPos: at(keyOffset), value });
    }
    return { ...base, kind: 'object', entries };
  }
  if (isSeq(node)) {
    return { ...base, kind: 'array', items: node.items.map((i) => toLNode(i, ctx, depth + 1)) };
  }
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return { ...base, kind: 'string', value: v };
    if (typeof v === 'boolean') return { ...base, kind: 'boolean', value: v };
    if (typeof v === 'number' || typeof v === 'bigint') {
      const raw = node.source ?? text.slice(node.range?.[0] ?? 0, node.range?.[1] ?? 0);
      return { ...base, kind: 'number', raw, ...classifyYamlInt(raw) };
    }
    return { ...base, kind: 'null' };
  }
  return { ...base, kind: 'null' };
}

/** SPO YAML: apiVersion, kind, metadata, then spec (baseProfileName/disabled first, then the OCI fields). */
export function printSpoProfile(p: SeccompProfile, opts: { name?: string } = {}): string {
  assertNoDockerOnly(p, 'an SPO SeccompProfile');
  const env = p.spo as SpoEnvelope | undefined;
  const metadata = { ...(env?.metadata ?? {}) };
  if (opts.name !== undefined || metadata.name === undefined) metadata.name = opts.name ?? 'seccomp-profile';
  const spec: Record<string, unknown> = { ...(env?.spec ?? {}) };
  for (const [k, v] of Object.entries(ociObject(p))) if (v !== undefined) spec[k] = v;
  const doc = new Document({
    apiVersion: env?.apiVersion ?? SPO_API_VERSION,
    kind: 'SeccompProfile',
    metadata,
    spec,
  });
  return doc.toString({ lineWidth: 0 });
}
