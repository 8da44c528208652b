import { MODPROBE_PATHS } from '../../probes.js';
import { writableCheck } from '../../writable.js';

export const writableModprobe = writableCheck({
  id: 'writable-modprobe',
  description: '/proc/sys/kernel/modprobe is writable.',
  severity: 'critical',
  remediation:
    'Deny writes to /proc/sys/kernel except shm* (`deny @{PROC}/sys/kernel/{?,??,[^s][^h][^m]**} w,`).',
  paths: MODPROBE_PATHS,
  why: 'the host kernel runs this program as root whenever it wants a module, which an unprivileged process can trigger (an unknown binary format or socket family)',
});
