import { syscallNumber } from '../../../syscalls/index.js';
import type { SeccompDecision } from '../../../types.js';
import type { LintContext } from '../../context.js';
import { permits, type Sampled, sampleDecisions } from '../../probe.js';
import type { Check } from '../../types.js';

/** Syscalls at the heart of known container escapes: mounts, namespaces, keyrings, BPF, tracing, modules. */
export const ESCAPE_SYSCALLS = [
  'mount',
  'umount',
  'umount2',
  'move_mount',
  'open_tree',
  'fsopen',
  'fsconfig',
  'fsmount',
  'fspick',
  'mount_setattr',
  'unshare',
  'setns',
  'pivot_root',
  'open_by_handle_at',
  'name_to_handle_at',
  'keyctl',
  'add_key',
  'request_key',
  'bpf',
  'perf_event_open',
  'userfaultfd',
  'io_uring_setup',
  'io_uring_enter',
  'io_uring_register',
  'ptrace',
  'process_vm_writev',
  'process_vm_readv',
  'init_module',
  'finit_module',
  'delete_module',
  'kexec_load',
  'kexec_file_load',
] as const;

/** include/uapi/linux/sched.h */
export const CLONE_NEWUSER = 0x10000000n;

function via(ctx: LintContext, d: SeccompDecision): string {
  if (d.source === 'rule' && d.rule?.pos)
    return `by the rule at line ${d.rule.pos.line}:${d.rule.pos.column}`;
  if (d.source === 'default') return `by the default action ${ctx.profile.defaultAction}`;
  return `by ${d.source}`;
}

/** The flags argument with CLONE_NEWUSER set, on top of each sampled vector (clone and unshare take flags in arg0 on x86_64). */
const withNewUser = (args: bigint[]): bigint[] => [(args[0] ?? 0n) | CLONE_NEWUSER, ...args.slice(1)];

export const escapeSyscallOpen: Check<'open' | 'newUser' | 'clone3'> = {
  meta: {
    id: 'escape-syscall-open',
    description:
      'A syscall used in container escapes (mount, unshare, bpf, ptrace, kernel modules...) is allowed.',
    severity: 'high',
    remediation:
      'Deny the syscall (remove it from allow rules) unless the workload needs it; for clone and unshare, mask out CLONE_NEWUSER as Docker does.',
    messages: {
      open: '{{syscall}} is allowed {{via}}; it is a common container-escape primitive, deny it unless the workload needs it',
      newUser:
        '{{syscall}} can create a user namespace: CLONE_NEWUSER is allowed {{via}}; add the condition {"index": 0, "value": 2114060288, "op": "SCMP_CMP_MASKED_EQ", "valueTwo": 0} as Docker does',
      clone3:
        'clone3 is allowed {{via}}; its flags live in memory seccomp cannot read, so CLONE_NEWUSER cannot be filtered: answer it with SCMP_ACT_ERRNO and errnoRet 38 (ENOSYS) so libc falls back to clone',
    },
  },
  run(ctx, report) {
    const arch = 'x86_64';
    const c = ctx.compiledFor(arch);
    if (!c) return;
    const firstAllowed = (samples: Sampled[]): SeccompDecision | undefined =>
      samples.find((s) => permits(s.decision))?.decision;
    const emit = (messageId: 'open' | 'newUser' | 'clone3', syscall: string, d: SeccompDecision): void =>
      report({ messageId, data: { syscall, via: via(ctx, d) }, pos: d.rule?.pos ?? ctx.defaultActionPos() });

    for (const syscall of ['clone', 'clone3', ...ESCAPE_SYSCALLS]) {
      const nr = syscallNumber(arch, syscall);
      if (nr === undefined) continue;
      if (syscall === 'clone' || syscall === 'unshare') {
        // Plain CLONE_NEWUSER first, then every sampled vector with the flag added, so a rule that
        // allows CLONE_NEWUSER only next to some other flag is found too.
        const nu = [
          ...sampleDecisions(c, arch, nr, [], () => [CLONE_NEWUSER]),
          ...sampleDecisions(c, arch, nr, [], withNewUser),
        ];
        const d = firstAllowed(nu);
        if (d) {
          emit('newUser', syscall, d);
          continue;
        }
        if (syscall === 'clone') continue; // clone without new namespaces is how threads are made
      }
      const d = firstAllowed(sampleDecisions(c, arch, nr));
      if (d) emit(syscall === 'clone3' ? 'clone3' : 'open', syscall, d);
    }
  },
};
