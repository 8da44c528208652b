import { PROC_SYS_PATHS } from '../../probes.js';
import { writableCheck } from '../../writable.js';

export const writableProcSys = writableCheck({
  id: 'writable-proc-sys',
  description: 'A host-wide /proc/sys setting is writable.',
  severity: 'high',
  remediation:
    'Deny writes under /proc/sys as docker-default does (`deny @{PROC}/sys/[^k]** w,` and `deny @{PROC}/sys/kernel/{?,??,[^s][^h][^m]**} w,`).',
  paths: PROC_SYS_PATHS,
  why: 'most /proc/sys settings are not namespaced, so a container that writes them changes the host kernel',
});
