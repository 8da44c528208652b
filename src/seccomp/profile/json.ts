/**
 * A position-keeping, strict JSON reader on top of jsonc-parser's `parseTree`.
 *
 * Why not `JSON.parse`: it loses positions, and it turns 64-bit syscall argument values into lossy doubles
 * (`18446744073709551615` would become 18446744073709552000). Every number here keeps its source text and,
 * when it is a plain unsigned integer literal, its exact value as a bigint.
 *
 * The tree (`LNode`) is format-neutral: the SPO reader maps YAML into the same shape, so one seccomp reader
 * serves Docker, OCI and SPO.
 */
import {
  type ParseError as JsoncParseError,
  type Node,
  ParseErrorCode,
  parseTree,
  printParseErrorCode,
} from 'jsonc-parser';
import type { Diagnostic, Severity, SourcePos } from '../../errors.js';

export const UINT64_MAX = (1n << 64n) - 1n;

interface LBase {
  pos: SourcePos;
  offset: number;
}
export interface LEntry {
  key: string;
  keyPos: SourcePos;
  value: LNode;
}
export interface LObject extends LBase {
  kind: 'object';
  entries: LEntry[];
}
export interface LArray extends LBase {
  kind: 'array';
  items: LNode[];
}
export interface LString extends LBase {
  kind: 'string';
  value: string;
}
export interface LNumber extends LBase {
  kind: 'number';
  /** The literal exactly as written. */
  raw: string;
  /** Exact value when the literal is an unsigned integer in 0..2^64-1; otherwise see `problem`. */
  uint?: bigint;
  /** Why the literal is not an acceptable unsigned 64-bit integer (negative, fraction, exponent, too big). */
  problem?: string;
}
export interface LBool extends LBase {
  kind: 'boolean';
  value: boolean;
}
export interface LNull extends LBase {
  kind: 'null';
}
export type LNode = LObject | LArray | LString | LNumber | LBool | LNull;

/** Offset -> 1-based line/column. Columns count UTF-16 code units, as editors and LSP do. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(
    text: string,
    readonly file: string,
  ) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }
  pos(offset: number): SourcePos {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: offset - (this.starts[lo] as number) + 1 };
  }
}

export function diag(pos: SourcePos, severity: Severity, code: string, message: string): Diagnostic {
  return { file: pos.file, line: pos.line, column: pos.column, severity, code, message };
}

const JSON_NUMBER = /^(-)?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/**
 * Classifies a JSON number literal the way Go's encoding/json does when decoding into uint64/uint:
 * only plain non-negative integer literals that fit are accepted (Go rejects `1e3` and `1.0` there too).
 */
export function classifyJsonNumber(raw: string): { uint?: bigint; problem?: string } {
  const m = JSON_NUMBER.exec(raw);
  if (!m) return { problem: `"${raw}" is not a valid JSON number` };
  if (m[3] !== undefined || m[4] !== undefined)
    return {
      problem: `${raw} is not an integer literal (fractions and exponents are rejected by Go's decoder)`,
    };
  if (m[1] !== undefined) return { problem: `${raw} is negative; seccomp values are unsigned` };
  const v = BigInt(m[2] as string);
  if (v > UINT64_MAX) return { problem: `${raw} does not fit in 64 bits (maximum 18446744073709551615)` };
  return { uint: v };
}

export interface JsonParseResult {
  /** Absent only when the text holds no value at all. */
  root?: LNode;
  diagnostics: Diagnostic[];
  /** True when the only syntax problems are comments / trailing commas: the tree is then still exact. */
  recoverable: boolean;
  lines: LineIndex;
}

/**
 * Strict JSON: comments and trailing commas are diagnostics (error: dockerd and runc use Go's decoder, which
 * rejects them), each with the line/column of the offending character.
 */
