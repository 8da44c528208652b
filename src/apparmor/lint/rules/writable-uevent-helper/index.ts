import { UEVENT_HELPER_PATHS } from '../../probes.js';
import { writableCheck } from '../../writable.js';

export const writableUeventHelper = writableCheck({
  id: 'writable-uevent-helper',
  description: '/sys/kernel/uevent_helper is writable.',
  severity: 'critical',
  remediation: 'Deny writes to /sys/kernel (`deny /sys/[^f]*/** wklx,` as docker-default does).',
  paths: UEVENT_HELPER_PATHS,
  why: 'the host kernel runs the uevent helper as root on every device event',
});
