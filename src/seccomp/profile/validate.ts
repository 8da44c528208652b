/**
 * Semantic checks of a seccomp profile, with the position of the offending value. Every check mirrors a
 * refusal or a silent surprise in the real consumers (runc, libseccomp, dockerd), and says which in the
 * message. Fail closed: anything we cannot interpret (unknown action, operator, arch, flag) is an error,
 * never a guess.
 */
import type { Diagnostic, Severity, SourcePos } from '../../errors.js';
import { closest } from '../../suggest.js';
import {
  ACTIONS,
  type ActionName,
  type ArgCondition,
  FLAGS,
  OPERATORS,
  type RuleSelector,
  type SeccompProfile,
  type SyscallRule,
} from '../model.js';
import { archOfGoarch } from '../resolve.js';
import {
  ARCHES,
  type ArchInfo,
  findArch,
  isKnownSyscall,
  suggestSyscall,
  syscallNumber,
} from '../syscalls/index.js';
import { diag } from './json.js';
import type { PosMap } from './positions.js';

/** Every code validate can emit, for docs and tests. */
export const VALIDATE_CODES = [
  'seccomp-unknown-action',
  'seccomp-bad-op',
  'seccomp-bad-arg-index',
  'seccomp-unknown-arch',
  'seccomp-unknown-syscall',
  'seccomp-unknown-syscall-for-arch',
  'seccomp-valuetwo-without-masked-eq',
  'seccomp-masked-eq-never-matches',
  'seccomp-duplicate-rule',
  'seccomp-conflicting-rule',
  'seccomp-errno-ret-invalid-action',
  'seccomp-default-errno-ret-invalid-action',
  'seccomp-bad-errno',
  'seccomp-unknown-flag',
  'seccomp-notify-without-listener',
  'seccomp-notify-default-action',
  'seccomp-notify-write',
  'seccomp-rule-without-names',
  'seccomp-bad-min-kernel',
] as const;

export interface ValidateOptions {
  /** Field positions recorded by a parser; without it, diagnostics point at the rule / profile. */
  positions?: PosMap;
}

/** The kernel caps errno at MAX_ERRNO (4095); libseccomp keeps 16 bits of action data (TRACE's message). */
const MAX_ERRNO = 4095;
const MAX_ACTION_DATA = 0xffff;

export function validateProfile(p: SeccompProfile, opts: ValidateOptions = {}): Diagnostic[] {
  return new Validator(p, opts.positions).run();
}

/** Closest candidate for "did you mean", tolerant of case and of a missing SCMP_ prefix. */
export function suggestFrom(value: string, candidates: readonly string[], prefix = ''): string | undefined {
  const upper = value.toUpperCase();
  for (const c of candidates) if (c === upper || c === `${prefix}${upper}`) return c;
  return closest(upper, candidates);
}

const didYouMean = (s: string | undefined) => (s ? ` (did you mean "${s}"?)` : '');

/** The action libseccomp actually installs: SCMP_ACT_KILL is KILL_THREAD. */
function canonicalAction(a: ActionName): string {
  return a === 'SCMP_ACT_KILL' ? 'SCMP_ACT_KILL_THREAD' : a;
}
const takesErrno = (a: string) => a === 'SCMP_ACT_ERRNO' || a === 'SCMP_ACT_TRACE';

class Validator {
  private readonly out: Diagnostic[] = [];
  private readonly fallback: SourcePos;

  constructor(
    private readonly p: SeccompProfile,
    private readonly pm: PosMap | undefined,
  ) {
    this.fallback = p.pos ?? { file: p.source ?? '<profile>', line: 1, column: 1 };
  }

  private at(obj: object, key: string, fallback?: SourcePos): SourcePos {
    return this.pm?.get(obj, key) ?? fallback ?? this.fallback;
  }
  private report(pos: SourcePos, severity: Severity, code: string, message: string): void {
    this.out.push(diag(pos, severity, code, message));
  }

