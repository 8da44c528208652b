/**
 * Safe, position-keeping YAML reading shared by the Kubernetes and compose readers.
 *
 * Untrusted input is never turned into plain JS objects: readers walk the YAML AST through the
 * helpers below, so a `__proto__` or `constructor` key is just a key. Guards, each a diagnostic
 * instead of a crash or a hang:
 * - a document nested deeper than {@link YAML_LIMITS.maxDepth} is dropped (`yaml-too-deep`) while
 *   it is parsed: the `yaml` parser and composer recurse once per level, and near stack exhaustion
 *   V8 can abort the whole process (a fatal "RegExpCompiler Allocation failed") instead of throwing;
 * - alias expansion past `maxAliasCount` (billion laughs) drops the document (`yaml-alias-limit`);
 * - duplicate keys are found in one pass with a Set (the library's `uniqueKeys` check is quadratic
 *   in the number of keys of a mapping: 40 000 keys take seconds) and the last one wins, as in the
 *   Go decoders Kubernetes uses;
 * - U+FFFD left by a lossy UTF-8 decode is reported where it sits (`invalid-utf8`).
 *
 * `version: '1.1'` reads as Kubernetes does (sigs.k8s.io/yaml, go-yaml v2): unquoted yes/no/on/off
 * are booleans and 0755 is octal. `'1.2'` reads as compose does (go-yaml v3). Both accept `<<`
 * merge keys.
 */
import {
  type Alias,
  Composer,
  CST,
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  type ParsedNode,
  Parser,
  type Scalar,
  type Tags,
  type YAMLMap,
} from 'yaml';
import type { Diagnostic, Severity, SourcePos } from '../errors.js';
import type { At } from '../model/workload.js';

export type YNode = ParsedNode;

/** Characters the `yaml` lexer uses as in-band markers; a source must not contain them. */
const LEXER_CONTROL = new RegExp(`[${CST.DOCUMENT}${CST.FLOW_END}${CST.SCALAR}]`, 'g');
export type YMap = YAMLMap.Parsed;

export const YAML_LIMITS = {
  /** Collection nesting accepted; real manifests stay far below (a CRD schema reaches ~60). */
  maxDepth: 128,
  /** As the `yaml` library counts it: uses of an anchor times the aliases inside it. */
  maxAliasCount: 100,
  /** Merge-key (`<<`) chains followed. */
  maxMergeDepth: 8,
  /** `invalid-utf8` diagnostics per file. */
  maxUtf8Diagnostics: 10,
} as const;

export interface YamlOptions {
  /** Prefix of value diagnostics: `k8s` gives `k8s-type`, `k8s-range`. */
  codePrefix: string;
  /** `'1.1'`: Kubernetes (go-yaml v2 semantics); `'1.2'`: compose (go-yaml v3). */
  version: '1.1' | '1.2';
  /**
   * Compose semantics: a string may hold `${VAR}` (reported, not guessed) and strings are cast
   * where compose casts them (`"yes"`/`"on"`/`"true"` booleans, `"80"` integers).
   */
  interpolation?: boolean;
}

export interface YamlDocument {
  /** 0-based index in the stream. */
  index: number;
  /** `undefined` for an empty document (`---` alone, comments only). */
  contents: YNode | undefined;
  pos: SourcePos;
}

type Entry = { key: string; keyNode: YNode; value: YNode | undefined };

const COMPOSE_TRUE = /^(y|yes|true|on)$/i;
const COMPOSE_FALSE = /^(n|no|false|off)$/i;
const VARIABLE = /\$\{?[A-Za-z_]/;

/** Scalars that are timestamps/sexagesimal only in the YAML 1.1 spec, not in go-yaml: keep them strings. */
function k8sTags(tags: Tags): Tags {
  return tags.filter(
    (t) => typeof t === 'string' || (t.format !== 'TIME' && t.tag !== 'tag:yaml.org,2002:timestamp'),
  );
}

/** Collection nesting of a CST document, computed without recursion; stops counting past `limit`. */
export function cstDepth(token: CST.Token, limit: number): number {
  const stack: Array<[CST.Token, number]> = [[token, 0]];
  let max = 0;
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [t, d] = top;
    if (d > max) {
      max = d;
      if (max > limit) return max;
    }
    if (t.type === 'document') {
      if (t.value) stack.push([t.value, d]);
    } else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      for (const it of t.items) {
        if (it.key) stack.push([it.key, d + 1]);
        if (it.value) stack.push([it.value, d + 1]);
      }
    }
  }
  return max;
}

