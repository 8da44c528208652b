/**
 * Wrapper around the real `apparmor_parser` (Debian package `apparmor`), the oracle our own
 * checker is tested against. `-Q -K` (skip kernel load, skip cache) works without AppArmor in the
 * running kernel: with `-T` it only validates (exit 0 = valid), with `-S` it writes the compiled
 * binary policy to stdout.
 */
import { spawn, spawnSync } from 'node:child_process';

export const APPARMOR_PARSER = 'apparmor_parser';

export interface ParserRun {
  ok: boolean;
  status: number | null;
  stdout: Buffer;
  /** stderr without the "Cache read/write disabled" noise of a kernel without AppArmor. */
  stderr: string;
}

export interface ValidateOptions {
  includeDirs?: string[];
  /** Binary name or path (default apparmor_parser on PATH). */
  parser?: string;
  /**
   * A features file standing in for the kernel's (`--kernel-features`): on a host without
   * AppArmor the parser otherwise assumes an old kernel and refuses e.g. stacking transitions.
   */
  kernelFeatures?: string;
}

function args(mode: '-T' | '-S', file: string, opts: ValidateOptions): string[] {
  const a = ['-Q', '-K', mode];
  for (const d of opts.includeDirs ?? []) a.push('-I', d);
  if (opts.kernelFeatures) a.push('--kernel-features', opts.kernelFeatures);
  a.push(file);
  return a;
}

function clean(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => l && !l.startsWith('Cache read/write disabled'))
    .join('\n');
}

export function hasApparmorParser(parser = APPARMOR_PARSER): boolean {
  return spawnSync('sh', ['-c', `command -v ${parser}`], { stdio: 'ignore' }).status === 0;
}

function runSync(mode: '-T' | '-S', file: string, opts: ValidateOptions): ParserRun {
  const r = spawnSync(opts.parser ?? APPARMOR_PARSER, args(mode, file, opts), { maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  return { ok: r.status === 0, status: r.status, stdout: r.stdout, stderr: clean(r.stderr.toString()) };
}

function runAsync(mode: '-T' | '-S', file: string, opts: ValidateOptions): Promise<ParserRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(opts.parser ?? APPARMOR_PARSER, args(mode, file, opts));
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({
        ok: status === 0,
        status,
        stdout: Buffer.concat(out),
        stderr: clean(Buffer.concat(err).toString()),
      }),
    );
  });
}

/** `apparmor_parser -Q -K -T [-I dir]... FILE`: does the real parser accept the file? */
export function validateWithParser(file: string, opts: ValidateOptions = {}): ParserRun {
  return runSync('-T', file, opts);
}

export function validateWithParserAsync(file: string, opts: ValidateOptions = {}): Promise<ParserRun> {
  return runAsync('-T', file, opts);
}

/** `apparmor_parser -Q -K -S [-I dir]... FILE`: the compiled binary policy on stdout. */
export function compileWithParser(file: string, opts: ValidateOptions = {}): ParserRun {
  return runSync('-S', file, opts);
}

export function compileWithParserAsync(file: string, opts: ValidateOptions = {}): Promise<ParserRun> {
  return runAsync('-S', file, opts);
}

/** Run `f` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  f: (t: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
