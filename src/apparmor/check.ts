/**
 * checkProfile: our own verdict on whether apparmor_parser (AppArmor 3.0.8, Debian 12) would
 * accept a policy file — parse, follow includes, define variables, then the post-parse checks
 * the real parser makes: every @{VAR} a rule uses must be defined, `if` conditions must name set
 * booleans, and rules merged on the same path must not carry different exec transitions
 * (parser_merge.c "has merged rule with conflicting x modifiers").
 */
import type { Diagnostic } from '../errors.js';
import type { BlockItem, IfNode, PolicyFile, ProfileNode, Span, TopItem } from './ast.js';
import { type ResolveOptions, resolveIncludes } from './include.js';
import { parseProfileText } from './parser.js';
import { collectVariables, expandVariables, type Variables } from './variables.js';

export interface CheckOptions extends ResolveOptions {
  /**
   * AppArmor release whose parser we model. '3.0' (default, Debian 12) rejects the AppArmor 4
   * rules `userns`, `io_uring`, `mqueue`; '4.0' accepts them (without checking their contents).
   */
  version?: '3.0' | '4.0';
}

export interface CheckResult {
  valid: boolean;
  diagnostics: Diagnostic[];
  ast?: PolicyFile;
}

function at(
  span: Span,
  code: string,
  message: string,
  severity: Diagnostic['severity'] = 'error',
): Diagnostic {
  return { file: span.file, line: span.line, column: span.column, severity, code, message };
}

export function checkProfile(text: string, file: string, opts: CheckOptions = {}): CheckResult {
  const parsed = parseProfileText(text, file, { version: opts.version ?? '3.0' });
  const diagnostics = [...parsed.diagnostics];
  if (!parsed.ast) return { valid: false, diagnostics };
  const ast = parsed.ast;
  const resolution = resolveIncludes(ast, opts);
  diagnostics.push(...resolution.diagnostics);
  const { vars, diagnostics: varDiags } = collectVariables(ast, resolution);
  diagnostics.push(...varDiags);

  const version = opts.version ?? '3.0';

  /** Items of a rule list with includes spliced in and `if` replaced by its taken branch. */
  const flatten = (items: (TopItem | BlockItem)[], out: (TopItem | BlockItem)[] = []) => {
    for (const it of items) {
      if (it.kind === 'include') {
        for (const f of resolution.includes.get(it)?.files ?? []) flatten(f.ast.items, out);
      } else if (it.kind === 'if') {
        const branch = takeBranch(it, vars, diagnostics);
        if (branch) flatten(branch, out);
      } else out.push(it);
    }
    return out;
  };

  const checkProfileNode = (p: ProfileNode) => {
    if (p.attachment) checkVars(p.attachment, p.span, vars, diagnostics);
    // parser_variable.c defines @{profile_name} (regex-escaped) while it processes each profile
    const outer = vars.sets.get('profile_name');
    vars.sets.set('profile_name', [p.name.replace(/[{}[\]*?]/g, '\\$&')]);
    // path -> exec transition of the user (owner) and other halves, per deny/allow
    const merged = new Map<string, { user?: string; other?: string }>();
    const children: ProfileNode[] = [];
    const visit = (items: (TopItem | BlockItem)[], owner?: 'owner' | 'other') => {
      for (const it of flatten(items)) {
        switch (it.kind) {
          case 'profile':
            checkProfileNode(it);
            children.push(it);
            break;
          case 'block':
            visit(it.items, it.q.owner ?? owner);
            break;
          case 'file': {
            if (it.path === undefined) break;
            const values = checkVars(it.path, it.span, vars, diagnostics);
            if (it.target !== undefined) checkVars(it.target, it.span, vars, diagnostics);
            if (it.linkTarget !== undefined) checkVars(it.linkTarget, it.span, vars, diagnostics);
            if (!(it.path.startsWith('/') || it.path.startsWith('@')))
              diagnostics.push(
                at(
                  it.span,
                  'apparmor-relative-path',
                  `file rule path '${it.path}' does not start with '/': it never matches`,
                  'warning',
                ),
              );
            if (it.exec && values) {
              // the transition target is part of the exec mode: px -> a and px -> b conflict
              const exec = it.target !== undefined ? `${it.exec} -> ${it.target}` : it.exec;
              const o = it.q.owner ?? owner;
              for (const v of values) {
                const key = `${it.q.access === 'deny' ? 'deny' : 'allow'}\0${v}`;
                const m = merged.get(key) ?? {};
                for (const half of ['user', 'other'] as const) {
                  if ((half === 'user' && o === 'other') || (half === 'other' && o === 'owner')) continue;
                  const prev = m[half];
                  if (prev && prev !== exec && prev !== 'x' && exec !== 'x') {
                    diagnostics.push(
                      at(
                        it.span,
                        'apparmor-conflicting-exec-mode',
                        `profile ${p.name}: rules for ${v} merge with conflicting exec modes '${prev}' and '${exec}'`,
                      ),
                    );
                    break;
                  }
                  m[half] = prev && prev !== 'x' ? prev : exec;
                }
                merged.set(key, m);
              }
            }
            break;
          }
          case 'link':
            checkVars(it.path, it.span, vars, diagnostics);
            checkVars(it.target, it.span, vars, diagnostics);
            break;
          case 'change_profile':
            if (it.exec !== undefined) checkVars(it.exec, it.span, vars, diagnostics);
            if (it.target !== undefined) checkVars(it.target, it.span, vars, diagnostics);
            break;
          case 'mount':
            for (const v of [it.source, it.target])
              if (v !== undefined) checkVars(v, it.span, vars, diagnostics);
            for (const c of it.conds) for (const v of c.values) checkVars(v, it.span, vars, diagnostics);
            break;
          case 'pivot_root':
            for (const v of [it.newRoot, it.profile])
              if (v !== undefined) checkVars(v, it.span, vars, diagnostics);
            break;
          case 'dbus':
          case 'unix':
          case 'signal':
          case 'ptrace':
            for (const c of [...it.conds, ...(it.peer?.conds ?? [])])
              for (const v of c.values) checkVars(v, it.span, vars, diagnostics);
            break;
          case 'generic':
            if (version === '3.0')
              diagnostics.push(
                at(
                  it.span,
                  'apparmor-unsupported-rule',
                  `'${it.keyword}' rules need AppArmor 4; apparmor_parser 3.0 rejects them`,
                ),
              );
            break;
          default:
            break;
        }
      }
    };
    visit(p.items);
    duplicateProfiles(children, diagnostics);
    if (outer) vars.sets.set('profile_name', outer);
    else vars.sets.delete('profile_name');
  };

  const top = flatten(ast.items).filter((it): it is ProfileNode => it.kind === 'profile');
  for (const p of top) checkProfileNode(p);
  duplicateProfiles(top, diagnostics);
  // A file made only of rules (no profile) is not loadable policy.
  const valid = !diagnostics.some((d) => d.severity === 'error');
  return { valid, diagnostics: dedupe(diagnostics), ast };
}

