/**
 * Variables: collect `@{VAR} = ...` / `+=` and `${BOOL} = ...` definitions from a policy and the
 * files it includes (in include order, as the real parser's symbol table sees them), and expand
 * `@{VAR}` references into every value they stand for (parser_variable.c: a reference to a set
 * variable multiplies the rule; values may themselves hold references).
 */
import type { Diagnostic } from '../errors.js';
import type { BlockItem, PolicyFile, Span, TopItem } from './ast.js';
import type { Resolution } from './include.js';

export interface Variables {
  sets: Map<string, string[]>;
  booleans: Map<string, boolean>;
}

/**
 * Debian 12 (apparmor 3.0.8) values of the standard tunables, as /etc/apparmor.d/tunables/global
 * defines them. For code that expands paths of a profile whose include directory is not at hand;
 * never used to decide validity (apparmor_parser fails on a variable nothing defines).
 * A test checks these against /etc/apparmor.d/tunables when it exists.
 */
export const DEBIAN12_TUNABLES: Record<string, string[]> = {
  HOME: ['@{HOMEDIRS}/*/', '/root/'],
  HOMEDIRS: ['/home/'],
  multiarch: ['*-linux-gnu*'],
  PROC: ['/proc/'],
  pid: [
    '{[1-9],[1-9][0-9],[1-9][0-9][0-9],[1-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9][0-9],[1-4][0-9][0-9][0-9][0-9][0-9][0-9]}',
  ],
  tid: ['@{pid}'],
  pids: ['@{pid}'],
  uid: [
    '{[0-9],[1-9][0-9],[1-9][0-9][0-9],[1-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9],[1-4][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]}',
  ],
  uids: ['@{uid}'],
  sys: ['/sys/'],
  XDG_DESKTOP_DIR: ['Desktop'],
  XDG_DOWNLOAD_DIR: ['Downloads'],
  XDG_TEMPLATES_DIR: ['Templates'],
  XDG_PUBLICSHARE_DIR: ['Public'],
  XDG_DOCUMENTS_DIR: ['Documents'],
  XDG_MUSIC_DIR: ['Music'],
  XDG_PICTURES_DIR: ['Pictures'],
  XDG_VIDEOS_DIR: ['Videos'],
  flatpak_exports_root: ['{flatpak/exports,flatpak/{app,runtime}/*/*/*/*/export}'],
  system_share_dirs: ['/{usr,usr/local,var/lib/@{flatpak_exports_root}}/share'],
  user_share_dirs: ['@{HOME}/.local{,/share/@{flatpak_exports_root}}/share'],
  etc_ro: ['/etc/', '/usr/etc/'],
  etc_rw: ['/etc/'],
  run: ['/run/', '/var/run/'],
};

export interface CollectOptions {
  /** Fill variables nothing defined from DEBIAN12_TUNABLES (for evaluation, not validation). */
  defaults?: boolean;
}

function diagAt(span: Span, code: string, message: string): Diagnostic {
  return { file: span.file, line: span.line, column: span.column, severity: 'error', code, message };
}

/** Walk top-level items of the file and of its top-level includes, in order. */
export function collectVariables(
  ast: PolicyFile,
  resolution: Resolution,
  opts: CollectOptions = {},
): { vars: Variables; diagnostics: Diagnostic[] } {
  const vars: Variables = { sets: new Map(), booleans: new Map() };
  const diagnostics: Diagnostic[] = [];
  const visit = (items: (TopItem | BlockItem)[]) => {
    for (const it of items) {
      if (it.kind === 'include') {
        for (const f of resolution.includes.get(it)?.files ?? [])
          if (f.ast.context === 'top') visit(f.ast.items);
      } else if (it.kind === 'variable') {
        const cur = vars.sets.get(it.name);
        if (it.op === '=') {
          if (cur)
            diagnostics.push(
              diagAt(
                it.span,
                'apparmor-variable-redefined',
                `variable @{${it.name}} was previously declared`,
              ),
            );
          else vars.sets.set(it.name, [...it.values]);
        } else if (!cur)
          diagnostics.push(
            diagAt(
              it.span,
              'apparmor-undefined-variable',
              `variable @{${it.name}} is extended with += but was never declared`,
            ),
          );
        else cur.push(...it.values);
      } else if (it.kind === 'boolean') {
        if (vars.booleans.has(it.name))
          diagnostics.push(
            diagAt(it.span, 'apparmor-variable-redefined', `variable \${${it.name}} was previously declared`),
          );
        else vars.booleans.set(it.name, it.value.toLowerCase() === 'true');
      }
    }
  };
  if (ast.context === 'top') visit(ast.items);
  if (opts.defaults)
    for (const [k, v] of Object.entries(DEBIAN12_TUNABLES)) if (!vars.sets.has(k)) vars.sets.set(k, [...v]);
  return { vars, diagnostics };
}

const REF = /@\{([A-Za-z][A-Za-z0-9_]*)\}/;

/** Names referenced as @{NAME} in a value. */
export function variableRefs(value: string): string[] {
  return [...value.matchAll(new RegExp(REF.source, 'g'))].map((m) => m[1] as string);
}

/**
 * Every string `value` stands for once @{...} references are replaced, or the first undefined
 * variable. Expansion is recursive; a variable that (indirectly) refers to itself is reported as
 * undefined rather than looping.
 */
export function expandVariables(
  value: string,
  sets: Map<string, string[]>,
  limit = 100_000,
): { values: string[] } | { undefinedVar: string } {
  const go = (v: string, seen: Set<string>): string[] | string => {
    const m = REF.exec(v);
    if (!m) return [v];
    const name = m[1] as string;
    const vals = sets.get(name);
    if (!vals || seen.has(name)) return name;
    const before = v.slice(0, m.index);
    const after = v.slice(m.index + m[0].length);
    const out: string[] = [];
    for (const val of vals) {
      const inner = go(val, new Set([...seen, name]));
      if (typeof inner === 'string') return inner;
      for (const iv of inner) {
        const rest = go(before + iv + after, seen);
        if (typeof rest === 'string') return rest;
        out.push(...rest);
        if (out.length > limit) return out;
      }
    }
    return out;
  };
  const r = go(value, new Set());
  return typeof r === 'string' ? { undefinedVar: r } : { values: r };
}
