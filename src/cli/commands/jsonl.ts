/**
 * `--queries FILE|-`: one JSON query per line in, one JSON answer per line out. A bad line is
 * reported (stderr with file:line:1, and `{"line","error"}` on stdout so answers stay aligned
 * with questions) and the run goes on; the caller sets exit 2 when any line was bad.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { BreakwaterError, formatDiagnostic } from '../../errors.js';

/** Returns the number of bad lines. `answer` throws BreakwaterError for a query it cannot take. */
export async function streamJsonLines(
  path: string,
  code: string,
  answer: (query: unknown) => unknown,
): Promise<number> {
  const input = path === '-' ? process.stdin : createReadStream(path);
  const file = path === '-' ? '<stdin>' : path;
  let lineNo = 0;
  let bad = 0;
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    try {
      process.stdout.write(`${JSON.stringify(answer(JSON.parse(line)))}\n`);
    } catch (e) {
      if (!(e instanceof BreakwaterError) && !(e instanceof SyntaxError)) throw e;
      bad++;
      const message = e.message.replace(/\n/g, ' ');
      process.stderr.write(
        `${formatDiagnostic({ file, line: lineNo, column: 1, severity: 'error', code, message })}\n`,
      );
      process.stdout.write(`${JSON.stringify({ line: lineNo, error: message })}\n`);
    }
  }
  return bad;
}
