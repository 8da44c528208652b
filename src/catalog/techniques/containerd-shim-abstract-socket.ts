import { AF_UNIX, SOCK_STREAM } from '../constants.js';
import type { Technique } from '../schema.js';

/**
 * CVE-2020-15257 ("Abstract Shimmer"). containerd-shim listened on an abstract unix socket, which
 * lives in the network namespace, not the filesystem; a host-network container could connect to it
 * and drive the shim API as root.
 */
export const technique = {
  id: 'containerd-shim-abstract-socket',
  title: 'containerd-shim API reachable over abstract sockets with host networking (CVE-2020-15257)',
  class: 'container',
  severity: 'medium',
  cves: ['CVE-2020-15257'],
  summary:
    'containerd-shim exposed its API on an abstract unix socket (@/containerd-shim/<namespace>/<id>/shim.sock). ' +
    'Abstract sockets are scoped by network namespace, so a container sharing the host network namespace ' +
    'and running as uid 0 can connect and ask the shim to create a new task with a config that mounts ' +
    'the host, running as root outside every container restriction.',
  affected: [
    {
      component: 'containerd',
      // Advisory: fixed in 1.3.9 and 1.4.3 (OSV: < 1.3.9, and 1.4.0 to < 1.4.3); the GHSA merges
      // ea765aba and 269548fa are first in v1.3.9 and v1.4.3.
      ranges: [
        { fixed: '1.3.9', lastAffected: '1.3.8' },
        { introduced: '1.4.0', fixed: '1.4.3', lastAffected: '1.4.2' },
      ],
      fixReference: 'https://github.com/containerd/containerd/releases/tag/v1.4.3',
    },
  ],
  preconditions: {
    hostNetwork: true,
    // The shim checks the peer's uid is its own (0): a non-root container user cannot use it.
    noUserNamespace: true,
  },
  chains: [
    {
      id: 'shim-api',
      description: 'Find the shim socket in /proc/net/unix and call its API.',
      steps: [
        {
          why: 'List abstract sockets of the host network namespace; the kernel path is /proc/<pid>/net/unix (pid 1 here).',
          primitive: { kind: 'file', path: '/proc/1/net/unix', access: 'r' },
        },
        {
          why: 'Open a unix stream socket.',
          primitive: { kind: 'syscall', name: 'socket', args: [AF_UNIX, SOCK_STREAM] },
        },
        {
          why: 'The socket as AppArmor mediates it.',
          primitive: { kind: 'network', domain: 'unix', type: 'stream' },
        },
        {
          why: 'Connect to the shim of some container (the id is in /proc/net/unix).',
          primitive: {
            kind: 'unix',
            access: 'connect',
            addr: '@/containerd-shim/moby/0a1b2c3d4e5f/shim.sock',
          },
        },
        {
          why: 'The shim, as host root, creates a task from an attacker-written bundle that mounts the host root.',
          primitive: {
            kind: 'runtime',
            component: 'containerd',
            action: 'containerd-shim creates a task from an attacker-supplied OCI config',
            // The shim's API listens on an abstract address in the host network namespace.
            performs: [
              {
                by: 'shim',
                request: {
                  class: 'unix',
                  access: 'bind',
                  addr: '@/containerd-shim/moby/0123/shim.sock',
                  type: 'stream',
                },
              },
            ],
          },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade containerd to 1.3.9, 1.4.3 or later (shim sockets move to the filesystem under /run/containerd).',
    'Do not run containers with host networking, or run them as a non-root user; an AppArmor rule denying abstract unix connects breaks the chain.',
  ],
  references: [
    'https://github.com/containerd/containerd/security/advisories/GHSA-36xw-fx78-c5r4',
    'https://research.nccgroup.com/2020/12/10/abstract-shimmer-cve-2020-15257-host-networking-is-root-equivalent-again',
    'https://nvd.nist.gov/vuln/detail/CVE-2020-15257',
  ],
} satisfies Technique;