  run(): Diagnostic[] {
    const p = this.p;
    this.checkAction(p.defaultAction, this.at(p, 'defaultAction'), 'defaultAction');
    if (p.defaultAction === 'SCMP_ACT_NOTIFY') {
      this.report(
        this.at(p, 'defaultAction'),
        'error',
        'seccomp-notify-default-action',
        'SCMP_ACT_NOTIFY cannot be the default action: runc refuses it (the runtime itself would block on the listener)',
      );
    }
    if (p.defaultErrnoRet !== undefined) {
      const pos = this.at(p, 'defaultErrnoRet');
      if (!takesErrno(p.defaultAction)) {
        this.report(
          pos,
          'error',
          'seccomp-default-errno-ret-invalid-action',
          `defaultErrnoRet is set but defaultAction is ${p.defaultAction}; only SCMP_ACT_ERRNO (and TRACE) take a return code, and the OCI spec requires runtimes to fail`,
        );
      } else this.checkErrnoRange(p.defaultErrnoRet, p.defaultAction, pos, 'defaultErrnoRet');
    }

    p.architectures.forEach((a, i) => {
      this.checkArch(a, this.at(p, `architectures.${i}`));
    });
    for (const e of p.archMap ?? []) {
      this.checkArch(e.architecture, this.at(e, 'architecture'));
      e.subArchitectures.forEach((s, i) => {
        this.checkArch(s, this.at(e, `subArchitectures.${i}`));
      });
    }

    p.flags.forEach((f, i) => {
      if ((FLAGS as readonly string[]).includes(f)) return;
      this.report(
        this.at(p, `flags.${i}`),
        'error',
        'seccomp-unknown-flag',
        `unknown seccomp flag "${f}"${didYouMean(suggestFrom(f, FLAGS, 'SECCOMP_FILTER_FLAG_'))}: runc refuses flags it does not know`,
      );
    });

    for (const r of p.syscalls) this.checkRule(r);
    this.checkDuplicates();
    return this.out;
  }

  private checkAction(a: string, pos: SourcePos, what: string): boolean {
    if ((ACTIONS as readonly string[]).includes(a)) return true;
    this.report(
      pos,
      'error',
      'seccomp-unknown-action',
      `unknown ${what} "${a}"${didYouMean(suggestFrom(a, ACTIONS, 'SCMP_ACT_'))}; runc refuses the profile`,
    );
    return false;
  }

  private checkErrnoRange(v: number, action: string, pos: SourcePos, what: string): void {
    if (action === 'SCMP_ACT_TRACE') {
      if (v <= MAX_ACTION_DATA) return;
      this.report(
        pos,
        'error',
        'seccomp-bad-errno',
        `${what} ${v} does not fit the 16-bit SCMP_ACT_TRACE message; libseccomp truncates it`,
      );
      return;
    }
    // libseccomp 2.5.4 (system.c sys_chk_seccomp_action) accepts SCMP_ACT_ERRNO(x) only for
    // x < MAX_ERRNO: runc then fails to start the container ("two checks on same syscall argument").
    if (v < MAX_ERRNO) return;
    this.report(
      pos,
      'error',
      'seccomp-bad-errno',
      `${what} ${v} is refused by libseccomp (an errno must be below ${MAX_ERRNO}); runc fails to start the container`,
    );
  }

  private checkArch(a: string, pos: SourcePos): void {
    const info = findArch(a);
    // runc/libseccomp accept only the SCMP_ARCH_* spelling here, even for names findArch knows (amd64...).
    if (info && info.scmp === a) return;
    const suggestion =
      info?.scmp ??
      suggestFrom(
        a,
        ARCHES.map((x) => x.scmp),
        'SCMP_ARCH_',
      );
    this.report(
      pos,
      'error',
      'seccomp-unknown-arch',
      `unknown architecture "${a}"${didYouMean(suggestion)}; runc accepts only SCMP_ARCH_* names it knows`,
    );
  }

  private checkRule(r: SyscallRule): void {
    const actionPos = this.at(r, 'action', r.pos);
    const actionOk = this.checkAction(r.action, actionPos, 'action');
    // A names field of the wrong type was already reported by the parser; do not add a second diagnostic.
    if (r.names.length === 0 && !this.pm?.get(r, 'namesInvalid')) {
      this.report(
        r.pos ?? this.fallback,
        'warning',
        'seccomp-rule-without-names',
        'syscall rule without names has no effect',
      );
    }
    if (r.errnoRet !== undefined) {
      const pos = this.at(r, 'errnoRet', r.pos);
      if (actionOk && !takesErrno(r.action)) {
        this.report(
          pos,
          'error',
          'seccomp-errno-ret-invalid-action',
          `errnoRet is set but the action is ${r.action}; only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take a return code, and the OCI spec requires runtimes to fail`,
        );
      } else if (actionOk) this.checkErrnoRange(r.errnoRet, r.action, pos, 'errnoRet');
    }
    if (r.action === 'SCMP_ACT_NOTIFY') {
      if (!this.p.listenerPath) {
        this.report(
          actionPos,
          'error',
          'seccomp-notify-without-listener',
          'SCMP_ACT_NOTIFY needs a listenerPath (the agent that receives the notifications); runc refuses the profile',
        );
      }
      r.names.forEach((n, i) => {
        if (n !== 'write') return;
        this.report(
          r.namePos?.[i] ?? actionPos,
          'error',
          'seccomp-notify-write',
          'SCMP_ACT_NOTIFY on "write" is refused by runc: the runtime itself writes after loading the filter and would deadlock',
        );
      });
    }
    for (const a of r.args) this.checkArg(a);
    for (const k of ['includes', 'excludes'] as const) {
      const sel = r[k];
      if (sel) this.checkSelector(sel, k, r);
    }
    this.checkNames(r);
  }

