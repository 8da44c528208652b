import type { ManagementRule } from '../types.js';

/**
 * CVE-2023-28642: the image's /proc is a symlink, procfs is mounted at its target and a volume
 * there covers it, so the runtime's AppArmor label write (to /proc/self/attr/...) lands in a plain
 * file below the volume (/fakeproc/self/attr/... in the lab) and the container runs unconfined.
 * The rule that refuses that write is the one of runc-proc-volume-apparmor-bypass (a deny on
 * writes below any literal `self/attr` or `thread-self/attr`), which names this technique too; it
 * is defined once, there. Nothing else in the procedure is refusable by path: mounting procfs and
 * a volume are normal runtime work.
 */
export const rules: ManagementRule[] = [];
