import { CORE_PATTERN_PATHS } from '../../probes.js';
import { writableCheck } from '../../writable.js';

export const writableCorePattern = writableCheck({
  id: 'writable-core-pattern',
  description: '/proc/sys/kernel/core_pattern is writable.',
  severity: 'critical',
  remediation:
    'Deny writes to /proc/sys/kernel except shm* (`deny @{PROC}/sys/kernel/{?,??,[^s][^h][^m]**} w,`).',
  paths: CORE_PATTERN_PATHS,
  why: 'a `|/path` core pattern makes the host kernel run that program as root on the next crash (CVE-2022-0811 reached it through CRI-O sysctls)',
});
