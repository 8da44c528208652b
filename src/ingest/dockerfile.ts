/**
 * Dockerfile -> one workload: the container the final stage's image runs as.
 *
 * Per stage (FROM to FROM) the last USER wins and WORKDIR accumulates (a relative WORKDIR is joined
 * to the previous one); a stage built `FROM <earlier stage>` inherits that stage's USER, WORKDIR,
 * VOLUMEs and EXPOSEd ports. Earlier stages contribute only what matters wherever it is written: the
 * `# syntax=` frontend and remote `ADD` sources (both run at build time). No USER means the base
 * image's user (root for nearly every base): `user` is then left absent.
 */
import { posix } from 'node:path';
import {
  type Add,
  DockerfileParser,
  type From,
  type Instruction,
  JSONInstruction,
  Keyword,
} from 'dockerfile-ast';
import type { Diagnostic, SourcePos } from '../errors.js';
import { type At, emptyContainer, type Reader, type Workload } from '../model/workload.js';

const PREFIX = 'dockerfile';
const KEYWORDS = new Set<string>(Object.values(Keyword));
/** `https://`, `http://`, `git://`, `ssh://`... and scp-like git (`git@github.com:o/r.git`). */
const REMOTE = /^([a-z][a-z0-9+.-]*:\/\/|git@)/i;

interface Stage {
  index: number;
  /** `AS name`, lower case as BuildKit matches it. */
  name?: string;
  from: From;
  pos: SourcePos;
  image?: At<string>;
  user?: At<string>;
  workdir?: At<string>;
  volumes: At<string>[];
  ports: At<number>[];
}

interface Range {
  start: { line: number; character: number };
}

/** Reads one Dockerfile. Never throws. */
export const readDockerfile: Reader = (text, file) => {
  const diagnostics: Diagnostic[] = [];
  try {
    return read(text, file, diagnostics);
  } catch (e) {
    diagnostics.push({
      file,
      line: 1,
      column: 1,
      severity: 'error',
      code: `${PREFIX}-internal`,
      message: `could not read this Dockerfile: ${e instanceof Error ? e.message : e}`,
    });
    return { workloads: [], diagnostics };
  }
};

function read(text: string, file: string, diagnostics: Diagnostic[]): ReturnType<Reader> {
  const at = (r: Range): SourcePos => ({ file, line: r.start.line + 1, column: r.start.character + 1 });
  const diag = (pos: SourcePos, severity: Diagnostic['severity'], code: string, message: string) =>
    diagnostics.push({ ...pos, severity, code: `${PREFIX}-${code}`, message });

  let df: ReturnType<typeof DockerfileParser.parse>;
  try {
    df = DockerfileParser.parse(text);
  } catch (e) {
    diag(
      { file, line: 1, column: 1 },
      'error',
      'parse',
      `cannot parse: ${e instanceof Error ? e.message : e}`,
    );
    return { workloads: [], diagnostics };
  }

  const src = new Source(text);
  let syntax: At<string> | undefined;
  for (const d of df.getDirectives())
    if (d.getName().toLowerCase() === 'syntax') syntax = { value: d.getValue(), pos: at(d.getValueRange()) };

  const stages: Stage[] = [];
  const remoteAdds: At<string>[] = [];
  const workdirs: At<string>[] = [];
  let cur: Stage | undefined;
  for (const ins of df.getInstructions()) {
    const kw = ins.getKeyword();
    const pos = at(ins.getRange());
    if (kw === 'FROM') {
      cur = fromStage(ins as From, stages, pos, at, diag);
      stages.push(cur);
      continue;
    }
    if (!KEYWORDS.has(kw)) {
      diag(pos, 'warning', 'unknown-instruction', `unknown instruction ${kw}`);
      continue;
    }
    if (!cur) {
      if (kw !== 'ARG') diag(pos, 'error', 'before-from', `${kw} before the first FROM`);
      continue;
    }
    if (kw === 'ADD') {
      for (const s of sources(ins as Add, at, src)) if (REMOTE.test(s.value)) remoteAdds.push(s);
      continue;
    }
    const args = ins.getArguments();
    const first = args[0];
    switch (kw) {
      case 'USER':
        if (first) cur.user = { value: first.getValue(), pos: at(first.getRange()) };
        else diag(pos, 'error', 'missing-argument', 'USER needs a user');
        break;
      case 'WORKDIR': {
        const content = ins.getArgumentsContent()?.trim() ?? '';
        if (!first || content === '') {
          diag(pos, 'error', 'missing-argument', 'WORKDIR needs a path');
          break;
        }
        // absolute (or a Windows drive path, kept as written), else relative to the previous WORKDIR
        const absolute = content.startsWith('/') || /^[A-Za-z]:[\\/]/.test(content);
        const dir = absolute ? content : posix.join(cur.workdir?.value ?? '/', content);
        cur.workdir = { value: dir, pos: at(first.getRange()) };
        workdirs.push(cur.workdir);
        break;
      }
      case 'VOLUME':
        for (const v of jsonOrPlain(ins, at, src)) cur.volumes.push(v);
        break;
      case 'EXPOSE':
        for (const a of args) {
          const v = a.getValue();
          const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(v);
          if (!m) {
            if (!v.includes('$'))
              diag(at(a.getRange()), 'warning', 'bad-port', `unreadable EXPOSE port "${v}"`);
            continue;
          }
          const lo = Number(m[1]);
          const hi = m[2] !== undefined ? Number(m[2]) : lo;
          for (let p = lo; p <= hi && p < lo + 256; p++) cur.ports.push({ value: p, pos: at(a.getRange()) });
        }
        break;
    }
  }

  const last = stages[stages.length - 1];
  if (!last) {
    diag({ file, line: 1, column: 1 }, 'error', 'no-from', 'no FROM instruction: not a Dockerfile');
    return { workloads: [], diagnostics };
  }
  const name = `Dockerfile stage ${last.name ?? last.index}`;
  const c = emptyContainer(name, last.pos);
  if (last.image) c.image = last.image;
  if (last.user) c.user = last.user;
  if (last.workdir) c.workdir = last.workdir;
  c.ports.push(...last.ports);
  const w: Workload = {
    source: 'dockerfile',
    name,
    file,
    pos: last.pos,
    containers: [c],
    dockerfile: { ...(syntax ? { syntax } : {}), volumes: [...last.volumes], remoteAdds, workdirs },
  };
  return { workloads: [w], diagnostics };
}

