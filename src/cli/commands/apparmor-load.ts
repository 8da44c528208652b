/** Read, parse and compile AppArmor policy for the commands that evaluate it (eval, lint). */
import type { PolicyFile } from '../../apparmor/ast.js';
import { AppArmorEvalError, type CompiledProfile, compileAppArmor } from '../../apparmor/evaluate.js';
import { DEFAULT_INCLUDE_DIRS, type Resolution, resolveIncludes } from '../../apparmor/include.js';
import { parseProfileText } from '../../apparmor/parser.js';
import { ParseError } from '../../errors.js';
import { readPolicy } from './apparmor-fmt.js';

export interface LoadedPolicy {
  ast: PolicyFile;
  name: string;
  includeDirs: string[];
  resolution: Resolution;
}

/** Parse a policy file (or stdin); a parse error is exit 2 with positioned diagnostics. */
export async function loadPolicy(file: string, include: string[] | undefined): Promise<LoadedPolicy> {
  const { text, name } = await readPolicy(file);
  const { ast, diagnostics } = parseProfileText(text, name);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!ast || errors.length) throw new ParseError(errors.length ? errors : diagnostics);
  const includeDirs = include?.length ? include : DEFAULT_INCLUDE_DIRS;
  return { ast, name, includeDirs, resolution: resolveIncludes(ast, { includeDirs }) };
}

/** Compile one profile of the file (the only one, or `profile` by name). */
export function compileOne(p: LoadedPolicy, profile?: string): CompiledProfile {
  const compiled = compileAppArmor(p.ast, {
    includeDirs: p.includeDirs,
    resolution: p.resolution,
    ...(profile ? { profile } : {}),
  });
  if (compiled.unevaluated.length)
    process.stderr.write(`${p.name}: note: rules not evaluated: ${compiled.unevaluated.join(', ')}\n`);
  return compiled;
}

/** Compile every top-level profile of the file (or just `profile`). */
export function compileAll(p: LoadedPolicy, profile?: string): CompiledProfile[] {
  if (profile) return [compileOne(p, profile)];
  const names = p.ast.items.flatMap((i) => (i.kind === 'profile' ? [i.name] : []));
  if (!names.length) throw new AppArmorEvalError(`${p.name}: no profile in the file`);
  return names.map((n) => compileOne(p, n));
}
