/**
 * A seccomp profile as the line format bwlab.c compiles with libseccomp (lab/vulnerable/common/bwlab.h):
 * the profile resolved for x86_64 and the container's capabilities exactly as dockerd hands it to
 * runc, then each rule as runc's libcontainer/seccomp adds it — in particular, conditions that repeat
 * an argument index become separate rules (libseccomp cannot AND two conditions on one argument).
 */
import type { ActionName, ArgCondition, SeccompProfile } from '../../seccomp/model.js';
import { resolveProfile } from '../../seccomp/resolve.js';

const OP: Record<ArgCondition['op'], string> = {
  SCMP_CMP_NE: 'ne',
  SCMP_CMP_LT: 'lt',
  SCMP_CMP_LE: 'le',
  SCMP_CMP_EQ: 'eq',
  SCMP_CMP_GE: 'ge',
  SCMP_CMP_GT: 'gt',
  SCMP_CMP_MASKED_EQ: 'masked_eq',
};

const EPERM = 1;
/** What a SCMP_ACT_TRACE rule returns when no tracer is attached. */
const ENOSYS = 38;

function action(name: ActionName, errnoRet: number | undefined): string {
  switch (name) {
    case 'SCMP_ACT_ALLOW':
      return 'allow';
    case 'SCMP_ACT_ERRNO':
      return `errno ${errnoRet ?? EPERM}`;
    case 'SCMP_ACT_TRACE':
      return `errno ${ENOSYS}`;
    case 'SCMP_ACT_KILL':
    case 'SCMP_ACT_KILL_THREAD':
    case 'SCMP_ACT_KILL_PROCESS':
      return 'kill';
    case 'SCMP_ACT_TRAP':
      return 'trap';
    case 'SCMP_ACT_LOG':
      return 'log';
    default:
      // Fail closed: an action the lab cannot reproduce is an error, not an allow.
      throw new Error(`seccomp rules: action ${name} has no lab equivalent`);
  }
}

const cond = (c: ArgCondition): string =>
  `${c.index} ${OP[c.op]} ${c.value}${c.op === 'SCMP_CMP_MASKED_EQ' ? ` ${c.valueTwo}` : ''}`;

/** The rule file text for `profile` as applied to a container with `caps` on x86_64. */
export function seccompRulesText(profile: SeccompProfile, caps: readonly string[]): string {
  const resolved = resolveProfile(profile, { arch: 'x86_64', caps: [...caps] });
  const lines = [`default ${action(resolved.defaultAction, resolved.defaultErrnoRet)}`];
  for (const rule of resolved.syscalls) {
    const act = action(rule.action, rule.errnoRet ?? resolved.defaultErrnoRet);
    const indexes = rule.args.map((a) => a.index);
    const repeated = new Set(indexes).size !== indexes.length;
    const groups = repeated ? rule.args.map((a) => [a]) : [rule.args];
    for (const name of rule.names)
      for (const g of groups) lines.push(`${act} ${name}${g.map((c) => ` ${cond(c)}`).join('')}`);
  }
  return `${lines.join('\n')}\n`;
}