function describe(n: YNode | undefined): string {
  if (!n) return 'nothing';
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a list';
  if (isAlias(n)) return `alias *${n.source}`;
  const v = n.value;
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'bigint') return `integer ${v}`;
  if (typeof v === 'number') return `number ${n.source ?? v}`;
  if (typeof v === 'boolean') return `boolean ${v}`;
  return typeof v;
}

/** One YAML file, parsed once; readers ask it for typed values with positions. */
export class YamlFile {
  readonly diagnostics: Diagnostic[] = [];
  readonly docs: YamlDocument[] = [];
  private readonly lc = new LineCounter();
  private readonly aliases = new Map<Alias.Parsed, YNode>();
  /** Diagnostics found before the line counter exists: [offset, code, message]. */
  private readonly pending: Array<[number, string, string]> = [];

  constructor(
    readonly text: string,
    readonly file: string,
    readonly opts: YamlOptions,
  ) {
    this.parse();
    this.checkUtf8();
  }

  // ---------------------------------------------------------------- parsing

  private parse(): void {
    const composer = new Composer({
      version: this.opts.version,
      ...(this.opts.version === '1.1' ? { schema: 'yaml-1.1', customTags: k8sTags } : { schema: 'core' }),
      merge: true,
      intAsBigInt: true,
      // Duplicates are found in index() in linear time; see the file comment.
      uniqueKeys: false,
      prettyErrors: false,
      // maxAliasCount is a toJS option: applied in aliasBudgetOk().
    });
    const docs: Array<Document.Parsed> = [];
    let source = this.text;
    const control = source.search(LEXER_CONTROL);
    if (control >= 0) {
      // Not allowed in YAML, and the lexer would take them for its own markers. Same length: positions hold.
      this.pending.push([
        control,
        'yaml-control-char',
        'control character (U+0002, U+0018 or U+001F) replaced',
      ]);
      source = source.replace(LEXER_CONTROL, '?');
    }
    this.lc.addNewLine(0);
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) this.lc.addNewLine(i + 1);

    let skippedDoc = false;
    const feed = (token: CST.Token) => {
      if (token.type === 'document' && cstDepth(token, YAML_LIMITS.maxDepth) > YAML_LIMITS.maxDepth) {
        this.tooDeep(token.value?.offset ?? token.offset);
        skippedDoc = true;
        return;
      }
      if (skippedDoc && token.type === 'doc-end') {
        skippedDoc = false;
        return;
      }
      if (token.type === 'document') skippedDoc = false;
      for (const d of composer.next(token)) docs.push(d);
    };

    // The CST parser recurses once per open collection when it closes them: past ~2 000 levels
    // the stack overflows, and near that point V8 may abort the process instead of throwing. So
    // lexemes are fed one by one and a document whose parser stack grows past the limit is
    // dropped (its parser discarded, never unwound) and parsing resumes at the next document.
    let parser = new Parser();
    let offset = 0;
    let afterScalarMark = false;
    let refused = -1;
    for (const lexeme of new Lexer().lex(source)) {
      const isMark = lexeme === CST.SCALAR || lexeme === CST.DOCUMENT || lexeme === CST.FLOW_END;
      const boundary = !afterScalarMark && (lexeme === '---' || lexeme === '...');
      afterScalarMark = lexeme === CST.SCALAR;
      if (refused >= 0) {
        if (!boundary) {
          offset += isMark ? 0 : lexeme.length;
          continue;
        }
        this.tooDeep(refused);
        refused = -1;
        parser = new Parser();
        parser.offset = offset;
        if (lexeme === '...') {
          offset += lexeme.length;
          parser.offset = offset;
          continue;
        }
      }
      for (const token of parser.next(lexeme)) feed(token);
      offset = parser.offset;
      if (parser.stack.length > YAML_LIMITS.maxDepth + 2) {
        const [doc, top] = parser.stack;
        refused = (top ?? doc)?.offset ?? offset;
      }
    }
    if (refused >= 0) this.tooDeep(refused);
    else for (const token of parser.end()) feed(token);
    for (const d of composer.end()) docs.push(d);
    for (const [at, code, message] of this.pending) this.report(this.posAtOffset(at), 'error', code, message);
    for (const e of composer.streamInfo().errors) this.yamlError(e.pos[0], e.message);

