/**
 * `npm run build:probe [-- --out FILE]`: compiles probe/probe.c (gcc -static -O2 -Wall -Werror) into
 * the source-hash-keyed cache under os.tmpdir() and prints the binary's path; with --out, also copies
 * it there. Never runs the probe.
 */
import { copyFile } from 'node:fs/promises';
import { buildProbe } from '../src/simulate/real/probe.js';

const i = process.argv.indexOf('--out');
const out = i >= 0 ? process.argv[i + 1] : undefined;
if (i >= 0 && !out) {
  process.stderr.write('usage: build-probe [--out FILE]\n');
  process.exit(2);
}
try {
  const bin = await buildProbe();
  if (out) await copyFile(bin, out);
  process.stdout.write(`${out ?? bin}\n`);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
