import { AT_FDCWD, RENAME_EXCHANGE } from '../constants.js';
import type { Technique } from '../schema.js';

/**
 * CVE-2025-52881. runc writes procfs files for the container (LSM labels under /proc/self/attr,
 * sysctls under /proc/sys) by path; racing mounts in a shared volume redirect those writes to a
 * dummy file (no LSM label) or to another procfs file (an arbitrary write gadget).
 */
export const technique = {
  id: 'runc-procfs-write-redirect',
  title: 'runc procfs writes redirected by racing mounts (CVE-2025-52881)',
  class: 'runtime',
  severity: 'high',
  cves: ['CVE-2025-52881'],
  summary:
    'A more general form of CVE-2019-19921: with racing mounts over a shared volume an attacker redirects ' +
    'the writes runc makes to procfs while it sets up a container. Redirecting the AppArmor or SELinux ' +
    'label write leaves the container unconfined; redirecting a sysctl write turns it into a write of ' +
    'attacker-chosen data to files such as /proc/sys/kernel/core_pattern or /proc/sysrq-trigger on the host.',
  affected: [
    {
      component: 'runc',
      // Changelog: "This issue affects all known runc versions"; fixed in 1.2.8, 1.3.3 and
      // 1.4.0-rc.3 (OSV GO-2025-4098).
      ranges: [
        { fixed: '1.2.8', lastAffected: '1.2.7' },
        { introduced: '1.3.0-rc.1', fixed: '1.3.3', lastAffected: '1.3.2' },
        { introduced: '1.4.0-rc.1', fixed: '1.4.0-rc.3', lastAffected: '1.4.0-rc.2' },
      ],
      fixReference: 'https://github.com/opencontainers/runc/commit/77d217c7c3775d8ca5af89e477e81568ef4572db',
    },
  ],
  preconditions: {
    attackerControls: ['pod-spec', 'image', 'container-process'],
  },
  chains: [
    {
      id: 'lsm-label-redirect',
      description: 'Redirect the LSM label write so the next container starts without its profile.',
      steps: [
        {
          why: 'Prepare a symlink in the shared volume that runc will traverse while mounting.',
          primitive: { kind: 'file', path: '/shared/proc', access: 'w' },
        },
        {
          why: 'Swap it with a directory in a loop to race runc.',
          primitive: {
            kind: 'syscall',
            name: 'renameat2',
            args: [AT_FDCWD, 0n, AT_FDCWD, 0n, RENAME_EXCHANGE],
          },
        },
        {
          why: 'runc writes the AppArmor exec label through the raced path into a dummy file: the container runs unconfined.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'writes the AppArmor exec label into a non-procfs file, leaving the container unconfined',
          },
        },
      ],
    },
    {
      id: 'sysctl-write-gadget',
      description: 'Redirect a configured sysctl write to /proc/sys/kernel/core_pattern.',
      steps: [
        {
          why: 'Prepare a symlink in the shared volume that runc will traverse while mounting.',
          primitive: { kind: 'file', path: '/shared/proc', access: 'w' },
        },
        {
          why: 'Swap it with a directory in a loop to race runc.',
          primitive: {
            kind: 'syscall',
            name: 'renameat2',
            args: [AT_FDCWD, 0n, AT_FDCWD, 0n, RENAME_EXCHANGE],
          },
        },
        {
          why: 'runc, unconfined on the host, writes the sysctl value into the redirected procfs file (core_pattern), naming a payload.',
          primitive: {
            kind: 'runtime',
            component: 'runc',
            action: 'writes a container sysctl value into a redirected host procfs file',
          },
        },
        {
          why: 'Crash a process so the host kernel runs the payload as root.',
          primitive: { kind: 'signal', signal: 'segv', peer: 'container' },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade runc to 1.2.8, 1.3.3, 1.4.0-rc.3 or later: procfs is written through verified handles (filepath-securejoin procfs API).',
    'Do not let untrusted users create containers that share volumes or mounts.',
  ],
  references: [
    'https://github.com/opencontainers/runc/security/advisories/GHSA-cgrx-mc8f-2prm',
    'https://github.com/opencontainers/runc/releases/tag/v1.3.3',
    'https://nvd.nist.gov/vuln/detail/CVE-2025-52881',
  ],
} satisfies Technique;
