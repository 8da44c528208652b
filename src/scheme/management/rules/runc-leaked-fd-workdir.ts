import type { ManagementRule } from '../types.js';

/**
 * CVE-2024-21626: no management-plane rule. The runtime's part, opening the host directory it
 * needs (the host's /sys/fs/cgroup) and chdir()ing to the configured working directory, is not
 * refusable: opening /sys/fs/cgroup is normal runtime work and AppArmor does not mediate chdir.
 * Everything the escape then reads or writes on the host, through `..` from that working
 * directory, is done by the container process under the container's profile.
 * What closes it: cwd-check (runc 1.1.12), a user namespace for writes to root-owned host files.
 */
export const rules: ManagementRule[] = [];
