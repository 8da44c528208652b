import { RELEASE_AGENT_PATHS } from '../../probes.js';
import { writableCheck } from '../../writable.js';

export const writableReleaseAgent = writableCheck({
  id: 'writable-release-agent',
  description: 'A cgroup v1 release_agent is writable.',
  severity: 'critical',
  remediation:
    'Deny it explicitly (`deny /sys/fs/cgroup/**/release_agent w,` and `deny /**/release_agent w,` against cgroupfs mounted elsewhere) and mount /sys/fs/cgroup read-only.',
  paths: RELEASE_AGENT_PATHS,
  why: 'the host kernel runs the release_agent program as root when a cgroup with notify_on_release empties (CVE-2022-0492)',
});
