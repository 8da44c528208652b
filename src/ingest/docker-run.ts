/**
 * `docker run` / `podman run` command lines -> workloads.
 *
 * The input is a file of commands, one per line (`\` continues a line, `#` starts a comment, blank
 * lines are skipped), or one command passed with `--cmd`. Quoting follows the shell (shell-quote's
 * reading, with positions from our own scan — see docker-run-shell.ts); nothing is expanded, so
 * `$PWD` stays `$PWD`. Operators (`;`, `|`, `&&`, redirections) and command substitutions reject the
 * line: what runs is no longer just `docker run`.
 *
 * Flags are read with the real flag tables (docker-run-flags.ts): boolean bundles (`-itd`), values
 * glued (`-p80:80`, `-v=/a:/b`, `--name=x`) or separate, `--` ending the flags, and the first
 * argument that is not a flag is the image; everything after it is the container's command.
 */
import type { Diagnostic, Severity, SourcePos } from '../errors.js';
import {
  type Container,
  emptyContainer,
  type Mount,
  normalizeCapability,
  type Reader,
  type Workload,
} from '../model/workload.js';
import { type FlagSpec, GLOBAL_FLAGS, parseGoBool, RUN_FLAGS, type Tool } from './docker-run-flags.js';
import { applySecurityOpt, type Located, type Report, slice, volumeMount } from './docker-run-options.js';
import { crossCheck, type ShellWord, scanShell } from './docker-run-shell.js';

const PREFIX = 'docker-run';

// ---- logical lines -----------------------------------------------------------------------------------

/** Where a piece of a logical line came from. */
interface Segment {
  /** Offset in the logical text. */
  at: number;
  line: number;
  /** 0-based column of the piece in its physical line. */
  column: number;
}

interface LogicalLine {
  text: string;
  segments: Segment[];
}

/** Join `\`-continued lines; skip blank and comment-only lines. */
function logicalLines(text: string, file: string, diags: Diagnostic[]): LogicalLine[] {
  const physical = text.split(/\r\n|\n|\r/);
  const out: LogicalLine[] = [];
  let cur: LogicalLine | undefined;
  for (let i = 0; i < physical.length; i++) {
    let line = physical[i] as string;
    if (!cur && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (!cur) cur = { text: '', segments: [] };
    // an odd number of trailing backslashes continues the line
    const m = /(\\+)([ \t]*)$/.exec(line);
    const continues = m !== null && (m[1] as string).length % 2 === 1 && i < physical.length - 1;
    if (continues && m && (m[2] as string).length > 0)
      diags.push({
        file,
        line: i + 1,
        column: m.index + (m[1] as string).length,
        severity: 'warning',
        code: `${PREFIX}-space-after-continuation`,
        message: 'spaces after the line-continuation backslash: a shell would end the command here',
      });
    if (continues && m) line = line.slice(0, m.index + (m[1] as string).length - 1);
    cur.segments.push({ at: cur.text.length, line: i + 1, column: 0 });
    cur.text += line;
    if (!continues) {
      out.push(cur);
      cur = undefined;
    }
  }
  if (cur) out.push(cur);
  return out;
}

function positionIn(l: LogicalLine, file: string, offset: number): SourcePos {
  // the last segment starting at or before the offset
  let lo = 0;
  let hi = l.segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((l.segments[mid] as Segment).at <= offset) lo = mid;
    else hi = mid - 1;
  }
  const seg = l.segments[lo] as Segment;
  return { file, line: seg.line, column: seg.column + (offset - seg.at) + 1 };
}

// ---- reading one command ---------------------------------------------------------------------------

interface Word {
  value: string;
  raw: string;
  start: number;
}

/** A flag value: text, where it starts, and whether positions inside it are exact (no quoting). */
interface Val {
  value: string;
  start: number;
  exact: boolean;
}

/** The value from character `k` of word `w` (`--name=x`: k = 7). */
function valueFrom(w: Word, k = 0): Val {
  const prefix = w.value.slice(0, k);
  const literalPrefix = w.raw.startsWith(prefix);
  return {
    value: w.value.slice(k),
    start: literalPrefix ? w.start + k : w.start,
    exact: literalPrefix && w.raw.slice(k) === w.value.slice(k),
  };
}

class CommandReader {
  readonly c: Container;
  readonly w: Workload;
  private userns?: 'set';
  private uidmap?: Val;