function takeBranch(it: IfNode, vars: Variables, diagnostics: Diagnostic[]): BlockItem[] | undefined {
  const evalExpr = (e: IfNode['expr']): boolean | undefined => {
    switch (e.kind) {
      case 'not': {
        const v = evalExpr(e.expr);
        return v === undefined ? undefined : !v;
      }
      case 'var': {
        const v = vars.booleans.get(e.name);
        if (v === undefined)
          diagnostics.push(
            at(it.span, 'apparmor-undefined-variable', `unset boolean variable \${${e.name}} used in if`),
          );
        return v;
      }
      case 'defined':
        return e.sigil === '@' ? vars.sets.has(e.name) : vars.booleans.has(e.name);
    }
  };
  // the real parser evaluates every condition of an if/else-if chain while parsing
  const v = evalExpr(it.expr);
  const rest = it.else && !Array.isArray(it.else) ? takeBranch(it.else, vars, diagnostics) : undefined;
  if (v === undefined) return undefined;
  if (v) return it.then;
  if (!it.else) return undefined;
  return Array.isArray(it.else) ? it.else : rest;
}

/** Expanded values, or undefined after reporting an undefined variable. */
function checkVars(
  value: string,
  span: Span,
  vars: Variables,
  diagnostics: Diagnostic[],
): string[] | undefined {
  if (!value.includes('@{')) return [value];
  const r = expandVariables(value, vars.sets);
  if ('undefinedVar' in r) {
    diagnostics.push(
      at(span, 'apparmor-undefined-variable', `variable @{${r.undefinedVar}} is used but never declared`),
    );
    return undefined;
  }
  return r.values;
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** "Multiple definitions for profile X exist": names are unique among siblings (hats included). */
function duplicateProfiles(ps: ProfileNode[], diagnostics: Diagnostic[]): void {
  const seen = new Set<string>();
  for (const p of ps) {
    if (seen.has(p.name))
      diagnostics.push(
        at(p.span, 'apparmor-duplicate-profile', `profile ${p.name} is defined more than once`),
      );
    seen.add(p.name);
  }
}
