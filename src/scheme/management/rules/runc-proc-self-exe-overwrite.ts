import type { ManagementRule } from '../types.js';

/**
 * CVE-2019-5736: no management-plane rule. Every step of the escape that AppArmor mediates runs
 * under a profile other than the runtime's or is indistinguishable from the runtime's own work:
 * - the kernel opens the interpreter `/proc/self/exe` (the runtime binary) for the runtime's exec
 *   child with the permission the runtime needs anyway to map its own binary (`m`), so a deny on
 *   the runtime binary would stop every runtime start, not only the trapped exec;
 * - the interpreter process runs under the container's profile (the label changes at that exec),
 *   and the container process opens /proc/<pid>/exe and writes the binary under the container's
 *   profile, which a management profile does not confine.
 * What closes it: memfd-reexec (runc 1.0.0-rc7), readonly-runtime-binary, a user namespace.
 */
export const rules: ManagementRule[] = [];
