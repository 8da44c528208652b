import { CLONE_NEWCGROUP, CLONE_NEWNS, CLONE_NEWUSER } from '../constants.js';
import type { Technique } from '../schema.js';

/**
 * CVE-2022-0492. cgroup v1 let a process that owned a cgroup hierarchy through a user namespace
 * set release_agent, a program the kernel runs as root in the initial namespaces.
 */
export const technique = {
  id: 'cgroup-release-agent-unshare',
  title: 'cgroup v1 release_agent from a new user namespace (CVE-2022-0492)',
  class: 'kernel',
  severity: 'high',
  cves: ['CVE-2022-0492'],
  summary:
    'The kernel did not check that the writer of a cgroup v1 release_agent file was privileged in the ' +
    'initial user namespace. A container process creates user, mount and cgroup namespaces (unshare -UrmC), ' +
    'mounts a cgroup v1 hierarchy it now administers, points release_agent at a payload in its filesystem ' +
    'and empties a child cgroup: the kernel runs the payload as root on the host.',
  affected: [
    {
      component: 'kernel',
      // Introduced in 2.6.24-rc1, fixed by 24f60085 in 5.17-rc3; stable fixes 4.9.301, 4.14.266,
      // 4.19.229, 5.4.177, 5.10.97, 5.15.20, 5.16.6 (nluedtke/linux_kernel_cves stream data).
      // Branches without a stable fix fall in the range of the next fixed branch.
      ranges: [
        { introduced: '2.6.24-rc1', fixed: '4.9.301', lastAffected: '4.9.300' },
        { introduced: '4.10', fixed: '4.14.266', lastAffected: '4.14.265' },
        { introduced: '4.15', fixed: '4.19.229', lastAffected: '4.19.228' },
        { introduced: '4.20', fixed: '5.4.177', lastAffected: '5.4.176' },
        { introduced: '5.5', fixed: '5.10.97', lastAffected: '5.10.96' },
        { introduced: '5.11', fixed: '5.15.20', lastAffected: '5.15.19' },
        { introduced: '5.16', fixed: '5.16.6', lastAffected: '5.16.5' },
        { introduced: '5.17-rc1', fixed: '5.17-rc3', lastAffected: '5.17-rc2' },
      ],
      fixReference:
        'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=24f6008564183aa120d07c03d9289519c2fe02af',
    },
  ],
  preconditions: {
    cgroupV1: true,
  },
  chains: [
    {
      id: 'unshare-mount-cgroup',
      description: 'Become root of new namespaces, mount cgroup v1 and set its release_agent.',
      steps: [
        {
          why: 'unshare -UrmC: new user, mount and cgroup namespaces give CAP_SYS_ADMIN over a fresh mount namespace.',
          primitive: {
            kind: 'syscall',
            name: 'unshare',
            args: [CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWCGROUP],
          },
        },
        {
          why: 'Mount a cgroup v1 hierarchy (rdma is rarely in use, so it can be mounted) where release_agent is writable.',
          primitive: {
            kind: 'mount',
            fstype: 'cgroup',
            source: 'cgroup',
            target: '/tmp/cgrp',
            options: ['rdma'],
          },
        },
        {
          why: 'Create a child cgroup.',
          primitive: { kind: 'file', path: '/tmp/cgrp/x', access: 'w' },
        },
        {
          why: 'Ask for the release agent when the child cgroup empties.',
          primitive: { kind: 'file', path: '/tmp/cgrp/x/notify_on_release', access: 'w' },
        },
        {
          why: 'Write the payload; its host path is the overlay upperdir read from /etc/mtab.',
          primitive: { kind: 'file', path: '/cmd', access: 'w' },
        },
        {
          why: 'Point release_agent at the payload by its host path; the kernel did not require init-namespace CAP_SYS_ADMIN here.',
          primitive: { kind: 'file', path: '/tmp/cgrp/release_agent', access: 'w' },
        },
        {
          why: 'Put a short-lived process in the child cgroup; when it exits the kernel runs the payload as host root.',
          primitive: { kind: 'file', path: '/tmp/cgrp/x/cgroup.procs', access: 'w' },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade the kernel (5.17, or 5.16.6, 5.15.20, 5.10.97, 5.4.177, 4.19.229, 4.14.266, 4.9.301 or later).',
    "A seccomp profile that denies unshare(CLONE_NEWUSER) (Docker's default without CAP_SYS_ADMIN) or an AppArmor profile denying mount (docker-default) breaks the chain.",
    'Use cgroup v2, which has no release_agent; disable unprivileged user namespaces where unused.',
  ],
  references: [
    'https://unit42.paloaltonetworks.com/cve-2022-0492-cgroups/',
    'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=24f6008564183aa120d07c03d9289519c2fe02af',
    'https://nvd.nist.gov/vuln/detail/CVE-2022-0492',
  ],
} satisfies Technique;
