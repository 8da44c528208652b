/**
 * Include resolution with the semantics of AppArmor 3.0.8 (parser_lex.l include_filename(),
 * parser_include.c search_path(), libapparmor _aa_is_blacklisted()):
 * - `include <x>` searches the include dirs in order (default /etc/apparmor.d) for `dir/x`;
 *   `include "x"` opens x as given (relative to the working directory, not to the including file).
 * - A directory includes every regular file in it, skipping dot files, README and packaging
 *   leftovers (.dpkg-new, .rpmsave, ~ ...); sub-directories are not descended.
 * - A file already included in the current scope is skipped silently. The top level is one scope
 *   and every profile body starts a fresh one (parser_yacc.y saves and restores g_includecache
 *   around profile_base), so `include <abstractions/base>` twice in a profile is harmless.
 * - `include if exists` of a missing file is nothing; otherwise missing is an error.
 * The included text is parsed in the grammatical context of the include: top level (preamble or
 * after it) or inside a rule block.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Diagnostic } from '../errors.js';
import type { AbiNode, BlockItem, IncludeNode, PolicyFile, TopItem } from './ast.js';
import { parseProfileText } from './parser.js';

export const DEFAULT_INCLUDE_DIRS = ['/etc/apparmor.d'];
export const DEFAULT_MAX_INCLUDE_DEPTH = 32;

export interface ResolveOptions {
  includeDirs?: string[];
  maxDepth?: number;
  /** Base for `include "relative"` (default: process.cwd(), like apparmor_parser). */
  cwd?: string;
}

export interface IncludedFile {
  path: string;
  ast: PolicyFile;
}

export interface ResolvedInclude {
  node: IncludeNode;
  /** Resolved location (a file, or a directory whose files are in `files`). */
  fullPath?: string;
  files: IncludedFile[];
  /** Skipped because the same file was already included in this scope. */
  duplicate?: boolean;
}

export interface Resolution {
  includes: Map<IncludeNode, ResolvedInclude>;
  diagnostics: Diagnostic[];
}

type Ctx = 'top' | 'top-after' | 'rules';

const IGNORED_SUFFIXES = [
  '.dpkg-new',
  '.dpkg-old',
  '.dpkg-dist',
  '.dpkg-bak',
  '.dpkg-remove',
  '.pacsave',
  '.pacnew',
  '.rpmnew',
  '.rpmsave',
  '.orig',
  '.rej',
  '~',
];

export function isIgnoredName(name: string): boolean {
  return !name || name.startsWith('.') || name === 'README' || IGNORED_SUFFIXES.some((s) => name.endsWith(s));
}

function kindOf(path: string): 'file' | 'dir' | undefined {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return 'dir';
    return 'file';
  } catch {
    return undefined;
  }
}

/** Where `<name>` / `"name"` would be opened from, or undefined. */
export function locateInclude(
  name: string,
  search: boolean,
  opts: ResolveOptions,
): { path: string; kind: 'file' | 'dir' } | undefined {
  if (search) {
    for (const dir of opts.includeDirs ?? DEFAULT_INCLUDE_DIRS) {
      const p = `${dir}/${name}`;
      const k = kindOf(p);
      if (k) return { path: p, kind: k };
    }
    return undefined;
  }
  const p = isAbsolute(name) ? name : resolve(opts.cwd ?? process.cwd(), name);
  const k = kindOf(p);
  return k ? { path: p, kind: k } : undefined;
}

export function resolveIncludes(ast: PolicyFile, opts: ResolveOptions = {}): Resolution {
  const res: Resolution = { includes: new Map(), diagnostics: [] };
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_INCLUDE_DEPTH;
  const stack: string[] = [resolve(ast.file)];

  const diag = (node: { span: IncludeNode['span'] }, code: string, message: string) =>
    res.diagnostics.push({
      file: node.span.file,
      line: node.span.line,
      column: node.span.column,
      severity: 'error',
      code,
      message,
    });

  const doInclude = (node: IncludeNode, ctx: Ctx, scope: Set<string>, depth: number): void => {
    const r: ResolvedInclude = { node, files: [] };
    res.includes.set(node, r);
    const found = locateInclude(node.path, node.search, opts);
    if (!found) {
      if (!node.ifExists)
        diag(
          node,
          'apparmor-include-not-found',
          `could not open include ${node.search ? `<${node.path}>` : `"${node.path}"`}` +
            (node.search ? ` in ${(opts.includeDirs ?? DEFAULT_INCLUDE_DIRS).join(', ')}` : ''),
        );
      return;
    }
    r.fullPath = found.path;
    if (depth >= maxDepth) {
      diag(node, 'apparmor-include-depth', `includes nested deeper than ${maxDepth} levels at ${node.path}`);
      return;
    }
    let paths: string[];
    if (found.kind === 'dir') {
      let names: string[];
      try {
        names = readdirSync(found.path).sort();
      } catch (e) {
        diag(
          node,
          'apparmor-include-not-found',
          `could not read include directory ${found.path}: ${String(e)}`,
        );
        return;
      }
      paths = names
        .filter((n) => !isIgnoredName(n))
        .map((n) => join(found.path, n))
        .filter((p) => kindOf(p) === 'file');
    } else {
      if (scope.has(found.path)) {
        r.duplicate = true;
        return;
      }
      paths = [found.path];
    }
    for (const p of paths) {
      if (scope.has(p)) continue;
      const abs = resolve(p);
      if (stack.includes(abs)) {
        diag(node, 'apparmor-include-cycle', `include cycle: ${[...stack, abs].join(' -> ')}`);
        continue;
      }
      scope.add(p);
      let text: string;
      try {
        text = readFileSync(p, 'utf8');
      } catch (e) {
        diag(node, 'apparmor-include-not-found', `could not read ${p}: ${String(e)}`);
        continue;
      }
      const parsed = parseProfileText(text, p, {
        context: ctx === 'rules' ? 'rules' : 'top',
        afterPreamble: ctx === 'top-after',
      });
      res.diagnostics.push(...parsed.diagnostics);
      if (!parsed.ast) continue;
      r.files.push({ path: p, ast: parsed.ast });
      stack.push(abs);
      walk(parsed.ast.items, ctx, scope, depth + 1);
      stack.pop();
    }
  };

  const checkAbi = (node: AbiNode) => {
    if (!locateInclude(node.path, node.search, opts))
      diag(
        node,
        'apparmor-abi-not-found',
        `could not open abi ${node.search ? `<${node.path}>` : `"${node.path}"`}`,
      );
  };

  const walk = (items: (TopItem | BlockItem)[], ctx: Ctx, scope: Set<string>, depth: number): Ctx => {
    let c = ctx;
    for (const it of items) {
      switch (it.kind) {
        case 'include':
          doInclude(it, c, scope, depth);
          break;
        case 'abi':
          checkAbi(it);
          break;
        case 'profile':
          if (c === 'top') c = 'top-after';
          walk(it.items, 'rules', new Set(), depth);
          break;
        case 'block':
          walk(it.items, 'rules', scope, depth);
          break;
        case 'if': {
          let n: typeof it | undefined = it;
          while (n) {
            walk(n.then, 'rules', scope, depth);
            if (Array.isArray(n.else)) {
              walk(n.else, 'rules', scope, depth);
              n = undefined;
            } else n = n.else;
          }
          break;
        }
        default:
          break;
      }
    }
    return c;
  };

  walk(ast.items, ast.context === 'rules' ? 'rules' : 'top', new Set(), 0);
  return res;
}