  constructor(
    private readonly line: LogicalLine,
    private readonly file: string,
    private readonly diags: Diagnostic[],
    private readonly tool: Tool,
    private readonly toolName: string,
    name: string,
    pos: SourcePos,
  ) {
    this.c = emptyContainer(name, pos);
    this.w = { source: 'docker-run', name, file, pos, containers: [this.c] };
  }

  pos(offset: number): SourcePos {
    return positionIn(this.line, this.file, offset);
  }

  located(v: Val): Located {
    return { value: v.value, pos: (i) => this.pos(v.exact ? v.start + i : v.start) };
  }

  diag(pos: SourcePos, severity: Severity, code: string, message: string): void {
    this.diags.push({ ...pos, severity, code: `${PREFIX}-${code}`, message });
  }

  readonly report: Report = (pos, severity, code, message) => this.diag(pos, severity, code, message);

  /** Read the flags from `words[i]`; returns the index of the image. */
  flags(words: Word[], i: number): number {
    while (i < words.length) {
      const w = words[i] as Word;
      const v = w.value;
      if (v === '--') return i + 1;
      if (v.startsWith('--')) {
        const eq = v.indexOf('=');
        const name = v.slice(2, eq < 0 ? undefined : eq);
        const spec = this.lookup(name, w, true);
        i += 1;
        if (!spec) continue;
        if (!spec.takesValue) {
          this.bool(spec, w, eq < 0 ? undefined : valueFrom(w, eq + 1));
        } else if (eq >= 0) {
          this.apply(spec, valueFrom(w, eq + 1), w);
        } else if (i < words.length) {
          this.apply(spec, valueFrom(words[i] as Word), w);
          i += 1;
        } else this.missing(w, `--${name}`);
        continue;
      }
      if (v.startsWith('-') && v.length > 1) {
        i += 1;
        for (let j = 1; j < v.length; j++) {
          const ch = v.charAt(j);
          const spec = this.lookup(ch, w, false, j);
          if (!spec) continue;
          if (!spec.takesValue) {
            if (v.charAt(j + 1) === '=') {
              this.bool(spec, w, valueFrom(w, j + 2));
              break;
            }
            this.bool(spec, w);
            continue;
          }
          // pflag: `-v=x` and `-vx` glue the value; else it is the next argument
          if (j + 1 < v.length) this.apply(spec, valueFrom(w, v.charAt(j + 1) === '=' ? j + 2 : j + 1), w);
          else if (i < words.length) {
            this.apply(spec, valueFrom(words[i] as Word), w);
            i += 1;
          } else this.missing(w, `-${ch}`);
          break;
        }
        continue;
      }
      return i;
    }
    return i;
  }

  private lookup(name: string, w: Word, long: boolean, j = 0): FlagSpec | undefined {
    const spec = long ? RUN_FLAGS.long.get(name) : RUN_FLAGS.short.get(name);
    const shown = long ? `--${name}` : `-${name}`;
    const pos = this.pos(w.start + (w.raw === w.value ? j : 0));
    if (!spec) {
      this.diag(
        pos,
        'warning',
        'unknown-flag',
        `unknown ${this.toolName} run flag ${shown} (read as a flag without a value)`,
      );
      return undefined;
    }
    if (spec.only && spec.only !== this.tool)
      this.diag(
        pos,
        'warning',
        'unknown-flag',
        `${shown} is a ${spec.only} flag; ${this.toolName} rejects it`,
      );
    return spec;
  }

  private missing(w: Word, shown: string): void {
    this.diag(this.pos(w.start), 'error', 'missing-value', `${shown} needs a value`);
  }

  private bool(spec: FlagSpec, w: Word, v?: Val): void {
    if (spec.only && spec.only !== this.tool) return; // the CLI rejects it: nothing to map
    let value = true;
    if (v) {
      const b = parseGoBool(v.value);
      if (b === undefined) {
        this.diag(
          this.pos(v.start),
          'error',
          'bad-bool',
          `--${spec.long} takes true or false, not "${v.value}"`,
        );
        return;
      }
      value = b;
    }
    const at = { value, pos: this.pos(w.start) };
    switch (spec.long) {
      case 'privileged':
        this.c.privileged = at;
        return;
      case 'read-only':
        this.c.readOnlyRootFilesystem = at;
        return;
      case 'use-api-socket':
        // docker 28: bind-mounts the engine's API socket into the container
        if (value)
          this.c.mounts.push({
            type: 'bind',
            source: { value: '/var/run/docker.sock', pos: at.pos },
            target: { value: '/var/run/docker.sock', pos: at.pos },
          });
        return;
    }
  }

