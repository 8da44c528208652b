/**
 * Position-keeping JSON for the JSON readers (`docker inspect`, OCI `config.json`): jsonc-parser's
 * `parseTree` gives every node its offset; this module turns offsets into 1-based line/column, reports
 * syntax errors and duplicate keys as diagnostics, and offers small typed accessors over the tree.
 *
 * Nothing here builds plain objects from JSON keys (no `getNodeValue`, no `obj[key] = ...`): a key
 * named `__proto__` or `constructor` is just a string compared with `===`.
 */
import {
  createScanner,
  type Node,
  type ParseError,
  ParseErrorCode,
  parseTree,
  printParseErrorCode,
  SyntaxKind,
} from 'jsonc-parser';
import type { Diagnostic, Severity, SourcePos } from '../errors.js';
import type { At } from '../model/workload.js';

export type JsonNode = Node;

/** A parsed JSON document and the means to turn its offsets into positions. */
export class JsonDoc {
  private readonly starts: number[] = [0];
  readonly diagnostics: Diagnostic[] = [];
  readonly root: Node | undefined;

  /** `prefix` starts every diagnostic code (`docker-inspect` -> `docker-inspect-json-syntax`). */
  constructor(
    readonly text: string,
    readonly file: string,
    readonly prefix: string,
  ) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
    const errors: ParseError[] = [];
    // A byte order mark: blank it out (same length, offsets unchanged) and say so.
    let body = text;
    if (text.charCodeAt(0) === 0xfeff) {
      body = ` ${text.slice(1)}`;
      this.report(0, 'warning', 'json-bom', 'byte order mark at the start of the file');
    }
    const deep = tooDeep(body);
    if (deep !== undefined) {
      this.report(deep, 'error', 'json-too-deep', `JSON nested deeper than ${MAX_DEPTH} levels`);
      this.root = undefined;
      return;
    }
    try {
      this.root = parseTree(body, errors, {
        disallowComments: true,
        allowTrailingComma: false,
        allowEmptyContent: false,
      });
    } catch (e) {
      this.report(0, 'error', 'json-syntax', `cannot parse: ${e instanceof Error ? e.message : String(e)}`);
      this.root = undefined;
      return;
    }
    // jsonc-parser reports a trailing comma twice (name expected, value expected): one diagnostic
    // per offset, and a trailing comma is reported at the comma
    const seen = new Set<number>();
    for (const e of errors) {
      let offset = e.offset;
      let message = `JSON syntax error: ${printParseErrorCode(e.error)}`;
      if (
        (e.error === ParseErrorCode.PropertyNameExpected || e.error === ParseErrorCode.ValueExpected) &&
        (body[offset] === '}' || body[offset] === ']')
      ) {
        let i = offset - 1;
        while (i >= 0 && /\s/.test(body.charAt(i))) i--;
        if (body[i] === ',') {
          offset = i;
          message = 'trailing comma (JSON does not allow one)';
        }
      }
      if (seen.has(offset)) continue;
      seen.add(offset);
      this.report(offset, 'error', 'json-syntax', message);
    }
    if (!this.root && errors.length === 0)
      this.report(0, 'error', 'json-syntax', 'empty document: expected JSON');
    if (this.root) this.checkDuplicates(this.root);
  }

  /** 1-based line and column (UTF-16 code units) of an offset. */
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

  /** Where a node starts (a property node: its key). */
  at(node: Node): SourcePos {
    return this.pos(node.offset);
  }

  /**
   * Position of character `index` of a string node's value: exact when the literal has no escapes
   * (then value index i is at offset + 1 + i), else the start of the string.
   */
  charPos(node: Node, index: number): SourcePos {
    if (node.type !== 'string') return this.at(node);
    const raw = this.text.slice(node.offset + 1, node.offset + node.length - 1);
    return raw.includes('\\') ? this.at(node) : this.pos(node.offset + 1 + index);
  }

  report(offset: number, severity: Severity, code: string, message: string): void {
    const p = this.pos(offset);
    this.diagnostics.push({ ...p, severity, code: `${this.prefix}-${code}`, message });
  }

  /** Report that `node` (found at `path`) is not of the expected JSON type. */
  wrongType(node: Node, path: string, want: string): void {
    this.report(node.offset, 'warning', 'bad-type', `${path} should be ${want}, found ${describe(node)}`);
  }

  private checkDuplicates(node: Node): void {
    const stack: Node[] = [node];
    while (stack.length > 0) {
      const n = stack.pop() as Node;
      if (n.type === 'object') {
        const seen = new Set<string>();
        for (const p of n.children ?? []) {
          const k = p.children?.[0];
          if (k?.type !== 'string') continue;
          const key = String(k.value);
          if (seen.has(key))
            this.report(
              k.offset,
              'warning',
              'duplicate-key',
              `duplicate key "${key}": the last one is used (as Go's decoder does)`,
            );
          seen.add(key);
        }
      }
      for (const c of n.children ?? []) stack.push(c);
    }
  }
}

