/**
 * Which reader a file needs, decided by content (a Kubernetes manifest named `app.txt` is still a
 * manifest), with the file name as a tie-breaker only where content is ambiguous (Dockerfiles).
 */
import { basename } from 'node:path';
import type { SourceKind } from '../model/workload.js';

const DOCKERFILE_NAME = /(^|\.)(Dockerfile|Containerfile)(\..*)?$|\.dockerfile$/i;
const DOCKERFILE_INSTR = /^(FROM|ARG)\s+\S/i;
const RUN_LINE = /^\s*(sudo\s+)?(docker|podman|nerdctl)\s+(container\s+)?(run|create)\b/m;

/** First non-blank, non-comment line. */
function firstLine(text: string): string {
  for (const l of text.split('\n', 200)) {
    const t = l.trim();
    if (t && !t.startsWith('#') && !t.startsWith('//')) return t;
  }
  return '';
}

export function detectKind(text: string, file: string): SourceKind | undefined {
  const head = text.slice(0, 64 * 1024);
  const first = firstLine(head);
  if (first.startsWith('[') || first.startsWith('{')) {
    if (/"HostConfig"\s*:/.test(head)) return 'docker-inspect';
    if (/"ociVersion"\s*:/.test(head) || (/"process"\s*:/.test(head) && /"root"\s*:/.test(head)))
      return 'oci-config';
    // JSON is YAML too: a JSON manifest (kind/apiVersion) or compose file
    if (/"apiVersion"\s*:/.test(head) && /"kind"\s*:/.test(head)) return 'kubernetes';
    if (/"services"\s*:/.test(head)) return 'compose';
    return undefined;
  }
  if (DOCKERFILE_NAME.test(basename(file)) || (DOCKERFILE_INSTR.test(first) && /^\s*FROM\s/im.test(head)))
    return 'dockerfile';
  if (RUN_LINE.test(head) && /^(sudo\s+)?(docker|podman|nerdctl)\b/.test(first)) return 'docker-run';
  if (/^apiVersion\s*:/m.test(head) && /^kind\s*:/m.test(head)) return 'kubernetes';
  if (/^services\s*:/m.test(head)) return 'compose';
  return undefined;
}