  private apply(spec: FlagSpec, v: Val, flag: Word): void {
    if (spec.only && spec.only !== this.tool) return;
    const c = this.c;
    const w = this.w;
    const pos = this.pos(v.start);
    const loc = this.located(v);
    const s = v.value;
    switch (spec.long) {
      case 'cap-add':
      case 'cap-drop': {
        const list = spec.long === 'cap-add' ? c.capAdd : c.capDrop;
        let at = 0;
        for (const cap of s.split(',')) {
          if (cap.trim() !== '') list.push({ value: normalizeCapability(cap), pos: loc.pos(at) });
          at += cap.length + 1;
        }
        return;
      }
      case 'security-opt':
        applySecurityOpt(c, loc, this.report);
        return;
      case 'volume': {
        const m = volumeMount(loc, this.report);
        if (m) c.mounts.push(m);
        return;
      }
      case 'mount': {
        const m = this.mount(loc);
        if (m) c.mounts.push(m);
        return;
      }
      case 'tmpfs': {
        const colon = s.indexOf(':');
        const target = colon < 0 ? s : s.slice(0, colon);
        if (target === '') this.diag(pos, 'error', 'bad-mount', '--tmpfs needs a container path');
        else c.mounts.push({ type: 'tmpfs', target: { value: target, pos } });
        return;
      }
      case 'device': {
        // /dev/host[:/dev/container[:rwm]], or a CDI name (vendor.com/class=name)
        const host = s.startsWith('/') ? (s.split(':')[0] as string) : s;
        if (host === '') this.diag(pos, 'error', 'bad-device', '--device needs a device');
        else c.devices.push({ value: host, pos });
        return;
      }
      case 'pid':
        w.hostPid = { value: s === 'host', pos };
        return;
      case 'ipc':
        w.hostIpc = { value: s === 'host', pos };
        return;
      case 'network':
      case 'net':
        if (!w.hostNetwork?.value) w.hostNetwork = { value: s === 'host', pos };
        return;
      case 'cgroupns':
        w.cgroupnsHost = { value: s === 'host', pos };
        return;
      case 'userns':
        this.userns = 'set';
        // docker: only `host` (no remapping); podman: keep-id, auto, nomap, private, ns:<path>
        if (s === 'host') w.userNamespace = { value: false, pos };
        else if (/^(keep-id|auto|nomap|private|ns:)/.test(s)) w.userNamespace = { value: true, pos };
        else if (s === '') w.userNamespace = undefined;
        return;
      case 'uidmap':
      case 'gidmap':
        this.uidmap ??= v;
        return;
      case 'sysctl': {
        const eq = s.indexOf('=');
        if (eq <= 0) this.diag(pos, 'error', 'bad-sysctl', `invalid sysctl "${s}": expected name=value`);
        else c.sysctls.push({ value: { name: s.slice(0, eq), value: s.slice(eq + 1) }, pos });
        return;
      }
      case 'publish':
        this.publish(loc);
        return;
      case 'expose':
        this.ports(loc, 'expose');
        return;
      case 'user':
        c.user = { value: s, pos };
        return;
      case 'workdir':
        c.workdir = { value: s, pos };
        return;
      case 'name':
        if (s !== '') {
          w.name = s;
          c.name = s;
        } else this.diag(pos, 'error', 'missing-value', `${flag.value} needs a name`);
        return;
    }
  }

