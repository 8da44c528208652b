/**
 * One reader for the seccomp object of all three formats (Docker/moby JSON, OCI `linux.seccomp`, SPO `spec`):
 * they share the OCI core and differ only in extra keys. Input is the format-neutral located tree from
 * json.ts (the SPO reader maps YAML into it). Output is a *draft* model plus field positions; structural
 * problems (wrong types, bad integers, missing fields) become diagnostics here, semantic ones in validate.ts.
 */
import type { Diagnostic, SourcePos } from '../../errors.js';
import type {
  ActionName,
  ArchMapEntry,
  ArgCondition,
  Operator,
  RuleSelector,
  SeccompProfile,
  SyscallRule,
} from '../model.js';
import { ERRNO_BY_NAME } from './errno.js';
import { diag, kindName, type LEntry, type LNode, type LObject, objectFields } from './json.js';
import { PosMap } from './positions.js';

export type Dialect = 'docker' | 'oci' | 'spo';

/** The keys the OCI runtime-spec `LinuxSeccomp` object has (Docker's format is a superset). */
export const CORE_TOP = [
  'defaultAction',
  'defaultErrnoRet',
  'architectures',
  'flags',
  'listenerPath',
  'listenerMetadata',
  'syscalls',
] as const;
/** Docker/moby-only top-level keys; `defaultErrno` is podman's (containers/common) errno name. */
const DOCKER_TOP = ['archMap', 'defaultErrno'] as const;
export const CORE_RULE = ['names', 'action', 'errnoRet', 'args'] as const;
/** `errno` is podman's documentation-style errno name next to errnoRet. */
const DOCKER_RULE = ['name', 'comment', 'includes', 'excludes', 'errno'] as const;
const ARG_KEYS = ['index', 'value', 'valueTwo', 'op'] as const;
const ARCHMAP_KEYS = ['architecture', 'subArchitectures'] as const;
const SELECTOR_KEYS = ['caps', 'arches', 'minKernel'] as const;

export interface Draft {
  profile: SeccompProfile;
  positions: PosMap;
  /** Top-level entries the caller handles itself (SPO's baseProfileName...). */
  extra: Map<string, LEntry>;
}

export interface ReadOptions {
  dialect: Dialect;
  file: string;
  /** Extra top-level keys the caller knows (read by the caller from `Draft.extra`). */
  extraTopKeys?: readonly string[];
}

/**
 * Reads a seccomp object. Never throws on bad input. The draft may hold placeholder values where the input
 * was unusable; such cases always come with an error diagnostic, and callers return no profile then.
 */
export function readSeccompObject(
  node: LNode,
  opts: ReadOptions,
  diagnostics: Diagnostic[],
): Draft | undefined {
  const r = new Reader(opts, diagnostics);
  return r.top(node);
}

class Reader {
  readonly positions = new PosMap();
  private readonly caseInsensitive: boolean;
  private readonly unknownNote: string;

  constructor(
    private readonly opts: ReadOptions,
    private readonly diagnostics: Diagnostic[],
  ) {
    // Docker, podman and runc decode with Go's encoding/json (case-insensitive keys, unknown keys ignored);
    // the Kubernetes API server decodes SPO objects case-sensitively and prunes unknown fields.
    this.caseInsensitive = opts.dialect !== 'spo';
    this.unknownNote =
      opts.dialect === 'docker'
        ? 'Docker ignores it'
        : opts.dialect === 'oci'
          ? 'runc ignores it'
          : 'the Kubernetes API server drops unknown fields';
  }

  private err(pos: SourcePos, code: string, message: string): void {
    this.diagnostics.push(diag(pos, 'error', code, message));
  }
  private warn(pos: SourcePos, code: string, message: string): void {
    this.diagnostics.push(diag(pos, 'warning', code, message));
  }

  private fields(obj: LObject, known: readonly string[], where: string): Map<string, LEntry> {
    return objectFields(
      obj,
      known,
      { where, caseInsensitive: this.caseInsensitive, unknownNote: this.unknownNote },
      this.diagnostics,
    );
  }

  /** In OCI, Docker-only keys are not just ignored: runc would silently drop a rule's selector. */
  private ociRejects(fields: Map<string, LEntry>, keys: readonly string[], where: string): void {
    if (this.opts.dialect !== 'oci') return;
    for (const k of keys) {
      const e = fields.get(k);
      if (!e) continue;
      this.err(
        e.keyPos,
        'oci-docker-only-key',
        `"${k}" in ${where} is a Docker profile key; runc ignores it${
          k === 'includes' || k === 'excludes' ? ', so this rule would apply unconditionally' : ''
        }. Resolve the Docker profile for a target first, or read it as --format docker`,
      );
      fields.delete(k);
    }
  }

