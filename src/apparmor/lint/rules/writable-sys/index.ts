import { SYS_PATHS } from '../../probes.js';
import { writableCheck } from '../../writable.js';

export const writableSys = writableCheck({
  id: 'writable-sys',
  description: 'A host sysfs file (power, firmware, modules, security, debug) is writable.',
  severity: 'high',
  remediation:
    'Deny writes to /sys outside /sys/fs/cgroup as docker-default does (`deny /sys/[^f]*/** wklx,` and its /sys/f*, /sys/fs/* companions).',
  paths: SYS_PATHS,
  why: 'sysfs is not namespaced: these files suspend the host, load AppArmor policy, rescan buses or change module parameters',
});