  private checkArg(a: ArgCondition): void {
    const base = a.pos ?? this.fallback;
    if (a.index > 5) {
      this.report(
        this.at(a, 'index', base),
        'error',
        'seccomp-bad-arg-index',
        `arg index ${a.index} is out of range: syscalls have six arguments, indexed 0..5`,
      );
    }
    const opOk = (OPERATORS as readonly string[]).includes(a.op);
    if (!opOk) {
      this.report(
        this.at(a, 'op', base),
        'error',
        'seccomp-bad-op',
        `unknown operator "${a.op}"${didYouMean(suggestFrom(a.op, OPERATORS, 'SCMP_CMP_'))}; runc refuses the profile`,
      );
      return;
    }
    if (a.op === 'SCMP_CMP_MASKED_EQ') {
      if ((a.valueTwo & ~a.value) !== 0n) {
        this.report(
          this.at(a, 'valueTwo', base),
          'warning',
          'seccomp-masked-eq-never-matches',
          `MASKED_EQ compares (arg & ${a.value}) with ${a.valueTwo}, which has bits outside the mask: this condition can never match`,
        );
      }
    } else if (a.valueTwo !== 0n) {
      this.report(
        this.at(a, 'valueTwo', base),
        'warning',
        'seccomp-valuetwo-without-masked-eq',
        `valueTwo is only used by SCMP_CMP_MASKED_EQ; with ${a.op} it is ignored`,
      );
    }
  }

  private checkSelector(sel: RuleSelector, where: string, r: SyscallRule): void {
    sel.arches?.forEach((a, i) => {
      if (resolveGoArch(a)) return;
      this.report(
        this.at(sel, `arches.${i}`, r.pos),
        'warning',
        'seccomp-unknown-arch',
        `${where}.arches: unknown architecture "${a}" never matches (Docker compares with Go's GOARCH, e.g. amd64, arm64)`,
      );
    });
    if (sel.minKernel !== undefined && sel.minKernel !== '' && !/^\d{1,3}\.\d{1,3}$/.test(sel.minKernel)) {
      this.report(
        this.at(sel, 'minKernel', r.pos),
        'error',
        'seccomp-bad-min-kernel',
        `${where}.minKernel "${sel.minKernel}" is invalid: Docker expects "<kernel>.<major>", e.g. "4.8"`,
      );
    } else if (sel.minKernel?.split('.').some((x) => Number(x) > 255)) {
      this.report(
        this.at(sel, 'minKernel', r.pos),
        'error',
        'seccomp-bad-min-kernel',
        `${where}.minKernel "${sel.minKernel}" is invalid: Docker reads each part as an 8-bit number`,
      );
    }
  }

  /** The arches this rule can end up on, given the profile's arch list and the rule's arch selectors. */
  private ruleArches(r: SyscallRule): ArchInfo[] {
    const inc = r.includes?.arches?.map(resolveGoArch);
    const exc = r.excludes?.arches?.map(resolveGoArch);
    // Docker matches selectors against the host's (native) arch, then loads that archMap entry with its subs.
    const selected = (native: ArchInfo | undefined) =>
      !!native &&
      (!inc || inc.some((x) => x?.name === native.name)) &&
      !exc?.some((x) => x?.name === native.name);
    const out = new Map<string, ArchInfo>();
    if (this.p.archMap?.length) {
      for (const e of this.p.archMap) {
        const native = findArch(e.architecture);
        if (!selected(native)) continue;
        for (const s of [e.architecture, ...e.subArchitectures]) {
          const info = findArch(s);
          if (info) out.set(info.name, info);
        }
      }
    } else {
      for (const a of this.p.architectures) {
        const info = findArch(a);
        if (selected(info) && info) out.set(info.name, info);
      }
    }
    return [...out.values()];
  }

