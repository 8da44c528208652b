import type { Technique } from '../schema.js';

/** CAP_SYS_ADMIN on a cgroup v1 host: mount a hierarchy and set release_agent (Felix Wilhelm, 2019). */
export const technique = {
  id: 'cap-sys-admin-release-agent',
  title: 'CAP_SYS_ADMIN mounts cgroup v1 and sets release_agent',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'A container granted CAP_SYS_ADMIN (without user namespaces) mounts a cgroup v1 hierarchy, enables ' +
    'notify_on_release in a child cgroup and sets release_agent to a payload in its own filesystem (host ' +
    'path from the overlay upperdir). When the child cgroup empties, the kernel runs the payload as root ' +
    'in the host namespaces.',
  affected: [],
  preconditions: {
    capabilities: ['sys_admin'],
    cgroupV1: true,
    noUserNamespace: true,
  },
  chains: [
    {
      id: 'mount-release-agent',
      description: 'The classic release_agent escape.',
      steps: [
        {
          why: 'mount(2) of a cgroup hierarchy needs CAP_SYS_ADMIN.',
          primitive: { kind: 'capability', name: 'sys_admin' },
        },
        {
          why: 'Mount the rdma cgroup v1 hierarchy at /tmp/cgrp.',
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
          why: 'Ask for the release agent when the child empties.',
          primitive: { kind: 'file', path: '/tmp/cgrp/x/notify_on_release', access: 'w' },
        },
        {
          why: 'Write the payload in the container filesystem.',
          primitive: { kind: 'file', path: '/cmd', access: 'w' },
        },
        {
          why: 'Point release_agent at the payload by its host path (the overlay upperdir).',
          primitive: { kind: 'file', path: '/tmp/cgrp/release_agent', access: 'w' },
        },
        {
          why: 'Move a short-lived process into the child; when it exits the kernel runs the payload as host root.',
          primitive: { kind: 'file', path: '/tmp/cgrp/x/cgroup.procs', access: 'w' },
        },
      ],
    },
  ],
  mitigations: [
    'Do not grant CAP_SYS_ADMIN to containers.',
    'Use cgroup v2 (no release_agent) and user namespaces; an AppArmor profile denying mount (docker-default) breaks the chain.',
  ],
  references: [
    'https://blog.trailofbits.com/2019/07/19/understanding-docker-container-escapes/',
    'https://man7.org/linux/man-pages/man7/cgroups.7.html',
  ],
} satisfies Technique;
