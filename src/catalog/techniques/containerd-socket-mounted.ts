import { AF_UNIX, SOCK_STREAM } from '../constants.js';
import type { Technique } from '../schema.js';

/** The containerd API socket gives full control of containerd, which runs as host root. */
export const technique = {
  id: 'containerd-socket-mounted',
  title: 'containerd socket mounted into the container',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'With /run/containerd/containerd.sock bind-mounted, a container drives containerd over gRPC (ctr, ' +
    'nerdctl or a static client): it creates a task with a spec that is privileged and mounts the host ' +
    'root, in any namespace including k8s.io. containerd acts as host root and no container profile ' +
    'applies to it.',
  affected: [],
  preconditions: {
    runtimeSocket: 'containerd',
    hostPaths: ['/run/containerd/containerd.sock'],
  },
  chains: [
    {
      id: 'grpc-create-task',
      description: 'Connect to containerd and start a privileged task with the host root mounted.',
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
          why: 'AppArmor checks connect() to a path socket as a write of the socket file.',
          primitive: { kind: 'file', path: '/run/containerd/containerd.sock', access: 'w' },
        },
        {
          why: 'Connect to containerd.',
          primitive: { kind: 'unix', access: 'connect', addr: '/run/containerd/containerd.sock' },
        },
        {
          why: 'containerd, as host root, creates and starts a privileged task with / bind-mounted (ctr run --privileged --mount src=/,dst=/host).',
          primitive: {
            kind: 'runtime',
            component: 'containerd',
            action: 'creates a privileged task that bind-mounts the host root',
          },
        },
      ],
    },
  ],
  mitigations: [
    'Do not mount the containerd socket into workloads; node agents that need it belong in separate, audited pods.',
    'A profile that denies writes to the socket path breaks the connect.',
  ],
  references: [
    'https://github.com/containerd/containerd/blob/main/docs/getting-started.md',
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
  ],
} satisfies Technique;
