import { PROC_MEM_PATHS } from '../../probes.js';
import { writableCheck } from '../../writable.js';

export const writableProcMem = writableCheck({
  id: 'writable-proc-mem',
  description: 'A process memory file (/proc/<pid>/mem) is writable.',
  severity: 'high',
  remediation: 'Deny it: `deny @{PROC}/*/mem w,` (and never share the host PID namespace).',
  paths: PROC_MEM_PATHS,
  why: "writing /proc/<pid>/mem patches another process's code; with the host PID namespace that is a host process (and it is how Dirty COW variants write read-only mappings)",
});
