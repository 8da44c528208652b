import { AF_INET, AF_UNIX, SOCK_STREAM } from '../constants.js';
import type { Technique } from '../schema.js';

/** Host networking puts the container on the host loopback and in the host abstract socket namespace. */
export const technique = {
  id: 'host-network-loopback-services',
  title: 'Host network namespace: loopback services and abstract unix sockets',
  class: 'misconfiguration',
  severity: 'high',
  cves: [],
  summary:
    'A container in the host network namespace reaches every service bound to 127.0.0.1 on the host (an ' +
    'unauthenticated Docker TCP API, kubelet or etcd ports, admin consoles) and every abstract unix ' +
    'socket, which are scoped by network namespace rather than by filesystem (X11, containerd-shim before ' +
    '1.3.9 / 1.4.3, systemd and D-Bus helpers).',
  affected: [],
  preconditions: {
    hostNetwork: true,
  },
  chains: [
    {
      id: 'loopback-docker-api',
      description: 'Talk to a Docker API bound to 127.0.0.1:2375 and ask it for a privileged container.',
      steps: [
        {
          why: 'Open a TCP socket.',
          primitive: { kind: 'syscall', name: 'socket', args: [AF_INET, SOCK_STREAM] },
        },
        {
          why: 'The socket as AppArmor mediates it.',
          primitive: { kind: 'network', domain: 'inet', type: 'stream' },
        },
        {
          why: 'dockerd, reached on the host loopback, creates a privileged container with / mounted.',
          primitive: {
            kind: 'runtime',
            component: 'moby',
            action: 'creates a privileged container that bind-mounts the host root',
          },
        },
      ],
    },
    {
      id: 'abstract-socket',
      description: 'Connect to an abstract unix socket of a host service (here the X server).',
      steps: [
        {
          why: 'Open a unix stream socket.',
          primitive: { kind: 'syscall', name: 'socket', args: [AF_UNIX, SOCK_STREAM] },
        },
        {
          why: 'The socket as AppArmor mediates it.',
          primitive: { kind: 'network', domain: 'unix', type: 'stream' },
        },
        {
          why: 'Abstract addresses have no file, so only the unix rule of the profile can stop the connect; X11 then accepts keystroke injection into host sessions.',
          primitive: { kind: 'unix', access: 'connect', addr: '@/tmp/.X11-unix/X0' },
        },
      ],
    },
  ],
  mitigations: [
    'Do not use host networking (hostNetwork / --network host) for untrusted workloads.',
    'Bind host services to sockets with permissions, not to loopback; AppArmor unix rules can deny abstract connects.',
  ],
  references: [
    'https://research.nccgroup.com/2020/12/10/abstract-shimmer-cve-2020-15257-host-networking-is-root-equivalent-again',
    'https://man7.org/linux/man-pages/man7/unix.7.html',
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
  ],
} satisfies Technique;
