import { SYSRQ_PATHS } from '../../probes.js';
import { writableCheck } from '../../writable.js';

export const writableSysrqTrigger = writableCheck({
  id: 'writable-sysrq-trigger',
  description: '/proc/sysrq-trigger is writable.',
  severity: 'critical',
  remediation: 'Deny it: `deny @{PROC}/sysrq-trigger rwklx,`.',
  paths: SYSRQ_PATHS,
  why: 'one byte reboots, crashes or freezes the host (`echo c > /proc/sysrq-trigger`)',
});
