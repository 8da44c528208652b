import { NAMESPACED_SYSCTLS } from '../registry-helpers.js';
import { type AuditCheck, eachContainer } from '../types.js';

export const unsafeSysctl: AuditCheck<'injection' | 'hostGlobal'> = {
  meta: {
    id: 'unsafe-sysctl',
    description: 'A sysctl is host-global, or its value smuggles another sysctl (CRI-O CVE-2022-0811).',
    severity: 'critical',
    remediation:
      'Set only namespaced sysctls (kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*, net.*) with plain values.',
    techniques: ['crio-sysctl-injection-core-pattern', 'writable-core-pattern'],
    messages: {
      injection:
        '{{label}} sets {{name}}={{value}}: the `+`/`=` in the value makes CRI-O before 1.19.6/1.20.7/1.21.6/1.22.3/1.23.2 set a second sysctl ({{smuggled}}) on the host',
      hostGlobal: '{{label}} sets {{name}}, which is not namespaced: the container changes the host kernel',
    },
  },
  run(ctx, report) {
    for (const { c, label } of eachContainer(ctx.workload))
      for (const s of c.sysctls) {
        const { name, value } = s.value;
        const m = /[+=]\s*([a-z_.]+)\s*=/.exec(value);
        if (m)
          report({ messageId: 'injection', data: { label, name, value, smuggled: m[1] ?? '' }, pos: s.pos });
        else if (!NAMESPACED_SYSCTLS.some((re) => re.test(name)))
          report({ messageId: 'hostGlobal', data: { label, name }, pos: s.pos });
      }
  },
};