/** Go's encoding/json stops at 10000; far less is plenty for container configuration. */
const MAX_DEPTH = 512;

/** Offset where nesting passes MAX_DEPTH (jsonc-parser recurses and would overflow the stack). */
function tooDeep(text: string): number | undefined {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let t = scanner.scan(); t !== SyntaxKind.EOF; t = scanner.scan()) {
    if (t === SyntaxKind.OpenBraceToken || t === SyntaxKind.OpenBracketToken) {
      depth += 1;
      if (depth > MAX_DEPTH) return scanner.getTokenOffset();
    } else if (t === SyntaxKind.CloseBraceToken || t === SyntaxKind.CloseBracketToken)
      depth = Math.max(0, depth - 1);
  }
  return undefined;
}

function describe(node: Node): string {
  return node.type === 'null'
    ? 'null'
    : `a${node.type === 'array' || node.type === 'object' ? 'n' : ''} ${node.type}`;
}

/** Parse `text`; syntax errors become `<prefix>-json-syntax` diagnostics (the tree is kept when it can be). */
export function parseJsonDoc(text: string, file: string, prefix: string): JsonDoc {
  return new JsonDoc(text, file, prefix);
}

/** A property of an object node: its key, the key node and the value node. */
export interface JsonProp {
  key: string;
  keyNode: Node;
  value: Node;
}

/** The properties of an object node, in order (duplicates included); [] for anything else. */
export function props(node: Node | undefined): JsonProp[] {
  if (node?.type !== 'object') return [];
  const out: JsonProp[] = [];
  for (const p of node.children ?? []) {
    const [k, v] = p.children ?? [];
    if (k?.type === 'string' && v) out.push({ key: String(k.value), keyNode: k, value: v });
  }
  return out;
}

/** Value node of `key` in an object node (the last one when the key is duplicated). */
export function child(node: Node | undefined, key: string): Node | undefined {
  let found: Node | undefined;
  for (const p of props(node)) if (p.key === key) found = p.value;
  return found;
}

/** The key node of `key` in an object node (the last one). */
export function keyNode(node: Node | undefined, key: string): Node | undefined {
  let found: Node | undefined;
  for (const p of props(node)) if (p.key === key) found = p.keyNode;
  return found;
}

/** Value node at a path of keys. */
export function childAt(node: Node | undefined, ...keys: string[]): Node | undefined {
  let n = node;
  for (const k of keys) n = child(n, k);
  return n;
}

/** Items of an array node; [] for anything else (null included). */
export function items(node: Node | undefined): Node[] {
  return node?.type === 'array' ? (node.children ?? []) : [];
}

export function isString(node: Node | undefined): node is Node & { value: string } {
  return node?.type === 'string';
}

export function isBool(node: Node | undefined): node is Node & { value: boolean } {
  return node?.type === 'boolean';
}

/** A string value with its position, or undefined (reporting a wrong type as a warning). */
export function stringAt(doc: JsonDoc, node: Node | undefined, path: string): At<string> | undefined {
  if (!node || node.type === 'null') return undefined;
  if (node.type !== 'string') {
    doc.wrongType(node, path, 'a string');
    return undefined;
  }
  return { value: String(node.value), pos: doc.at(node) };
}

/** A boolean value with its position, or undefined (reporting a wrong type as a warning). */
export function boolAt(doc: JsonDoc, node: Node | undefined, path: string): At<boolean> | undefined {
  if (!node || node.type === 'null') return undefined;
  if (node.type !== 'boolean') {
    doc.wrongType(node, path, 'true or false');
    return undefined;
  }
  return { value: node.value === true, pos: doc.at(node) };
}

/** An integer value with its position, or undefined (reporting a wrong type as a warning). */
export function intAt(doc: JsonDoc, node: Node | undefined, path: string): At<number> | undefined {
  if (!node || node.type === 'null') return undefined;
  if (node.type !== 'number' || !Number.isInteger(node.value)) {
    doc.wrongType(node, path, 'an integer');
    return undefined;
  }
  return { value: Number(node.value), pos: doc.at(node) };
}

/** The string items of an array node (other items reported), each with its position. */
export function stringItems(
  doc: JsonDoc,
  node: Node | undefined,
  path: string,
): Array<At<string> & { node: Node }> {
  if (!node || node.type === 'null') return [];
  if (node.type !== 'array') {
    doc.wrongType(node, path, 'an array of strings');
    return [];
  }
  const out: Array<At<string> & { node: Node }> = [];
  for (const [i, it] of items(node).entries()) {
    if (it.type === 'string') out.push({ value: String(it.value), pos: doc.at(it), node: it });
    else doc.wrongType(it, `${path}[${i}]`, 'a string');
  }
  return out;
}
