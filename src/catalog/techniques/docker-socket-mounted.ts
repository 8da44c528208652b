import { AF_UNIX, SOCK_STREAM } from '../constants.js';
import type { Technique } from '../schema.js';

/** The Docker API socket in a container is root on the host: ask dockerd for a privileged container. */
export const technique = {
  id: 'docker-socket-mounted',
  title: 'Docker socket mounted into the container',
  class: 'misconfiguration',
  severity: 'critical',
  cves: [],
  summary:
    'With /var/run/docker.sock bind-mounted, a container talks to dockerd, which runs as host root and ' +
    'does whatever the API asks: it creates a privileged container with the host root bind-mounted, and ' +
    'the attacker chroots into it. No container profile sees what dockerd does.',
  affected: [],
  preconditions: {
    runtimeSocket: 'docker',
    hostPaths: ['/var/run/docker.sock'],
  },
  chains: [
    {
      id: 'run-symlink',
      description:
        'Most images (Debian, Ubuntu, Alpine) make /var/run a symlink to /run, so the socket is mounted at /run/docker.sock.',
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
          why: 'AppArmor checks connect() to a path socket as a write of the socket file, at the path the kernel resolved: runc followed /var/run -> /run when it placed the bind mount.',
          primitive: { kind: 'file', path: '/run/docker.sock', access: 'w' },
        },
        {
          why: 'Connect to dockerd.',
          primitive: { kind: 'unix', access: 'connect', addr: '/run/docker.sock' },
        },
        {
          why: 'dockerd, as host root, creates and starts a privileged container with / mounted.',
          primitive: {
            kind: 'runtime',
            component: 'moby',
            action:
              'creates a privileged container that bind-mounts the host root (POST /containers/create, Privileged, Binds ["/:/host"])',
          },
        },
      ],
    },
    {
      id: 'var-run-directory',
      description:
        'Images where /var/run is a real directory (busybox, scratch-based) see the socket at /var/run/docker.sock.',
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
          primitive: { kind: 'file', path: '/var/run/docker.sock', access: 'w' },
        },
        {
          why: 'Connect to dockerd.',
          primitive: { kind: 'unix', access: 'connect', addr: '/var/run/docker.sock' },
        },
        {
          why: 'dockerd, as host root, creates and starts a privileged container with / mounted.',
          primitive: {
            kind: 'runtime',
            component: 'moby',
            action:
              'creates a privileged container that bind-mounts the host root (POST /containers/create, Privileged, Binds ["/:/host"])',
          },
        },
      ],
    },
  ],
  mitigations: [
    'Do not mount the Docker socket into containers; use rootless Docker or a narrowly scoped API proxy where a tool needs it.',
    'A profile that denies writes to the socket path (at the resolved path, /run/docker.sock) breaks the connect.',
  ],
  references: [
    'https://docs.docker.com/engine/security/#docker-daemon-attack-surface',
    'https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html',
  ],
} satisfies Technique;