  private expectObject(n: LNode, what: string): n is LObject {
    if (n.kind === 'object') return true;
    this.err(n.pos, 'seccomp-bad-type', `${what} must be an object, got ${kindName(n)}`);
    return false;
  }

  /** A string, or undefined for null/absent (Go's zero value). */
  private str(e: LEntry | undefined, what: string): string | undefined {
    if (!e || e.value.kind === 'null') return undefined;
    if (e.value.kind === 'string') return e.value.value;
    this.err(e.value.pos, 'seccomp-bad-type', `${what} must be a string, got ${kindName(e.value)}`);
    return undefined;
  }

  /** A list of strings with each item's position; null/absent is empty. */
  private strList(e: LEntry | undefined, what: string): Array<{ value: string; pos: SourcePos }> {
    if (!e || e.value.kind === 'null') return [];
    if (e.value.kind !== 'array') {
      this.err(
        e.value.pos,
        'seccomp-bad-type',
        `${what} must be a list of strings, got ${kindName(e.value)}`,
      );
      return [];
    }
    const out: Array<{ value: string; pos: SourcePos }> = [];
    for (const item of e.value.items) {
      if (item.kind === 'string') out.push({ value: item.value, pos: item.pos });
      else this.err(item.pos, 'seccomp-bad-type', `${what} entries must be strings, got ${kindName(item)}`);
    }
    return out;
  }

  /** An unsigned 64-bit integer, exact. */
  private uint(e: LEntry | undefined, what: string): bigint | undefined {
    if (!e || e.value.kind === 'null') return undefined;
    const v = e.value;
    if (v.kind !== 'number') {
      this.err(v.pos, 'seccomp-bad-type', `${what} must be an unsigned integer, got ${kindName(v)}`);
      return undefined;
    }
    if (v.uint === undefined) {
      this.err(v.pos, 'json-bad-integer', `${what}: ${v.problem ?? `${v.raw} is not an unsigned integer`}`);
      return undefined;
    }
    return v.uint;
  }

