/**
 * Positions the profile model does not carry. The model records where each rule and syscall name is
 * written, but not where `defaultAction` or `flags` are, and some findings are about exactly those.
 * Given the source text we find the key the way a reader would: the first `defaultAction` key at any
 * nesting depth (Docker/OCI JSON at the top, SPO YAML under `spec`), quoted or not.
 */
import type { SourcePos } from '../../errors.js';

export function locateKeyValue(text: string, file: string, key: string): SourcePos | undefined {
  const re = new RegExp(`(["']?)${key}\\1\\s*:\\s*`, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    // a key, not a word inside a string value: the character before must start a key
    const before = text.slice(0, m.index).match(/[\s{,]*$/)?.[0] ?? '';
    if (m.index > 0 && before.length === 0) continue;
    const offset = m.index + m[0].length;
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const line = text.slice(0, offset).split('\n').length;
    return { file, line, column: offset - lineStart + 1 };
  }
  return undefined;
}
