import type { Technique } from '../schema.js';

/**
 * CVE-2022-0811 ("cr8escape"). CRI-O passed pod sysctls to pinns joined with "+", and pinns split
 * on "+", so one allowed sysctl value could carry a second, non-namespaced one: kernel.core_pattern.
 */
export const technique = {
  id: 'crio-sysctl-injection-core-pattern',
  title: 'CRI-O sysctl injection sets the host kernel.core_pattern (CVE-2022-0811)',
  class: 'runtime',
  severity: 'high',
  cves: ['CVE-2022-0811'],
  summary:
    'A pod asks for an allowed sysctl whose value contains "+kernel.core_pattern=|/path/to/payload". CRI-O ' +
    'hands the list to pinns separated by "+", so pinns, as host root, also sets kernel.core_pattern, ' +
    'which is not namespaced. Crashing any process in the pod then makes the host kernel run the payload ' +
    'from the container filesystem as root.',
  affected: [
    {
      component: 'cri-o',
      // Introduced in 1.19.0; fixed in 1.19.6, 1.20.7, 1.21.6, 1.22.3, 1.23.2 (OSV GO-2022-0354;
      // the GHSA-6x2m-w449-qwx7 merges are first in exactly those tags of cri-o/cri-o).
      ranges: [
        { introduced: '1.19.0', fixed: '1.19.6', lastAffected: '1.19.5' },
        { introduced: '1.20.0', fixed: '1.20.7', lastAffected: '1.20.6' },
        { introduced: '1.21.0', fixed: '1.21.6', lastAffected: '1.21.5' },
        { introduced: '1.22.0', fixed: '1.22.3', lastAffected: '1.22.2' },
        { introduced: '1.23.0', fixed: '1.23.2', lastAffected: '1.23.1' },
      ],
      fixReference: 'https://github.com/cri-o/cri-o/security/advisories/GHSA-6x2m-w449-qwx7',
    },
  ],
  preconditions: {
    // With a user namespace for the pod, pinns sets the sysctls from inside it (pinns -U), and a
    // host-global sysctl is owned by the initial namespace's root: the write fails (EACCES,
    // measured in the lab VM).
    noUserNamespace: true,
    attackerControls: ['pod-spec'],
  },
  chains: [
    {
      id: 'pod-sysctl',
      description: 'Inject kernel.core_pattern through a pod sysctl, then crash a process.',
      steps: [
        {
          why: 'Write the payload in the container; its host path is under the overlay upper directory CRI-O uses.',
          primitive: { kind: 'file', path: '/malicious.sh', access: 'w' },
        },
        {
          why: 'pinns splits kernel.shm_rmid_forced=1+kernel.core_pattern=|/var/lib/containers/storage/overlay/<id>/diff/malicious.sh on "+" and writes both on the host.',
          primitive: {
            kind: 'runtime',
            component: 'cri-o',
            action: 'pinns sets an injected non-namespaced sysctl (kernel.core_pattern) on the host',
            performs: [
              {
                by: 'runtime',
                request: { class: 'file', path: '/proc/sys/kernel/core_pattern', perms: 'w' },
              },
            ],
          },
        },
        {
          why: 'Crash a process (kill -SEGV) so the kernel runs the core_pattern pipe as host root.',
          primitive: { kind: 'signal', signal: 'segv', peer: 'container' },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade CRI-O to 1.19.6, 1.20.7, 1.21.6, 1.22.3, 1.23.2 or later.',
    'Reject pods with sysctls containing "+" or "=" in their value (admission policy), and allow only needed sysctls.',
  ],
  references: [
    'https://github.com/cri-o/cri-o/security/advisories/GHSA-6x2m-w449-qwx7',
    'https://www.crowdstrike.com/blog/cr8escape-zero-day-vulnerability-discovered-in-cri-o-container-engine-cve-2022-0811',
    'https://nvd.nist.gov/vuln/detail/CVE-2022-0811',
  ],
} satisfies Technique;