  /** `--mount type=bind,source=/a,target=/b,readonly` (a CSV record, as docker reads it). */
  private mount(loc: Located): Mount | undefined {
    let type: Mount['type'] = 'volume';
    let rawType = 'volume';
    let source: Mount['source'];
    let target: Mount['target'] | undefined;
    let readOnly: Mount['readOnly'];
    for (const f of csvFields(loc)) {
      const eq = f.value.indexOf('=');
      const key = (eq < 0 ? f.value : f.value.slice(0, eq)).toLowerCase();
      const val = eq < 0 ? undefined : f.value.slice(eq + 1);
      const vpos = f.pos(eq < 0 ? 0 : eq + 1);
      switch (key) {
        case 'type':
          rawType = val ?? '';
          type = rawType === 'bind' || rawType === 'volume' || rawType === 'tmpfs' ? rawType : 'other';
          break;
        case 'source':
        case 'src':
          if (val) source = { value: val, pos: vpos };
          break;
        case 'target':
        case 'destination':
        case 'dst':
          if (val) target = { value: val, pos: vpos };
          break;
        case 'readonly':
        case 'ro': {
          const b = val === undefined ? true : parseGoBool(val);
          if (b === undefined)
            this.diag(vpos, 'error', 'bad-mount', `${key} takes true or false, not "${val}"`);
          else readOnly = { value: b, pos: f.pos(0) };
          break;
        }
        case 'rw':
          readOnly = { value: false, pos: f.pos(0) };
          break;
      }
    }
    if (!target) {
      this.diag(loc.pos(0), 'error', 'bad-mount', `--mount "${loc.value}" has no target`);
      return undefined;
    }
    if (type === 'bind' && !source)
      this.diag(loc.pos(0), 'error', 'bad-mount', `--mount type=bind needs a source`);
    if (type === 'tmpfs') source = undefined;
    return { type, ...(source ? { source } : {}), target, ...(readOnly ? { readOnly } : {}) };
  }

  /** `-p [ip:][hostPort:]containerPort[/proto]`: the container port(s). */
  private publish(loc: Located): void {
    let s = loc.value;
    let off = 0;
    const v6 = /^\[[^\]]*\]:/.exec(s);
    if (v6) {
      off = v6[0].length;
      s = s.slice(off);
    }
    const last = s.lastIndexOf(':');
    this.ports(slice(loc, off + last + 1), 'publish');
  }

  /** `80`, `80/tcp`, `8000-8010/udp`. */
  private ports(loc: Located, flag: string): void {
    const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/.exec(loc.value);
    const lo = m ? Number(m[1]) : Number.NaN;
    const hi = m?.[2] !== undefined ? Number(m[2]) : lo;
    if (!m || lo < 1 || hi > 65535 || hi < lo) {
      this.diag(loc.pos(0), 'error', 'bad-port', `invalid --${flag} port "${loc.value}"`);
      return;
    }
    for (let p = lo; p <= hi && p < lo + 256; p++) this.c.ports.push({ value: p, pos: loc.pos(0) });
  }

  finish(): void {
    if (this.uidmap && !this.userns) this.w.userNamespace = { value: true, pos: this.pos(this.uidmap.start) };
  }
}

/** Split a CSV record (Go's encoding/csv: `"` quotes a field, `""` is a quote) with positions. */
function csvFields(loc: Located): Located[] {
  const out: Located[] = [];
  const s = loc.value;
  let i = 0;
  while (i <= s.length) {
    if (s[i] === '"') {
      let value = '';
      let j = i + 1;
      while (j < s.length) {
        if (s[j] === '"' && s[j + 1] === '"') {
          value += '"';
          j += 2;
        } else if (s[j] === '"') break;
        else value += s[j++];
      }
      const start = i;
      out.push({ value, pos: () => loc.pos(start) });
      i = s.indexOf(',', j);
      if (i < 0) break;
      i += 1;
    } else {
      const end = s.indexOf(',', i);
      const stop = end < 0 ? s.length : end;
      out.push(slice(loc, i, stop));
      if (end < 0) break;
      i = end + 1;
    }
  }
  return out.filter((f) => f.value !== '');
}

const TOOL = /^(?:.*\/)?(docker|podman|nerdctl)$/;

