import { type AuditCheck, eachContainer } from '../types.js';

export const seccompUnconfined: AuditCheck<'unconfined' | 'k8sDefault'> = {
  meta: {
    id: 'seccomp-unconfined',
    description: 'A container runs without a seccomp filter.',
    severity: 'high',
    remediation:
      'Set seccompProfile type RuntimeDefault (or Localhost with a generated profile: `breakwater harden`); never seccomp=unconfined.',
    techniques: [
      'cgroup-release-agent-unshare',
      'fsconfig-heap-overflow',
      'dirty-pipe-splice-overwrite',
      'shocker-open-by-handle-at',
      'cap-sys-module-load-module',
    ],
    messages: {
      unconfined:
        '{{label}} runs seccomp Unconfined: every syscall the kernel has, including unshare(CLONE_NEWUSER), keyctl, bpf, io_uring',
      k8sDefault:
        '{{label}} sets no seccompProfile: the kubelet runs it Unconfined unless started with --seccomp-default',
    },
  },
  run(ctx, report) {
    const w = ctx.workload;
    for (const { c, label } of eachContainer(w)) {
      if (c.privileged?.value) continue; // privileged says it louder
      if (c.seccomp?.value.type === 'unconfined')
        report({ messageId: 'unconfined', data: { label }, pos: c.seccomp.pos });
      // Only Kubernetes leaves seccomp off when nothing is said (Docker/podman apply their default).
      else if (!c.seccomp && w.source === 'kubernetes')
        report({ messageId: 'k8sDefault', data: { label }, pos: c.pos });
    }
  },
};
