import type { AuditCheck } from '../types.js';

export const hostNamespaces: AuditCheck<'pid' | 'network' | 'ipc' | 'cgroup'> = {
  meta: {
    id: 'host-namespaces',
    description: 'The workload shares a host namespace (PID, network, IPC or cgroup).',
    severity: 'high',
    remediation:
      'Remove hostPID / hostNetwork / hostIPC (pid/network_mode/ipc: host, --pid/--network/--ipc host).',
    techniques: [
      'host-pid-ptrace-host-process',
      'host-pid-nsenter-host-init',
      'host-pid-proc-root-access',
      'host-network-loopback-services',
      'containerd-shim-abstract-socket',
    ],
    messages: {
      pid: 'shares the host PID namespace: every host process is visible; with CAP_SYS_PTRACE or a weak profile it is /proc/1/root and nsenter away from the host',
      network:
        "shares the host network namespace: host services on loopback and the host's abstract unix sockets (containerd-shim before 1.4.3: CVE-2020-15257) are reachable",
      ipc: 'shares the host IPC namespace: host shared memory and semaphores are readable and writable',
      cgroup: 'shares the host cgroup namespace: the host cgroup tree is visible',
    },
  },
  run(ctx, report) {
    const w = ctx.workload;
    if (w.hostPid?.value) report({ messageId: 'pid', data: {}, pos: w.hostPid.pos });
    if (w.hostNetwork?.value) report({ messageId: 'network', data: {}, pos: w.hostNetwork.pos });
    if (w.hostIpc?.value) report({ messageId: 'ipc', data: {}, pos: w.hostIpc.pos });
    if (w.cgroupnsHost?.value) report({ messageId: 'cgroup', data: {}, pos: w.cgroupnsHost.pos });
  },
};