  /** errnoRet / defaultErrnoRet: a uint in the model's `number`; the kernel range is checked by validate. */
  private errno(e: LEntry | undefined, what: string): number | undefined {
    const v = this.uint(e, what);
    if (v === undefined || !e) return undefined;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.err(e.value.pos, 'seccomp-bad-errno', `${what} ${v} is far outside the errno range (1..4095)`);
      return undefined;
    }
    return Number(v);
  }

  /**
   * podman's `errno`/`defaultErrno` names. Docker ignores them and podman may prefer them, so a profile
   * where the name and the number disagree (or only the name is given) means different things on each.
   */
  private errnoName(e: LEntry | undefined, numeric: number | undefined, what: string): void {
    const name = this.str(e, what);
    if (name === undefined || !e) return;
    const n = ERRNO_BY_NAME[name];
    if (n === undefined) {
      this.warn(e.value.pos, 'seccomp-errno-name-mismatch', `${what} "${name}" is not a known errno name`);
    } else if (numeric === undefined) {
      this.warn(
        e.value.pos,
        'seccomp-errno-name-mismatch',
        `${what} "${name}" has no numeric counterpart: Docker and runc ignore the name and return EPERM; add the number ${n}`,
      );
    } else if (n !== numeric) {
      this.warn(
        e.value.pos,
        'seccomp-errno-name-mismatch',
        `${what} "${name}" is ${n}, but the numeric value says ${numeric}; Docker uses the number`,
      );
    }
  }

  top(node: LNode): Draft | undefined {
    const { dialect } = this.opts;
    if (!this.expectObject(node, 'the seccomp profile')) return undefined;
    const known: string[] = [...CORE_TOP, ...(this.opts.extraTopKeys ?? [])];
    if (dialect !== 'spo') known.push(...DOCKER_TOP);
    const f = this.fields(node, known, 'the profile');
    this.ociRejects(f, DOCKER_TOP, 'the profile');
    const extra = new Map<string, LEntry>();
    for (const k of this.opts.extraTopKeys ?? []) {
      const e = f.get(k);
      if (e) extra.set(k, e);
    }

    const syscallsEntry = f.get('syscalls');
    const profile: SeccompProfile = {
      format: dialect,
      // Placeholder only when missing, and then an error is reported and no profile is returned. ERRNO is
      // the placeholder that triggers no follow-on diagnostic (it takes defaultErrnoRet and is not NOTIFY).
      defaultAction: 'SCMP_ACT_ERRNO',
      architectures: [],
      flags: [],
      syscalls: [],
      source: this.opts.file,
      pos: syscallsEntry?.value.pos ?? node.pos,
    };
    const pm = this.positions;

    const da = f.get('defaultAction');
    const action = this.str(da, 'defaultAction');
    if (action === undefined || !da) {
      this.err(
        da?.value.pos ?? node.pos,
        'seccomp-missing-field',
        'defaultAction is required (runc refuses a profile without one)',
      );
    } else {
      profile.defaultAction = action as ActionName; // checked by validate (seccomp-unknown-action)
      pm.set(profile, 'defaultAction', da.value.pos);
    }

    const der = f.get('defaultErrnoRet');
    const defaultErrnoRet = this.errno(der, 'defaultErrnoRet');
    if (defaultErrnoRet !== undefined && der) {
      profile.defaultErrnoRet = defaultErrnoRet;
      pm.set(profile, 'defaultErrnoRet', der.value.pos);
    }
    this.errnoName(f.get('defaultErrno'), defaultErrnoRet, 'defaultErrno');

    const archs = this.strList(f.get('architectures'), 'architectures');
    archs.forEach((a, i) => {
      profile.architectures.push(a.value);
      pm.set(profile, `architectures.${i}`, a.pos);
    });

    const am = f.get('archMap');
    if (am && am.value.kind !== 'null') {
      if (archs.length > 0) {
        this.err(
          am.keyPos,
          'seccomp-archmap-and-architectures',
          'both "architectures" and "archMap" are set; Docker refuses this: use one of them',
        );
      }
      profile.archMap = this.archMap(am.value);
    }

    const flags = this.strList(f.get('flags'), 'flags');
    flags.forEach((fl, i) => {
      profile.flags.push(fl.value);
      pm.set(profile, `flags.${i}`, fl.pos);
    });

    for (const k of ['listenerPath', 'listenerMetadata'] as const) {
      const e = f.get(k);
      const v = this.str(e, k);
      // "" is Go's zero value: the same as absent.
      if (v && e) {
        profile[k] = v;
        pm.set(profile, k, e.value.pos);
      }
    }

    if (syscallsEntry && syscallsEntry.value.kind !== 'null') {
      if (syscallsEntry.value.kind !== 'array') {
        this.err(
          syscallsEntry.value.pos,
          'seccomp-bad-type',
          `syscalls must be a list, got ${kindName(syscallsEntry.value)}`,
        );
      } else {
        for (const item of syscallsEntry.value.items) {
          const rule = this.rule(item);
          if (rule) profile.syscalls.push(rule);
        }
      }
    }
    return { profile, positions: pm, extra };
  }

  private archMap(n: LNode): ArchMapEntry[] {
    if (n.kind !== 'array') {
      this.err(n.pos, 'seccomp-bad-type', `archMap must be a list, got ${kindName(n)}`);
      return [];
    }
    const out: ArchMapEntry[] = [];
    for (const item of n.items) {
      if (!this.expectObject(item, 'an archMap entry')) continue;
      const f = this.fields(item, ARCHMAP_KEYS, 'an archMap entry');
      const ae = f.get('architecture');
      const arch = this.str(ae, 'architecture');
      if (arch === undefined || !ae) {
        this.err(item.pos, 'seccomp-missing-field', 'archMap entry without "architecture"');
        continue;
      }
      const entry: ArchMapEntry = { architecture: arch, subArchitectures: [] };
      this.positions.set(entry, 'architecture', ae.value.pos);
      this.strList(f.get('subArchitectures'), 'subArchitectures').forEach((s, i) => {
        entry.subArchitectures.push(s.value);
        this.positions.set(entry, `subArchitectures.${i}`, s.pos);
      });
      out.push(entry);
    }
    return out;
  }

  private rule(n: LNode): SyscallRule | undefined {
    const { dialect } = this.opts;
    if (!this.expectObject(n, 'a syscalls entry')) return undefined;
    const known: string[] = [...CORE_RULE];
    if (dialect !== 'spo') known.push(...DOCKER_RULE);
    const f = this.fields(n, known, 'a syscall rule');
    this.ociRejects(f, DOCKER_RULE, 'a syscall rule');

    const ae = f.get('action');
    const action = this.str(ae, 'action');
    if (action === undefined || !ae) {
      this.err(ae?.value.pos ?? n.pos, 'seccomp-missing-field', 'syscall rule without "action"');
      return undefined;
    }
    const rule: SyscallRule = { names: [], action: action as ActionName, args: [], pos: n.pos, namePos: [] };
    this.positions.set(rule, 'action', ae.value.pos);

    const namesEntry = f.get('names');
    const before = this.diagnostics.length;
    const names = this.strList(namesEntry, 'names');
    if (this.diagnostics.length > before && namesEntry)
      this.positions.set(rule, 'namesInvalid', namesEntry.value.pos);
    const nameEntry = f.get('name');
    const single = this.str(nameEntry, 'name');
    if (single !== undefined && single !== '' && nameEntry) {
      // moby: "'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'".
      if (names.length > 0) {
        this.err(
          nameEntry.keyPos,
          'seccomp-name-and-names',
          'both "name" and "names" are set in this rule; Docker refuses this: use "names"',
        );
      }
      names.push({ value: single, pos: nameEntry.value.pos });
    }
    for (const nm of names) {
      rule.names.push(nm.value);
      rule.namePos?.push(nm.pos);
    }
    this.positions.set(rule, 'names', namesEntry?.keyPos ?? nameEntry?.keyPos ?? n.pos);

    const ee = f.get('errnoRet');
    const errnoRet = this.errno(ee, 'errnoRet');
    if (errnoRet !== undefined && ee) {
      rule.errnoRet = errnoRet;
      this.positions.set(rule, 'errnoRet', ee.value.pos);
    }
    this.errnoName(f.get('errno'), errnoRet, 'errno');

    const argsEntry = f.get('args');
    if (argsEntry && argsEntry.value.kind !== 'null') {
      if (argsEntry.value.kind !== 'array') {
        this.err(
          argsEntry.value.pos,
          'seccomp-bad-type',
          `args must be a list, got ${kindName(argsEntry.value)}`,
        );
      } else {
        for (const a of argsEntry.value.items) {
          const arg = this.arg(a);
          if (arg) rule.args.push(arg);
        }
      }
    }

    const comment = this.str(f.get('comment'), 'comment');
    if (comment) rule.comment = comment;
    for (const k of ['includes', 'excludes'] as const) {
      const e = f.get(k);
      if (!e || e.value.kind === 'null') continue;
      if (!this.expectObject(e.value, k)) continue;
      rule[k] = this.selector(e.value, k);
    }
    return rule;
  }

  private arg(n: LNode): ArgCondition | undefined {
    if (!this.expectObject(n, 'an arg condition')) return undefined;
    const f = this.fields(n, ARG_KEYS, 'an arg condition');
    const ie = f.get('index');
    const oe = f.get('op');
    const index = this.uint(ie, 'index');
    const op = this.str(oe, 'op');
    let ok = true;
    if (!ie) {
      this.err(n.pos, 'seccomp-missing-field', 'arg condition without "index"');
      ok = false;
    }
    if (op === undefined && (!oe || oe.value.kind === 'null')) {
      this.err(n.pos, 'seccomp-missing-field', 'arg condition without "op"');
      ok = false;
    }
    const ve = f.get('value');
    const value = this.uint(ve, 'value');
    const v2e = f.get('valueTwo');
    const valueTwo = this.uint(v2e, 'valueTwo');
    if (!ok || index === undefined || op === undefined || !ie || !oe) return undefined;
    if ((ve && value === undefined) || (v2e && v2e.value.kind !== 'null' && valueTwo === undefined))
      return undefined;
    const arg: ArgCondition = {
      // Clamp only for the model's number type; validate reports anything above 5 from the real position.
      index: index > 1_000_000n ? 1_000_000 : Number(index),
      value: value ?? 0n,
      valueTwo: valueTwo ?? 0n,
      op: op as Operator, // checked by validate (seccomp-bad-op)
      pos: n.pos,
    };
    this.positions.set(arg, 'index', ie.value.pos);
    this.positions.set(arg, 'op', oe.value.pos);
    if (ve) this.positions.set(arg, 'value', ve.value.pos);
    if (v2e) this.positions.set(arg, 'valueTwo', v2e.value.pos);
    return arg;
  }

  private selector(n: LObject, where: 'includes' | 'excludes'): RuleSelector {
    const f = this.fields(n, SELECTOR_KEYS, where);
    const sel: RuleSelector = {};
    for (const k of ['caps', 'arches'] as const) {
      const e = f.get(k);
      if (!e || e.value.kind === 'null') continue;
      const list = this.strList(e, `${where}.${k}`);
      // Empty means "no constraint" to Docker, same as absent: normalize so printing round-trips.
      if (list.length === 0) continue;
      sel[k] = list.map((x) => x.value);
      list.forEach((x, i) => {
        this.positions.set(sel, `${k}.${i}`, x.pos);
      });
    }
    const mk = f.get('minKernel');
    const minKernel = this.str(mk, `${where}.minKernel`);
    if (minKernel && mk) {
      sel.minKernel = minKernel;
      this.positions.set(sel, 'minKernel', mk.value.pos);
    }
    return sel;
  }
}
