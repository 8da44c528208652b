/**
 * Everything a check may ask about the profile under lint, computed once and shared: the Docker
 * resolution, the compiled filter (per arch), the baseline, the known-name lists, and positions the
 * model does not carry. Checks never compile or evaluate on their own terms: they ask here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { BreakwaterError, type SourcePos } from '../../errors.js';
import { type CompiledProfile, compileProfile } from '../evaluate.js';
import { type KnownSyscalls, parseKnownSyscalls } from '../known.js';
import type { SeccompProfile } from '../model.js';
import { parseDockerProfile } from '../profile/docker.js';
import { type ResolvedProfile, resolveProfile } from '../resolve.js';
import type { ArchName } from '../syscalls/index.js';
import type { CompileOptions } from '../types.js';
import { locateKeyValue } from './locate.js';

/** A libseccomp release's names. `label` is shown in messages, e.g. "libseccomp 2.5.4". */
export interface KnownNameList {
  label: string;
  names: ReadonlySet<string>;
}

export interface LintOptions {
  /** Profile to compare against in allows-beyond-baseline. Default: Docker's default profile. */
  baseline?: SeccompProfile;
  /** Container context: host arch, capabilities, kernel, runtime. Defaults as compileProfile's. */
  compile?: CompileOptions;
  /** Older libseccomp name lists for libseccomp-unknown-name. Default: every list shipped in data/libseccomp/. */
  knownBy?: Array<KnownNameList | KnownSyscalls>;
  /**
   * The profile's source text. The model has no position for `defaultAction` or `flags`; with the
   * text, findings about them point at the exact spot. Default: read from `profile.source` if that
   * file exists.
   */
  text?: string;
  /** Run only these check ids (default: all). */
  checks?: readonly string[];
}

const DATA = new URL('../../../data/', import.meta.url);

/** Every `known-syscalls-<version>.txt` shipped in data/libseccomp/ (see scripts/gen-known-syscalls.ts). */
export function shippedKnownLists(): KnownSyscalls[] {
  const dir = new URL('libseccomp/', DATA);
  return readdirSync(dir)
    .map((f) => /^known-syscalls-(.+)\.txt$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => (a[1] as string).localeCompare(b[1] as string, 'en', { numeric: true }))
    .map((m) => parseKnownSyscalls(readFileSync(new URL(m[0], dir), 'utf8'), `data/libseccomp/${m[0]}`));
}

/** A bare name list (LintOptions.knownBy) as the evaluator's knownSyscalls: same numbers as our table. */
function asKnown(l: KnownNameList | KnownSyscalls): KnownSyscalls {
  return 'overrides' in l ? l : { label: l.label, names: l.names, overrides: new Map() };
}

let dockerDefault: SeccompProfile | undefined;
/** Docker's default profile, as shipped in data/baselines/ (the default baseline). */
export function dockerDefaultProfile(): SeccompProfile {
  if (!dockerDefault) {
    const file = 'data/baselines/docker-default.json';
    const r = parseDockerProfile(readFileSync(new URL('baselines/docker-default.json', DATA), 'utf8'), file);
    if (!r.profile) throw new BreakwaterError(`cannot read the shipped baseline ${file}`, 'internal');
    dockerDefault = r.profile;
  }
  return dockerDefault;
}

type Compiled = { ok: CompiledProfile } | { error: BreakwaterError };

export class LintContext {
  readonly file: string;
  private readonly text: string | undefined;
  private readonly cache = new Map<string, Compiled>();
  private resolvedCache: ResolvedProfile | BreakwaterError | undefined;
  private lists: KnownSyscalls[] | undefined;

  constructor(
    readonly profile: SeccompProfile,
    readonly opts: LintOptions = {},
  ) {
    this.file = profile.source ?? '<profile>';
    this.text =
      opts.text ??
      (profile.source && existsSync(profile.source) ? readFileSync(profile.source, 'utf8') : undefined);
  }

