import { newFilter, resolveName } from '../../../libseccomp/filter.js';
import { type ArchName, isKnownSyscall, suggestSyscall } from '../../../syscalls/index.js';
import type { Check } from '../../types.js';

/**
 * libseccomp's answer for a name on an arch: a real number, a socketcall/ipc multiplexer pseudo number
 * (-101..-224, which still becomes a rule on the multiplexer) or its "absent on this arch" pseudo number
 * (-10000 and below, never generated into the BPF).
 */
const probe = newFilter('x86_64', { value: 0, origin: -1 });
function takesEffect(arch: ArchName, name: string): boolean {
  const nr = resolveName(probe, arch, name);
  return nr !== undefined && nr > -1000;
}

export const unknownSyscallForArch: Check<'missing' | 'unknown'> = {
  meta: {
    id: 'unknown-syscall-for-arch',
    description:
      "A rule names a syscall that does not exist on one of the profile's architectures, so it does nothing there.",
    severity: 'low',
    remediation:
      'Check the spelling; if the name is right, the rule only matters on the other arches: add the equivalent syscall for these arches, or drop the arches the workload never runs.',
    messages: {
      missing:
        '{{name}} does not exist on {{arches}}: runc skips the rule there silently and it protects nothing on those arches; add the equivalent syscall for them or drop those arches',
      unknown: '{{name}} is not a syscall on any architecture, so this rule does nothing{{suggestion}}',
    },
  },
  run(ctx, report) {
    const resolved = ctx.resolved();
    if (!resolved) return;
    // The arches in the filter: Docker's archMap entry for the host (native + sub-arches) or the flat
    // list, and always the native arch, which libseccomp adds itself.
    const arches: ArchName[] = [ctx.native];
    const c = ctx.compiled();
    for (const a of c ? c.filter.dbs.map((d) => d.arch.name) : []) if (!arches.includes(a)) arches.push(a);
    for (const rule of resolved.syscalls) {
      rule.names.forEach((name, i) => {
        const pos = rule.namePos?.[i] ?? rule.pos;
        if (!isKnownSyscall(name)) {
          const s = suggestSyscall(name);
          report({ messageId: 'unknown', data: { name, suggestion: s ? ` (did you mean ${s}?)` : '' }, pos });
          return;
        }
        const missing = arches.filter((a) => !takesEffect(a, name));
        if (missing.length > 0)
          report({ messageId: 'missing', data: { name, arches: missing.join(', ') }, pos });
      });
    }
  },
};
