import { isKnownSyscall } from '../../../syscalls/index.js';
import type { Check } from '../../types.js';

export const libseccompUnknownName: Check<'unknownToLibseccomp'> = {
  meta: {
    id: 'libseccomp-unknown-name',
    description:
      'A rule names a syscall an older libseccomp does not know, so runc linked against it skips the rule silently.',
    severity: 'medium',
    remediation:
      'Run the container on hosts whose runc links a libseccomp that knows the syscall, or do not rely on the rule there (for a deny rule, the default action must cover the syscall).',
    messages: {
      unknownToLibseccomp:
        '{{name}} is unknown to {{versions}}: runc built against it skips this {{action}} rule silently (log: "unknown seccomp syscall ignored"); use a newer libseccomp on those hosts or make the default action cover it',
    },
  },
  run(ctx, report) {
    // Per (rule, name): which libseccomp versions skip it. The evaluator decides what is skipped:
    // compile with each list as the runtime's knownSyscalls and read back skippedNames.
    const skipped = new Map<
      string,
      { index: number; name: string; pos: ReturnType<typeof ctx.namePos>; labels: string[] }
    >();
    for (const list of ctx.knownLists()) {
      const c = ctx.compiledKnowing(list);
      if (!c) continue;
      for (const s of c.skippedNames) {
        // A name no table knows is a typo: unknown-syscall-for-arch reports it.
        if (!isKnownSyscall(s.name)) continue;
        const key = `${s.rule.index}\0${s.name}`;
        const entry = skipped.get(key) ?? { index: s.rule.index, name: s.name, pos: s.rule.pos, labels: [] };
        entry.labels.push(list.label);
        skipped.set(key, entry);
      }
    }
    for (const s of skipped.values()) {
      const action = ctx.profile.syscalls[s.index]?.action ?? '';
      report({
        messageId: 'unknownToLibseccomp',
        data: { name: s.name, versions: s.labels.join(', '), action },
        pos: s.pos ?? ctx.namePos(s.index),
      });
    }
  },
};
