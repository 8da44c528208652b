import { type AuditCheck, eachContainer } from '../types.js';

export const privilegeEscalation: AuditCheck<'allowed' | 'unset'> = {
  meta: {
    id: 'privilege-escalation',
    description:
      'no-new-privileges is off: setuid binaries and file capabilities raise privileges inside the container.',
    severity: 'medium',
    remediation:
      'Set allowPrivilegeEscalation: false (Kubernetes) or --security-opt no-new-privileges (Docker, compose security_opt).',
    techniques: ['runc-exec-inheritable-capabilities', 'moby-inheritable-capabilities'],
    messages: {
      allowed:
        '{{label}} sets allowPrivilegeEscalation: true: execve honours setuid bits and file capabilities',
      unset:
        '{{label}} does not set no-new-privileges: execve honours setuid bits and file capabilities (CVE-2022-29162 gave exec processes capabilities this way)',
    },
  },
  run(ctx, report) {
    for (const { c, label } of eachContainer(ctx.workload)) {
      if (c.privileged?.value) continue;
      if (c.allowPrivilegeEscalation?.value === true)
        report({ messageId: 'allowed', data: { label }, pos: c.allowPrivilegeEscalation.pos });
      else if (
        c.allowPrivilegeEscalation === undefined &&
        !c.noNewPrivileges?.value &&
        ctx.workload.source !== 'dockerfile'
      )
        report({ messageId: 'unset', data: { label }, pos: c.pos });
    }
  },
};