function fromStage(
  ins: From,
  stages: Stage[],
  pos: SourcePos,
  at: (r: Range) => SourcePos,
  diag: (pos: SourcePos, severity: Diagnostic['severity'], code: string, message: string) => void,
): Stage {
  const stage: Stage = { index: stages.length, from: ins, pos, volumes: [], ports: [] };
  const name = ins.getBuildStage();
  if (name) stage.name = name.toLowerCase();
  const image = ins.getImage();
  const range = ins.getImageRange();
  if (!image || !range) {
    diag(pos, 'error', 'missing-argument', 'FROM needs an image');
    return stage;
  }
  // FROM <earlier stage>: start from what that stage left
  const parent = [...stages].reverse().find((s) => s.name !== undefined && s.name === image.toLowerCase());
  if (parent) {
    if (parent.image) stage.image = parent.image;
    if (parent.user) stage.user = parent.user;
    if (parent.workdir) stage.workdir = parent.workdir;
    stage.volumes.push(...parent.volumes);
    stage.ports.push(...parent.ports);
  } else stage.image = { value: image, pos: at(range) };
  return stage;
}

/** Sources of an ADD (every argument but the destination), JSON or plain; heredoc ADDs have none. */
function sources(ins: Add, at: (r: Range) => SourcePos, src: Source): At<string>[] {
  const args = jsonOrPlain(ins, at, src);
  if (args.some((a) => a.value.startsWith('<<'))) return [];
  return args.slice(0, -1);
}

/**
 * Arguments of a JSON-capable instruction: the JSON strings if written `["a", "b"]`, else the words.
 * A JSON string is decoded from the source text (dockerfile-ast's own value drops spaces and keeps
 * escapes: `"a b"` would read `ab`).
 */
function jsonOrPlain(ins: Instruction, at: (r: Range) => SourcePos, src: Source): At<string>[] {
  if (ins instanceof JSONInstruction && ins.getOpeningBracket() && ins.getJSONStrings().length > 0)
    return ins
      .getJSONStrings()
      .map((s) => ({ value: src.json(s.getRange()) ?? s.getJSONValue(), pos: at(s.getRange()) }));
  return ins.getArguments().map((a) => ({ value: a.getValue(), pos: at(a.getRange()) }));
}

/** The Dockerfile text, addressed by dockerfile-ast's line/character ranges. */
class Source {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (const m of text.matchAll(/\r\n|\r|\n/g)) this.starts.push(m.index + m[0].length);
  }
  /** The JSON string literal at `r`, decoded; undefined if it is not one on a single line. */
  json(r: Range & { end: { line: number; character: number } }): string | undefined {
    if (r.start.line !== r.end.line) return undefined;
    const base = this.starts[r.start.line];
    if (base === undefined) return undefined;
    try {
      const v: unknown = JSON.parse(this.text.slice(base + r.start.character, base + r.end.character));
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  }
}
