import type { ManagementRule } from '../types.js';

/**
 * CVE-2022-0811: CRI-O (1.19.0 - 1.23.1) joined pod sysctls with "+" for pinns, which split on
 * "+", so a value smuggled kernel.core_pattern (not namespaced: the host's) past the name check.
 * A runtime only sets namespaced sysctls for a pod; the host-global ones that make the kernel run a
 * program (core_pattern's pipe, modprobe) are never its business.
 */
export const rules: ManagementRule[] = [
  {
    component: 'runtime',
    techniques: ['crio-sysctl-injection-core-pattern'],
    why: 'pinns writing kernel.core_pattern sets the host-global crash handler the kernel runs as root',
    rule: { kind: 'file', path: '/proc/sys/kernel/core_pattern', perms: 'w' },
  },
  {
    component: 'runtime',
    techniques: ['crio-sysctl-injection-core-pattern'],
    why: 'pinns writing kernel.modprobe sets the host-global helper the kernel runs as root',
    rule: { kind: 'file', path: '/proc/sys/kernel/modprobe', perms: 'w' },
  },
];
