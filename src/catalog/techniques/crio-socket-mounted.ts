import { AF_UNIX, SOCK_STREAM } from '../constants.js';
import type { Technique } from '../schema.js';

/** The CRI-O socket serves the Kubernetes CRI API as host root. */
export const technique = {
  id: 'crio-socket-mounted',
  title: 'CRI-O socket mounted into the container',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'With /var/run/crio/crio.sock bind-mounted, a container uses the CRI API (crictl) to create a pod ' +
    'sandbox and a privileged container that mounts the host root, bypassing the Kubernetes API server ' +
    'and its admission control entirely.',
  affected: [],
  preconditions: {
    runtimeSocket: 'cri-o',
    hostPaths: ['/var/run/crio/crio.sock'],
  },
  chains: [
    {
      id: 'run-symlink',
      description: 'With /var/run a symlink to /run in the image, the socket is at /run/crio/crio.sock.',
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
          why: 'connect() checked as a write of the socket file at its resolved path.',
          primitive: { kind: 'file', path: '/run/crio/crio.sock', access: 'w' },
        },
        {
          why: 'Connect to CRI-O.',
          primitive: { kind: 'unix', access: 'connect', addr: '/run/crio/crio.sock' },
        },
        {
          why: 'CRI-O, as host root, runs a privileged container with / mounted (crictl runp + create + start).',
          primitive: {
            kind: 'runtime',
            component: 'cri-o',
            action: 'creates a privileged container that bind-mounts the host root through the CRI API',
          },
        },
      ],
    },
    {
      id: 'var-run-directory',
      description: 'With a real /var/run directory in the image, the socket is at /var/run/crio/crio.sock.',
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
          why: 'connect() checked as a write of the socket file.',
          primitive: { kind: 'file', path: '/var/run/crio/crio.sock', access: 'w' },
        },
        {
          why: 'Connect to CRI-O.',
          primitive: { kind: 'unix', access: 'connect', addr: '/var/run/crio/crio.sock' },
        },
        {
          why: 'CRI-O, as host root, runs a privileged container with / mounted.',
          primitive: {
            kind: 'runtime',
            component: 'cri-o',
            action: 'creates a privileged container that bind-mounts the host root through the CRI API',
          },
        },
      ],
    },
  ],
  mitigations: [
    'Do not mount the CRI-O socket into workloads.',
    'A profile that denies writes to the socket path breaks the connect.',
  ],
  references: [
    'https://github.com/cri-o/cri-o/blob/main/docs/crio.8.md',
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
  ],
} satisfies Technique;
