import { type AuditCheck, eachContainer } from '../types.js';

/** Capabilities that are escapes on their own, with the technique and why. */
const DANGEROUS: Record<string, string> = {
  all: 'every capability: the same as privileged for the kernel',
  sys_admin:
    'mount, unshare and most admin interfaces: cgroup release_agent (CVE-2022-0492), fsconfig (CVE-2022-0185)',
  sys_module: 'loads kernel code',
  sys_ptrace: 'traces any visible process (with the host PID namespace: host processes)',
  dac_read_search: 'open_by_handle_at reads any host file by handle (the Shocker escape)',
  sys_rawio: 'raw I/O ports and /dev/mem',
  bpf: 'loads BPF programs into the kernel',
  perfmon: 'perf_event_open on the kernel',
  syslog: 'kernel log and kernel addresses',
  net_admin: 'reconfigures the network namespace (with the host network: the host)',
  sys_boot: 'reboots the host, kexec',
  mac_admin: 'changes AppArmor/SELinux policy',
  mac_override: 'overrides AppArmor/SELinux',
};

export const dangerousCapability: AuditCheck<'capability'> = {
  meta: {
    id: 'dangerous-capability',
    description: 'A container is given a capability that is an escape on its own.',
    severity: 'critical',
    remediation: 'Drop the capability (capabilities.drop: [ALL], then add only what the workload needs).',
    techniques: [
      'cap-sys-admin-release-agent',
      'cap-sys-module-load-module',
      'shocker-open-by-handle-at',
      'host-pid-ptrace-host-process',
      'fsconfig-heap-overflow',
      'device-mknod-block-device',
    ],
    messages: { capability: '{{label}} adds {{capability}}: {{why}}' },
  },
  run(ctx, report) {
    for (const { c, label } of eachContainer(ctx.workload))
      for (const a of c.capAdd) {
        const why = DANGEROUS[a.value];
        if (why)
          report({
            messageId: 'capability',
            data: { label, capability: a.value.toUpperCase(), why },
            pos: a.pos,
          });
      }
  },
};
