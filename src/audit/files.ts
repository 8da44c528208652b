/**
 * Which files `audit PATH...` reads: files as given, folders recursively (every regular file, kind
 * decided by content; VCS and dependency folders skipped), `-` for stdin. Files too large to hold
 * are reported, not read, and not silently dropped.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagnostic } from '../errors.js';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', 'vendor', '.terraform']);
/** Larger inputs are refused with a diagnostic (a manifest this size is generated, not written). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface InputFile {
  file: string;
  text: string;
}

export async function* inputFiles(paths: readonly string[], diags: Diagnostic[]): AsyncGenerator<InputFile> {
  for (const p of paths) {
    if (p === '-') {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      yield { file: '<stdin>', text: decode(Buffer.concat(chunks)) };
      continue;
    }
    yield* walk(p, diags, true);
  }
}

async function* walk(path: string, diags: Diagnostic[], explicit: boolean): AsyncGenerator<InputFile> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path);
  } catch (e) {
    diags.push(diag(path, 'audit-unreadable', (e as Error).message));
    return;
  }
  if (st.isDirectory()) {
    const entries = (await readdir(path)).sort();
    for (const e of entries) {
      if (SKIP_DIRS.has(e)) continue;
      yield* walk(join(path, e), diags, false);
    }
    return;
  }
  if (!st.isFile()) {
    if (explicit) diags.push(diag(path, 'audit-not-a-file', 'not a regular file'));
    return;
  }
  if (st.size > MAX_FILE_BYTES) {
    diags.push(
      diag(
        path,
        'audit-too-large',
        `${st.size} bytes is more than the ${MAX_FILE_BYTES}-byte limit; not read`,
      ),
    );
    return;
  }
  const buf = await readFile(path);
  // Folders hold binaries too: skip files with NUL bytes unless named explicitly.
  if (!explicit && buf.subarray(0, 8192).includes(0)) return;
  yield { file: path, text: decode(buf) };
}

/** UTF-8 with replacement characters (readers report U+FFFD where it matters), BOM stripped. */
function decode(buf: Buffer): string {
  const s = buf.toString('utf8');
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

function diag(file: string, code: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, severity: 'error', code, message };
}