  get compileOptions(): CompileOptions {
    return this.opts.compile ?? {};
  }

  /** Host arch the container runs on (decides the archMap entry). */
  get native(): ArchName {
    return this.compileOptions.arch ?? 'x86_64';
  }

  /** Docker's resolution for this container, or undefined when Docker itself refuses the profile. */
  resolved(): ResolvedProfile | undefined {
    if (this.resolvedCache === undefined) {
      try {
        this.resolvedCache = resolveProfile(this.profile, this.compileOptions);
      } catch (e) {
        if (!(e instanceof BreakwaterError)) throw e;
        this.resolvedCache = e;
      }
    }
    return this.resolvedCache instanceof BreakwaterError ? undefined : this.resolvedCache;
  }

  private compileWith(key: string, profile: SeccompProfile, opts: CompileOptions): Compiled {
    let c = this.cache.get(key);
    if (!c) {
      try {
        c = { ok: compileProfile(profile, opts) };
      } catch (e) {
        // ProfileLoadError: runc refuses it; UsageError: Docker refuses it (architectures + archMap).
        if (!(e instanceof BreakwaterError)) throw e;
        c = { error: e };
      }
      this.cache.set(key, c);
    }
    return c;
  }

  /** The filter as loaded for this container, or undefined when the runtime refuses the profile. */
  compiled(): CompiledProfile | undefined {
    const c = this.compileWith('native', this.profile, this.compileOptions);
    return 'ok' in c ? c.ok : undefined;
  }

  /** Why the runtime (or Docker) refuses the profile, if it does. */
  loadError(): BreakwaterError | undefined {
    const c = this.compileWith('native', this.profile, this.compileOptions);
    return 'error' in c ? c.error : undefined;
  }

  /** The same container on another host arch (x86_64 for the checks that evaluate a fixed arch). */
  compiledFor(arch: ArchName): CompiledProfile | undefined {
    if (arch === this.native) return this.compiled();
    const c = this.compileWith(`arch:${arch}`, this.profile, { ...this.compileOptions, arch });
    return 'ok' in c ? c.ok : undefined;
  }

  /** The compiled filter with a given libseccomp name list (what runc linked against it loads). */
  compiledKnowing(known: KnownSyscalls): CompiledProfile | undefined {
    const c = this.compileWith(`known:${known.label}`, this.profile, {
      ...this.compileOptions,
      knownSyscalls: known,
    });
    return 'ok' in c ? c.ok : undefined;
  }

  baseline(): SeccompProfile {
    return this.opts.baseline ?? dockerDefaultProfile();
  }

  /** How messages name the baseline. */
  baselineLabel(): string {
    return this.opts.baseline
      ? (this.opts.baseline.source ?? 'the baseline profile')
      : "Docker's default profile";
  }

  baselineFor(arch: ArchName): CompiledProfile | undefined {
    const c = this.compileWith(`baseline:${arch}`, this.baseline(), { ...this.compileOptions, arch });
    return 'ok' in c ? c.ok : undefined;
  }

  knownLists(): KnownSyscalls[] {
    if (!this.lists) this.lists = this.opts.knownBy?.map(asKnown) ?? shippedKnownLists();
    return this.lists;
  }

  /** Where `defaultAction`'s value is written (needs the source text; see LintOptions.text). */
  defaultActionPos(): SourcePos | undefined {
    return this.text === undefined ? undefined : locateKeyValue(this.text, this.file, 'defaultAction');
  }

  flagsPos(): SourcePos | undefined {
    return this.text === undefined ? undefined : locateKeyValue(this.text, this.file, 'flags');
  }

  /** Where a rule's `i`-th name is written, else the rule itself. */
  namePos(ruleIndex: number, nameIndex = 0): SourcePos | undefined {
    const r = this.profile.syscalls[ruleIndex];
    return r?.namePos?.[nameIndex] ?? r?.pos;
  }
}
