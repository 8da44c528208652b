import type { ManagementRule } from '../types.js';

/**
 * CVE-2020-15257: containerd-shim (before 1.3.9 / 1.4.3) served its API on an abstract unix socket,
 * which any process of the host's network namespace can reach, host-network containers included.
 * Denying the shim an abstract listening address makes a vulnerable shim fail to start (it cannot
 * serve); a fixed shim listens on a filesystem socket and is unaffected. The kernel must mediate
 * unix sockets by address (AppArmor af_unix mediation: Ubuntu kernels, mainline 6.17 and later);
 * on a kernel without it (Debian's 6.1) apparmor_parser accepts the rule but nothing enforces it.
 * The shim's harm (a task from an attacker's bundle) is a legitimate-looking runtime call, so no
 * other management-plane rule stands in for this one.
 */
export const rules: ManagementRule[] = [
  {
    component: 'shim',
    techniques: ['containerd-shim-abstract-socket'],
    why: 'a shim serving its API on an abstract address is reachable from every host-network container',
    rule: { kind: 'unix', perms: ['bind', 'listen'], type: 'stream', addr: '@/containerd-shim/**' },
  },
];
