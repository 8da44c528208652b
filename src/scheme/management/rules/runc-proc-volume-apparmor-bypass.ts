import type { ManagementRule } from '../types.js';

/**
 * CVE-2019-16884 (and CVE-2023-28642, which ends in the same write): the runtime writes the
 * container's AppArmor label to /proc/self/attr/apparmor/exec (or /proc/self/attr/exec) after an
 * image-supplied tree has replaced /proc, so the write lands in a plain file and the container
 * runs unconfined. AppArmor names a real procfs file by the resolved pid (`self` and `thread-self`
 * are symlinks: /proc/<pid>/attr/..., /proc/<pid>/task/<tid>/attr/...), never by a literal `self`
 * directory; only a fake tree has one. Denying writes below any `self/attr` or `thread-self/attr`
 * directory refuses the label write into the fake (the runtime then fails to start the container)
 * and never the real one.
 */
export const rules: ManagementRule[] = [
  {
    component: 'runtime',
    techniques: ['runc-proc-volume-apparmor-bypass', 'runc-proc-symlink-apparmor-bypass'],
    why: 'a write below a literal self/attr directory is a label write into a fake procfs tree: the real one is named /proc/<pid>/attr',
    rule: { kind: 'file', path: '/**/{self,thread-self}/attr/**', perms: 'w' },
  },
];