  private checkNames(r: SyscallRule): void {
    const arches = this.ruleArches(r);
    r.names.forEach((name, i) => {
      const pos = r.namePos?.[i] ?? r.pos ?? this.fallback;
      if (!isKnownSyscall(name)) {
        this.report(
          pos,
          'error',
          'seccomp-unknown-syscall',
          `unknown syscall "${name}"${didYouMean(suggestSyscall(name))}: it exists on no architecture, so this rule does nothing`,
        );
        return;
      }
      const missing = arches.filter((a) => syscallNumber(a.name, name) === undefined);
      if (missing.length === 0) return;
      const all = missing.length === arches.length;
      this.report(
        pos,
        'warning',
        'seccomp-unknown-syscall-for-arch',
        `syscall "${name}" does not exist on ${missing.map((a) => a.name).join(', ')}${
          all ? " (none of this rule's architectures)" : ''
        }; the rule is skipped there`,
      );
    });
  }

  /**
   * libseccomp merges a rule identical to an existing one (same syscall, same comparisons) when the action
   * matches, and fails with EEXIST when it does not, and the container does not start. Rules with Docker
   * selectors only meet when their selectors are identical (otherwise they may never both apply).
   */
  private checkDuplicates(): void {
    const seen = new Map<string, { action: string; shown: string; pos: SourcePos }>();
    const defaultKey = actionKey({
      action: this.p.defaultAction,
      errnoRet: this.p.defaultErrnoRet,
    } as SyscallRule);
    for (const r of this.p.syscalls) {
      if (!(ACTIONS as readonly string[]).includes(r.action)) continue;
      if (r.args.some((a) => !(OPERATORS as readonly string[]).includes(a.op))) continue;
      const action = actionKey(r);
      const shown = takesErrno(r.action) ? `${r.action} (errno ${r.errnoRet ?? 1})` : r.action;
      const cond = `${selectorKey(r.includes)}|${selectorKey(r.excludes)}|${argsKey(r.args)}`;
      r.names.forEach((name, i) => {
        const pos = r.namePos?.[i] ?? r.pos ?? this.fallback;
        const key = `${name}|${cond}`;
        const prev = seen.get(key);
        if (!prev) {
          seen.set(key, { action, shown, pos });
          return;
        }
        const where = `${prev.pos.line}:${prev.pos.column}`;
        if (prev.action === action) {
          this.report(
            pos,
            'warning',
            'seccomp-duplicate-rule',
            `"${name}" with the same conditions and action is already listed at ${where}`,
          );
        } else if (prev.action === defaultKey || action === defaultKey) {
          // runc drops a rule whose action equals the default before libseccomp sees it: no clash.
          return;
        } else if (r.args.length === 0) {
          // db_rule_add keeps an existing unconditional entry and drops the newcomer, whatever its action.
          this.report(
            pos,
            'warning',
            'seccomp-conflicting-rule',
            `"${name}" is already listed at ${where} with ${prev.shown}, here ${shown}: libseccomp keeps the first unconditional rule, so this one never applies`,
          );
        } else {
          this.report(
            pos,
            'error',
            'seccomp-conflicting-rule',
            `"${name}" with identical conditions is already listed at ${where} with ${prev.shown}, here ${shown}: libseccomp refuses this (EEXIST) and the container fails to start`,
          );
        }
      });
    }
  }
}

function resolveGoArch(a: string): ArchInfo | undefined {
  return archOfGoarch(a) ?? findArch(a);
}

function actionKey(r: SyscallRule): string {
  const a = canonicalAction(r.action);
  // runc's default return code for ERRNO and TRACE is EPERM (1).
  return takesErrno(a) ? `${a}(${r.errnoRet ?? 1})` : a;
}

function selectorKey(s: RuleSelector | undefined): string {
  if (!s) return '-';
  const sorted = (x: string[] | undefined) => (x?.length ? [...x].sort().join(',') : '');
  return `caps=${sorted(s.caps)};arches=${sorted(s.arches)};kernel=${s.minKernel ?? ''}`;
}

function argsKey(args: ArgCondition[]): string {
  // libseccomp orders comparisons by argument, so the written order does not matter; valueTwo is only read
  // by MASKED_EQ.
  return args
    .map((a) => `${a.index}:${a.op}:${a.value}:${a.op === 'SCMP_CMP_MASKED_EQ' ? a.valueTwo : 0n}`)
    .sort()
    .join('&');
}