/** Read one logical line; returns its workload, or undefined when it is not a run command. */
function readLine(l: LogicalLine, file: string, n: number, diags: Diagnostic[]): Workload | undefined {
  const at = (offset: number) => positionIn(l, file, offset);
  const d = (offset: number, severity: Severity, code: string, message: string) =>
    diags.push({ ...at(offset), severity, code: `${PREFIX}-${code}`, message });
  const scan = scanShell(l.text);
  if (scan.problems.length > 0) {
    for (const p of scan.problems) d(p.offset, 'error', p.code, p.message);
    return undefined;
  }
  let rejected = false;
  for (const [k, t] of scan.tokens.entries()) {
    if (t.kind === 'op') {
      const prev = scan.tokens[k - 1];
      const subst =
        t.op === '(' && prev?.kind === 'word' && prev.raw.endsWith('$') && !prev.raw.endsWith('\\$');
      if (subst)
        d(
          prev.start + prev.raw.length - 1,
          'error',
          'command-substitution',
          'command substitution $(...) is not supported: write the value out',
        );
      else
        d(
          t.start,
          'error',
          'shell-operator',
          `shell operator "${t.op}": only a single docker run command is read per line`,
        );
      rejected = true;
      break;
    }
    if (t.substitution !== undefined) {
      d(
        t.substitution,
        'error',
        'command-substitution',
        'command substitution is not supported: write the value out',
      );
      rejected = true;
      break;
    }
  }
  if (rejected) return undefined;
  if (crossCheck(l.text, scan) >= 0)
    d(
      0,
      'warning',
      'quoting-mismatch',
      'this line is quoted in a way the reader is not sure about; check the values',
    );
  const words: Word[] = (scan.tokens as ShellWord[]).map((t) => ({
    value: t.value,
    raw: t.raw,
    start: t.start,
  }));
  if (words.length === 0) return undefined;

  // [$ ] [VAR=x ...] [sudo [-flags]] docker|podman|nerdctl [global flags] [container] run|create
  let i = 0;
  if (words[0]?.raw === '$') i += 1;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test((words[i] as Word).value)) i += 1;
  if (words[i]?.value === 'sudo') {
    i += 1;
    while (i < words.length && (words[i] as Word).value.startsWith('-')) {
      const f = (words[i] as Word).value;
      i += /^-[ugCDhpRrTtU]$/.test(f) ? 2 : 1;
    }
  }
  const toolWord = words[i];
  const toolMatch = toolWord ? TOOL.exec(toolWord.value) : null;
  if (!toolWord || !toolMatch) {
    d(words[0]?.start ?? 0, 'warning', 'not-a-run-command', 'not a docker/podman run command: skipped');
    return undefined;
  }
  const toolName = toolMatch[1] as string;
  const tool: Tool = toolName === 'podman' ? 'podman' : 'docker';
  const start = (words[0] as Word).start;
  i += 1;
  // global flags
  while (i < words.length && (words[i] as Word).value.startsWith('-')) {
    const f = (words[i] as Word).value;
    const long = f.startsWith('--');
    const name = long ? (f.slice(2).split('=')[0] ?? '') : f.slice(1);
    const spec = long ? GLOBAL_FLAGS.long.get(name) : GLOBAL_FLAGS.short.get(name.charAt(name.length - 1));
    i += 1;
    if (!spec) d((words[i - 1] as Word).start, 'warning', 'unknown-flag', `unknown ${toolName} option ${f}`);
    else if (spec.takesValue && !f.includes('=') && (long || name.length === 1)) i += 1;
  }
  if (words[i]?.value === 'container') i += 1;
  const sub = words[i];
  if (!sub || (sub.value !== 'run' && sub.value !== 'create')) {
    d(sub?.start ?? toolWord.start, 'warning', 'not-a-run-command', `not a ${toolName} run command: skipped`);
    return undefined;
  }
  i += 1;
  const r = new CommandReader(l, file, diags, tool, toolName, `docker run #${n}`, at(start));
  const img = r.flags(words, i);
  const image = words[img];
  if (image) r.c.image = { value: image.value, pos: at(image.start) };
  else d(sub.start, 'error', 'missing-image', `${toolName} ${sub.value} without an image`);
  r.finish();
  return r.w;
}

/** Read a file of `docker run` / `podman run` lines (or the text of one `--cmd`). Never throws. */
export const readDockerRun: Reader = (text, file) => {
  const diagnostics: Diagnostic[] = [];
  const workloads: Workload[] = [];
  for (const l of logicalLines(text, file, diagnostics)) {
    try {
      const w = readLine(l, file, workloads.length + 1, diagnostics);
      if (w) workloads.push(w);
    } catch (e) {
      diagnostics.push({
        ...positionIn(l, file, 0),
        severity: 'error',
        code: `${PREFIX}-internal`,
        message: `could not read this line: ${e instanceof Error ? e.message : String(e)}`,
      });
    }
  }
  if (workloads.length === 0 && diagnostics.length === 0)
    diagnostics.push({
      file,
      line: 1,
      column: 1,
      severity: 'warning',
      code: `${PREFIX}-empty`,
      message: 'no docker run command found',
    });
  return { workloads, diagnostics };
};