    docs.forEach((doc, index) => {
      const contents = (doc.contents ?? undefined) as YNode | undefined;
      const pos = this.posAtOffset(contents?.range?.[0] ?? doc.range[0]);
      const errors = doc.errors;
      for (const e of errors.slice(0, 10)) this.yamlError(e.pos[0], e.message);
      for (const w of doc.warnings.slice(0, 10))
        this.report(this.posAtOffset(w.pos[0]), 'warning', 'yaml-warning', firstLine(w.message));
      if (errors.length) return;
      const empty = !contents || (isScalar(contents) && contents.value === null && !contents.anchor);
      if (empty) return;
      const { aliases, ok } = this.index(contents);
      if (!ok) return;
      if (aliases && !this.aliasBudgetOk(doc, pos, index)) return;
      this.docs.push({ index, contents, pos });
    });
  }

  private tooDeep(offset: number): void {
    this.report(
      this.posAtOffset(offset),
      'error',
      'yaml-too-deep',
      `document nests collections more than ${YAML_LIMITS.maxDepth} levels deep; document skipped`,
    );
  }

  private yamlError(offset: number, message: string): void {
    this.report(this.posAtOffset(offset), 'error', 'yaml-syntax', firstLine(message));
  }

  /**
   * One iterative pre-order pass over a document: records anchors and resolves each alias to the
   * last anchor of that name before it (YAML semantics), reports duplicate keys.
   */
  private index(root: YNode): { aliases: boolean; ok: boolean } {
    const anchors = new Map<string, YNode>();
    const stack: unknown[] = [root];
    let aliases = false;
    let ok = true;
    while (stack.length) {
      const n = stack.pop();
      if (!n || typeof n !== 'object') continue;
      if (isAlias(n)) {
        aliases = true;
        const target = anchors.get(n.source);
        if (target) this.aliases.set(n as Alias.Parsed, target);
        else {
          ok = false;
          this.report(
            n as YNode,
            'error',
            'yaml-alias',
            `alias *${n.source} has no anchor &${n.source} before it`,
          );
        }
        continue;
      }
      const node = n as YNode;
      if ('anchor' in node && node.anchor) anchors.set(node.anchor, node);
      if (isMap(node)) {
        const seen = new Map<string, YNode>();
        for (const p of node.items) {
          const key = p.key as YNode | null;
          if (key && isScalar(key) && typeof key.value !== 'symbol') {
            const k = this.scalarText(key);
            const first = seen.get(k);
            if (first)
              this.report(
                key,
                'warning',
                'yaml-duplicate-key',
                `duplicate key ${JSON.stringify(k)} (first at line ${this.posOf(first).line}): the last one is used`,
              );
            else seen.set(k, key);
          }
        }
        for (let i = node.items.length - 1; i >= 0; i--) {
          const p = node.items[i];
          stack.push(p?.value, p?.key);
        }
      } else if (isSeq(node)) {
        for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
      }
    }
    return { aliases, ok };
  }

  /** The `yaml` library's own alias-expansion accounting (the billion-laughs guard). */
  private aliasBudgetOk(doc: Document.Parsed, pos: SourcePos, index: number): boolean {
    try {
      doc.toJS({ mapAsMap: true, maxAliasCount: YAML_LIMITS.maxAliasCount });
      return true;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/alias count/i.test(msg))
        this.report(
          pos,
          'error',
          'yaml-alias-limit',
          `document ${index + 1}: aliases expand past the limit of ${YAML_LIMITS.maxAliasCount} (a YAML alias bomb?); document skipped`,
        );
      else if (/call stack/i.test(msg))
        this.report(
          pos,
          'error',
          'yaml-too-deep',
          `document ${index + 1}: aliases nest too deep; document skipped`,
        );
      else
        this.report(pos, 'error', 'yaml-alias', `document ${index + 1}: ${firstLine(msg)}; document skipped`);
      return false;
    }
  }

  private checkUtf8(): void {
    let count = 0;
    let lastLine = 0;
    for (let i = this.text.indexOf('\uFFFD'); i >= 0; i = this.text.indexOf('\uFFFD', i + 1)) {
      const pos = this.posAtOffset(i);
      if (pos.line === lastLine) continue;
      lastLine = pos.line;
      if (++count > YAML_LIMITS.maxUtf8Diagnostics) break;
      this.report(
        pos,
        'warning',
        'invalid-utf8',
        'invalid UTF-8 here (decoded as U+FFFD): the text may not be what the tools that read this file see',
      );
    }
  }

  // ---------------------------------------------------------------- positions & diagnostics

  posAtOffset(offset: number): SourcePos {
    const { line, col } = this.lc.linePos(offset);
    return { file: this.file, line: Math.max(line, 1), column: Math.max(col, 1) };
  }

  /** Where a node starts (an alias: where the alias is written). */
  posOf(node: YNode | undefined | null): SourcePos {
    return this.posAtOffset(node?.range?.[0] ?? 0);
  }

  /**
   * Position of character `index` of a one-line scalar's value, when the source spells the value
   * literally (plain, or quoted without escapes); else the scalar's start.
   */
  posIn(node: YNode, index: number): SourcePos {
    const r = node.range;
    if (!r || !isScalar(node) || typeof node.value !== 'string' || index <= 0) return this.posOf(node);
    const raw = this.text.slice(r[0], r[1]);
    const v = node.value;
    if (raw.includes('\n')) return this.posOf(node);
    if (raw === v) return this.posAtOffset(r[0] + index);
    if (raw === `"${v}"` || raw === `'${v}'`) return this.posAtOffset(r[0] + 1 + index);
    return this.posOf(node);
  }

  report(at: SourcePos | YNode, severity: Severity, code: string, message: string): void {
    const pos = 'file' in at && 'line' in at ? (at as SourcePos) : this.posOf(at as YNode);
    this.diagnostics.push({ ...pos, severity, code, message });
  }

  private typeError(node: YNode, what: string, expected: string): undefined {
    this.report(
      node,
      'error',
      `${this.opts.codePrefix}-type`,
      `${what}: expected ${expected}, got ${describe(node)}`,
    );
    return undefined;
  }

  // ---------------------------------------------------------------- structure

  /** Follow aliases to the node they name. */
  resolve(node: unknown): YNode | undefined {
    let n = node as YNode | null | undefined;
    for (let i = 0; n && isAlias(n) && i < 16; i++) n = this.aliases.get(n as Alias.Parsed);
    return n && !isAlias(n) ? n : undefined;
  }

  /** `null`, `~`, or an empty value: the setting is not given. */
  isNull(node: unknown): boolean {
    const n = this.resolve(node);
    return !n || (isScalar(n) && (n.value === null || n.value === undefined));
  }

  private scalarText(n: Scalar.Parsed): string {
    return typeof n.value === 'string' ? n.value : (n.source ?? String(n.value));
  }

  /** A mapping key as text (`undefined` for merge keys and collection keys). */
  keyText(node: unknown): string | undefined {
    const n = this.resolve(node);
    if (!n || !isScalar(n) || typeof n.value === 'symbol') return undefined;
    return this.scalarText(n);
  }

  private isMergeKey(node: unknown): boolean {
    return !!node && isScalar(node) && typeof node.value === 'symbol';
  }

  /** The node as a mapping; a diagnostic when it is something else (nothing when null). */
  map(node: unknown, what: string): YMap | undefined {
    const n = this.resolve(node);
    if (!n || this.isNull(n)) return undefined;
    if (isMap(n)) return n;
    return this.typeError(n, what, 'a mapping');
  }

  /** The node's items, aliases resolved; a diagnostic when it is not a list (nothing when null). */
  seq(node: unknown, what: string): YNode[] | undefined {
    const n = this.resolve(node);
    if (!n || this.isNull(n)) return undefined;
    if (!isSeq(n)) return this.typeError(n, what, 'a list');
    const out: YNode[] = [];
    for (const it of n.items) {
      const r = this.resolve(it);
      if (r) out.push(r);
    }
    return out;
  }

  /** Value of `key` in a mapping (merge keys followed; explicit keys win; the last duplicate wins). */
  get(node: unknown, key: string): YNode | undefined {
    const m = this.resolve(node);
    return m && isMap(m) ? this.lookup(m, key, 0) : undefined;
  }

  private lookup(m: YMap, key: string, depth: number): YNode | undefined {
    let found: YNode | undefined;
    let hit = false;
    const merges: unknown[] = [];
    for (const p of m.items) {
      if (this.isMergeKey(p.key)) merges.push(p.value);
      else if (this.keyText(p.key) === key) {
        hit = true;
        found = this.resolve(p.value) ?? (p.value as YNode | undefined);
      }
    }
    if (hit) return found;
    if (depth >= YAML_LIMITS.maxMergeDepth) return undefined;
    for (const src of merges)
      for (const s of this.mergeSources(src)) {
        const r = this.lookup(s, key, depth + 1);
        if (r !== undefined) return r;
      }
    return undefined;
  }

  private mergeSources(value: unknown): YMap[] {
    const v = this.resolve(value);
    if (!v) return [];
    if (isMap(v)) return [v];
    if (isSeq(v)) return v.items.map((i) => this.resolve(i)).filter((i): i is YMap => !!i && isMap(i));
    return [];
  }

  /** Entries of a mapping in order, merge keys applied, the last duplicate winning. */
  entries(node: unknown): Entry[] {
    const m = this.resolve(node);
    return m && isMap(m) ? [...this.collect(m, 0).values()] : [];
  }

  private collect(m: YMap, depth: number): Map<string, Entry> {
    const own = new Map<string, Entry>();
    const merges: unknown[] = [];
    for (const p of m.items) {
      if (this.isMergeKey(p.key)) {
        merges.push(p.value);
        continue;
      }
      const key = this.keyText(p.key);
      if (key === undefined) continue;
      own.set(key, { key, keyNode: p.key as YNode, value: this.resolve(p.value) });
    }
    if (depth < YAML_LIMITS.maxMergeDepth)
      for (const src of merges)
        for (const s of this.mergeSources(src))
          for (const [k, e] of this.collect(s, depth + 1)) if (!own.has(k)) own.set(k, e);
    return own;
  }

  // ---------------------------------------------------------------- typed values

  private at<T>(value: T, node: YNode): At<T> {
    return { value, pos: this.posOf(node) };
  }

  /** Compose: a `${VAR}` value is reported (info) and left unset. */
  private variable(n: YNode, what: string): boolean {
    if (!this.opts.interpolation || !isScalar(n) || typeof n.value !== 'string' || !VARIABLE.test(n.value))
      return false;
    this.report(
      n,
      'info',
      `${this.opts.codePrefix}-variable`,
      `${what}: ${JSON.stringify(n.value)} depends on an environment variable; not evaluated`,
    );
    return true;
  }

  /** A string; with `coerce`, a number or boolean is taken as written (`user: 1000`). */
  str(node: unknown, what: string, opts: { coerce?: boolean } = {}): At<string> | undefined {
    const n = this.resolve(node);
    if (!n || this.isNull(n)) return undefined;
    if (isScalar(n)) {
      if (typeof n.value === 'string') return this.at(n.value, n);
      if (opts.coerce && ['number', 'bigint', 'boolean'].includes(typeof n.value))
        return this.at(this.scalarText(n), n);
    }
    return this.typeError(n, what, 'a string');
  }

  bool(node: unknown, what: string): At<boolean> | undefined {
    const n = this.resolve(node);
    if (!n || this.isNull(n)) return undefined;
    if (isScalar(n)) {
      if (typeof n.value === 'boolean') return this.at(n.value, n);
      if (this.opts.interpolation && typeof n.value === 'string') {
        if (COMPOSE_TRUE.test(n.value)) return this.at(true, n);
        if (COMPOSE_FALSE.test(n.value)) return this.at(false, n);
        if (this.variable(n, what)) return undefined;
      }
    }
    return this.typeError(n, what, 'a boolean');
  }

  /** An integer; beyond ±2^53 it is reported rather than rounded. */
  int(node: unknown, what: string): At<number> | undefined {
    const n = this.resolve(node);
    if (!n || this.isNull(n)) return undefined;
    if (isScalar(n)) {
      let v: bigint | undefined;
      if (typeof n.value === 'bigint') v = n.value;
      else if (this.opts.interpolation && typeof n.value === 'string') {
        if (/^[-+]?\d+$/.test(n.value.trim())) v = BigInt(n.value.trim());
        else if (this.variable(n, what)) return undefined;
      }
      if (v !== undefined) {
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
          this.report(
            n,
            'error',
            `${this.opts.codePrefix}-range`,
            `${what}: ${v} is too large to read exactly (beyond 2^53)`,
          );
          return undefined;
        }
        return this.at(Number(v), n);
      }
    }
    return this.typeError(n, what, 'an integer');
  }
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0] ?? s;
}

/** Diagnostics in file order (stable for equal positions). */
export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds
    .map((d, i) => [d, i] as const)
    .sort(([a, i], [b, j]) => a.line - b.line || a.column - b.column || i - j)
    .map(([d]) => d);
}

/** Run a reader body; a bug in it becomes one diagnostic instead of an exception. */
export function guarded<T extends { diagnostics: Diagnostic[] }>(
  file: string,
  empty: () => T,
  body: () => T,
): T {
  try {
    return body();
  } catch (e) {
    const r = empty();
    r.diagnostics.push({
      file,
      line: 1,
      column: 1,
      severity: 'error',
      code: 'reader-internal',
      message: `internal error while reading: ${e instanceof Error ? e.message : String(e)} (this is a bug in breakwater; please report it)`,
    });
    return r;
  }
}
