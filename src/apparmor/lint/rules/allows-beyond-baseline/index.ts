import type { AppArmorQuery, CompiledProfile } from '../../../evaluate.js';
import { globExamples } from '../../../glob-examples.js';
import { ADDRESS_FAMILIES, CAPABILITIES, SOCKET_TYPES } from '../../../tables.js';
import { type Allowed, type AppArmorLintContext, byRule, sample } from '../../context.js';
import {
  ABSTRACT_ADDRS,
  CORE_PATTERN_PATHS,
  MODPROBE_PATHS,
  MOUNT_QUERIES,
  PEERS,
  PIVOT_ROOT_QUERIES,
  PROC_MEM_PATHS,
  PROC_SYS_PATHS,
  RELEASE_AGENT_PATHS,
  RUNTIME_SOCKETS,
  SELF,
  SYS_PATHS,
  SYSRQ_PATHS,
  UEVENT_HELPER_PATHS,
  UMOUNT_TARGETS,
} from '../../probes.js';
import { at, type Check } from '../../types.js';

const FILE_PERMS = ['r', 'w', 'a', 'l', 'k', 'm', 'x'];
const SIGNALS = ['kill', 'term', 'stop'];

/**
 * The paths worth asking both profiles about: examples of every path the profile grants, of every
 * path the baseline denies (the baseline's deny rules say exactly where it draws lines), and the
 * host-control files the other checks probe.
 */
function witnessPaths(profile: CompiledProfile, baseline: CompiledProfile): string[] {
  const paths = new Set<string>([
    ...PROC_SYS_PATHS,
    ...SYS_PATHS,
    ...SYSRQ_PATHS,
    ...CORE_PATTERN_PATHS,
    ...MODPROBE_PATHS,
    ...UEVENT_HELPER_PATHS,
    ...RELEASE_AGENT_PATHS,
    ...PROC_MEM_PATHS,
    ...RUNTIME_SOCKETS,
  ]);
  for (const r of profile.file) if (!r.deny && r.path) for (const p of globExamples(r.path)) paths.add(p);
  for (const r of baseline.file) if (r.deny && r.path) for (const p of globExamples(r.path)) paths.add(p);
  return [...paths];
}

/** Every probe, as a function of whose label "self" is (the two profiles have different names). */
function* probes(ctx: AppArmorLintContext): Generator<(self: string) => AppArmorQuery> {
  for (const path of witnessPaths(ctx.profile, ctx.baseline))
    for (const perms of FILE_PERMS) yield () => ({ class: 'file', path, perms, owner: false });
  for (const name of CAPABILITIES) yield () => ({ class: 'capability', name });
  for (const domain of ADDRESS_FAMILIES)
    for (const type of SOCKET_TYPES) yield () => ({ class: 'network', domain, type });
  for (const q of MOUNT_QUERIES) yield () => q;
  for (const target of UMOUNT_TARGETS) yield () => ({ class: 'umount', target });
  for (const q of PIVOT_ROOT_QUERIES) yield () => q;
  const peer = (p: string, self: string) => (p === SELF ? self : p);
  for (const p of PEERS) {
    // Outbound only (read, trace, send): what the container can do to others. readby/tracedby and
    // receive loosen who may act on the container, which is not an escape.
    for (const access of ['read', 'trace'])
      yield (self) => ({ class: 'ptrace', access, peer: peer(p, self) });
    for (const signal of SIGNALS)
      yield (self) => ({ class: 'signal', access: 'send', signal, peer: peer(p, self) });
  }
  // Without unix rules a baseline leaves unix sockets to the kernel's socket-create check (network
  // rules): comparing our unix-rule verdicts against "no rules" would invent differences.
  if (ctx.baseline.unix.length)
    for (const addr of ABSTRACT_ADDRS)
      for (const access of ['connect', 'send', 'bind']) yield () => ({ class: 'unix', access, addr });
}

function describe(q: AppArmorQuery): string {
  switch (q.class) {
    case 'file':
      return `${q.perms} ${q.path}`;
    case 'capability':
      return `capability ${q.name}`;
    case 'network':
      return `network ${q.domain} ${q.type ?? ''}`.trim();
    case 'mount':
      return `mount${q.fstype ? ` fstype=${q.fstype}` : ''}${q.options?.length ? ` options=${q.options.join(',')}` : ''} -> ${q.target}`;
    case 'umount':
      return `umount ${q.target}`;
    case 'pivot_root':
      return `pivot_root ${q.new_root}`;
    case 'ptrace':
      return `ptrace ${q.access} peer=${q.peer}`;
    case 'signal':
      return `signal ${q.access} ${q.signal} peer=${q.peer}`;
    case 'unix':
      return `unix ${q.access} ${q.addr ?? ''}`.trim();
  }
}

/** One example per path (its permissions together: `wa /proc/sys/x`), one per other request. */
function examples(allowed: Allowed[]): string[] {
  const perms = new Map<string, string>();
  const out: string[] = [];
  for (const { query: q } of allowed) {
    if (q.class !== 'file') out.push(describe(q));
    else {
      const key = `${q.path}${q.owner ? ' (owned)' : ''}`;
      perms.set(key, (perms.get(key) ?? '') + q.perms);
    }
  }
  return [...[...perms].map(([path, p]) => `${p} ${path}`), ...out];
}

export const allowsBeyondBaseline: Check<'beyond'> = {
  meta: {
    id: 'allows-beyond-baseline',
    description: 'A rule allows something the baseline profile (docker-default unless chosen) denies.',
    severity: 'medium',
    remediation:
      "Narrow the rule to what the workload needs, or add the baseline's deny rule; if the exception is intended, document why next to the rule.",
    messages: {
      beyond: '`{{rule}}` allows {{examples}}, which {{baseline}} denies ({{because}})',
    },
  },
  run(ctx, report) {
    const witnesses: Allowed[] = [];
    const because = new Map<Allowed, string>();
    for (const make of probes(ctx)) {
      let q = make(ctx.profile.name);
      let a = ctx.allows(q);
      // A file the task does not own first; container root owns root's files, so `owner` rules count too.
      if (!a && q.class === 'file') {
        q = { ...q, owner: true };
        a = ctx.allows(q);
      }
      if (!a) continue;
      const b = ctx.decide(
        { ...make(ctx.baseline.name), ...(q.class === 'file' ? { owner: q.owner } : {}) } as AppArmorQuery,
        ctx.baseline,
      );
      if (b.decision === 'allow') continue;
      witnesses.push(a);
      because.set(a, b.rule ? `\`${b.rule.text}\`` : 'nothing there allows it');
    }
    for (const g of byRule(witnesses)) {
      const first = g.allowed[0] as Allowed;
      report({
        messageId: 'beyond',
        data: {
          rule: g.rule.text,
          examples: sample(examples(g.allowed)),
          baseline: ctx.baseline.name,
          because: because.get(first) ?? '',
          count: g.allowed.length,
        },
        pos: at(g.rule),
      });
    }
  },
};
