import type { AuditCheck } from '../types.js';

export const dockerfileProcTrap: AuditCheck<'procVolume' | 'procWorkdir'> = {
  meta: {
    id: 'dockerfile-proc-trap',
    description:
      'The image sets a trap for the runtime: a VOLUME over /proc or a WORKDIR under /proc/<pid>/fd.',
    severity: 'critical',
    remediation: 'Remove VOLUME over /proc and WORKDIR under /proc; upgrade runc (>= 1.1.12).',
    techniques: ['runc-proc-volume-apparmor-bypass', 'runc-volume-proc-mount-race', 'runc-leaked-fd-workdir'],
    messages: {
      procVolume:
        'VOLUME {{path}} puts a volume over /proc: runc before 1.0.0-rc9 applied the AppArmor profile through it, so the container ran unconfined (CVE-2019-16884)',
      procWorkdir:
        'WORKDIR {{path}} is a /proc file descriptor: runc 1.0.0-rc93 to 1.1.11 leaked a host directory there (CVE-2024-21626), giving the process a cwd on the host',
    },
  },
  run(ctx, report) {
    const d = ctx.workload.dockerfile;
    for (const v of d?.volumes ?? [])
      if (/^\/proc(\/|$)/.test(v.value))
        report({ messageId: 'procVolume', data: { path: v.value }, pos: v.pos });
    // Every WORKDIR of every stage (the build runs them all), else the final container's.
    const workdirs = d?.workdirs ?? ctx.workload.containers.flatMap((c) => (c.workdir ? [c.workdir] : []));
    for (const w of workdirs)
      if (/^\/proc\/(self|thread-self|\d+)\/fd(\/|$)/.test(w.value))
        report({ messageId: 'procWorkdir', data: { path: w.value }, pos: w.pos });
  },
};
