import { AF_UNIX, SOCK_STREAM } from '../constants.js';
import type { Technique } from '../schema.js';

/** The rootful podman API socket (Docker-compatible) gives root on the host. */
export const technique = {
  id: 'podman-socket-mounted',
  title: 'Rootful podman socket mounted into the container',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'With the rootful podman API socket (/run/podman/podman.sock) bind-mounted, a container uses the ' +
    'Docker-compatible or libpod API to start a privileged container with the host root mounted; podman ' +
    'runs it as host root. (A rootless user socket only gives that user.)',
  affected: [],
  preconditions: {
    runtimeSocket: 'podman',
    hostPaths: ['/run/podman/podman.sock'],
  },
  chains: [
    {
      id: 'api-create',
      description: 'Connect to the podman service and create a privileged container.',
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
          primitive: { kind: 'file', path: '/run/podman/podman.sock', access: 'w' },
        },
        {
          why: 'Connect to the podman API service.',
          primitive: { kind: 'unix', access: 'connect', addr: '/run/podman/podman.sock' },
        },
        {
          why: 'podman, as host root, creates a privileged container that mounts /.',
          primitive: {
            kind: 'runtime',
            component: 'podman',
            action: 'creates a privileged container that bind-mounts the host root',
          },
        },
      ],
    },
  ],
  mitigations: [
    'Do not mount the rootful podman socket into containers; if a tool needs an API, give it a rootless user socket.',
    'A profile that denies writes to the socket path breaks the connect.',
  ],
  references: [
    'https://docs.podman.io/en/latest/markdown/podman-system-service.1.html',
    'https://docs.docker.com/engine/security/#docker-daemon-attack-surface',
  ],
} satisfies Technique;
