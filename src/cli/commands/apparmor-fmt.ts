/** `breakwater apparmor fmt`: parse one AppArmor policy file and print it in canonical form. */
import { readFile } from 'node:fs/promises';
import { parseProfileText } from '../../apparmor/parser.js';
import { printPolicy } from '../../apparmor/print.js';
import { formatDiagnostic, ParseError } from '../../errors.js';

export interface FmtFlags {
  /** Include dirs; accepted for symmetry with `check` — formatting does not follow includes. */
  include: string[];
}

export async function readPolicy(path: string): Promise<{ text: string; name: string }> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return { text: Buffer.concat(chunks).toString('utf8'), name: '<stdin>' };
  }
  return { text: await readFile(path, 'utf8'), name: path };
}

export async function run(path: string, _flags: FmtFlags): Promise<void> {
  const { text, name } = await readPolicy(path);
  const { ast, diagnostics } = parseProfileText(text, name);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  // Printing a tree the parser flagged would silently "fix" or drop what the user wrote.
  if (!ast || errors.length) throw new ParseError(errors.length ? errors : diagnostics);
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  process.stdout.write(printPolicy(ast));
}