export function parseJson(text: string, file: string): JsonParseResult {
  const lines = new LineIndex(text, file);
  const diagnostics: Diagnostic[] = [];
  let recoverable = true;
  let start = 0;
  if (text.charCodeAt(0) === 0xfeff) {
    diagnostics.push(
      diag(
        lines.pos(0),
        'error',
        'json-syntax',
        "byte order mark at start of file: Go's JSON decoder rejects it",
      ),
    );
    start = 1;
  }
  const errors: JsoncParseError[] = [];
  const body = start ? ` ${text.slice(start)}` : text; // keep offsets identical
  const tree = parseTree(body, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  const seen = new Set<string>();
  for (const e of errors) {
    const d = describeSyntaxError(body, e, lines);
    if (d.code === 'json-syntax') recoverable = false;
    // jsonc-parser can report one trailing comma twice (name expected, then value expected).
    const key = `${d.code}@${d.line}:${d.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(d);
  }
  const root = tree ? convert(tree, body, lines) : undefined;
  if (!root && diagnostics.length === 0) {
    diagnostics.push(diag(lines.pos(0), 'error', 'json-syntax', 'empty document: expected a JSON object'));
    recoverable = false;
  }
  return { root, diagnostics, recoverable, lines };
}

function describeSyntaxError(text: string, e: JsoncParseError, lines: LineIndex): Diagnostic {
  if (e.error === ParseErrorCode.InvalidCommentToken) {
    return diag(
      lines.pos(e.offset),
      'error',
      'json-comment',
      'comments are not allowed in JSON (Docker, podman and runc reject them)',
    );
  }
  if (e.error === ParseErrorCode.PropertyNameExpected || e.error === ParseErrorCode.ValueExpected) {
    // A trailing comma shows up as "expected a value/name" at the closing bracket: point at the comma instead.
    const ch = text[e.offset];
    if (ch === '}' || ch === ']') {
      let i = e.offset - 1;
      while (i >= 0 && /\s/.test(text[i] as string)) i--;
      if (text[i] === ',') {
        return diag(
          lines.pos(i),
          'error',
          'json-trailing-comma',
          'trailing comma is not allowed in JSON (Docker, podman and runc reject it)',
        );
      }
    }
  }
  return diag(
    lines.pos(e.offset),
    'error',
    'json-syntax',
    `JSON syntax error: ${printParseErrorCode(e.error)}`,
  );
}

function convert(n: Node, text: string, lines: LineIndex): LNode {
  const base = { pos: lines.pos(n.offset), offset: n.offset };
  switch (n.type) {
    case 'object': {
      const entries: LEntry[] = [];
      for (const prop of n.children ?? []) {
        const [k, v] = prop.children ?? [];
        // Error recovery can leave a property without a value; the syntax error is already reported.
        if (!k || !v) continue;
        entries.push({ key: String(k.value), keyPos: lines.pos(k.offset), value: convert(v, text, lines) });
      }
      return { ...base, kind: 'object', entries };
    }
    case 'array':
      return { ...base, kind: 'array', items: (n.children ?? []).map((c) => convert(c, text, lines)) };
    case 'string':
      return { ...base, kind: 'string', value: String(n.value) };
    case 'number': {
      const raw = text.slice(n.offset, n.offset + n.length);
      return { ...base, kind: 'number', raw, ...classifyJsonNumber(raw) };
    }
    case 'boolean':
      return { ...base, kind: 'boolean', value: Boolean(n.value) };
    default:
      return { ...base, kind: 'null' };
  }
}

/** Human name of a node's type, for "expected X, got Y" messages. */
export function kindName(n: LNode): string {
  return n.kind === 'null'
    ? 'null'
    : n.kind === 'object'
      ? 'an object'
      : n.kind === 'array'
        ? 'an array'
        : `a ${n.kind}`;
}

export interface FieldOptions {
  /** Where the object sits, for messages: "rule", "arg condition"... */
  where: string;
  /**
   * Go's encoding/json matches keys case-insensitively (`DefaultAction` sets defaultAction) and the last
   * duplicate wins; Kubernetes (SPO) decodes case-sensitively. Mirror the consumer so we see what it sees.
   */
  caseInsensitive: boolean;
  /** What the consumer does with keys it does not know, for the warning text. */
  unknownNote: string;
}

/**
 * Reads an object's fields against a list of known keys: returns the effective entry per canonical key and
 * reports unknown keys, case-mismatched keys and duplicates (warnings: the consumers accept them).
 */
export function objectFields(
  obj: LObject,
  known: readonly string[],
  opts: FieldOptions,
  diagnostics: Diagnostic[],
): Map<string, LEntry> {
  const out = new Map<string, LEntry>();
  const lower = new Map(known.map((k) => [k.toLowerCase(), k]));
  for (const e of obj.entries) {
    let key = known.includes(e.key) ? e.key : undefined;
    if (!key && opts.caseInsensitive) {
      key = lower.get(e.key.toLowerCase());
      if (key) {
        diagnostics.push(
          diag(
            e.keyPos,
            'warning',
            'seccomp-key-case',
            `key "${e.key}" in ${opts.where} is read as "${key}" (Go matches JSON keys case-insensitively); write "${key}"`,
          ),
        );
      }
    }
    if (!key) {
      diagnostics.push(
        diag(
          e.keyPos,
          'warning',
          'seccomp-unknown-key',
          `unknown key "${e.key}" in ${opts.where}: ${opts.unknownNote}`,
        ),
      );
      continue;
    }
    if (out.has(key)) {
      diagnostics.push(
        diag(
          e.keyPos,
          'warning',
          'json-duplicate-key',
          `duplicate key "${key}" in ${opts.where}: this later one wins, as in Go's decoder; remove one`,
        ),
      );
    }
    out.set(key, e);
  }
  return out;
}
