import { AF_UNIX, SOCK_STREAM } from '../constants.js';
import type { Technique } from '../schema.js';

/**
 * CVE-2024-41110. dockerd forwarded a request with Content-Length: 0 to the AuthZ plugin without
 * its body, so a plugin that decides on the body (e.g. "no privileged containers") approved it.
 * A regression of the 2018 fix in 18.09.1 that was not carried to 19.03 and later.
 */
export const technique = {
  id: 'moby-authz-zero-length-bypass',
  title: 'Docker AuthZ plugin bypass with a zero Content-Length (CVE-2024-41110)',
  class: 'runtime',
  severity: 'critical',
  cves: ['CVE-2024-41110'],
  summary:
    'Docker Engine lets authorization plugins inspect API requests. A client that sends a request with ' +
    'Content-Length: 0 while still sending a body makes dockerd forward it to the plugin without the body, ' +
    'so a plugin that forbids privileged containers or host mounts by inspecting the body approves a ' +
    'request that creates one. It only matters where an AuthZ plugin is the defence of an exposed API.',
  affected: [
    {
      component: 'moby',
      // Docker's advisory: regression in 19.03.0 and later; released fixes 23.0.15, 25.0.6, 26.1.5,
      // 27.1.1 (OSV ranges 19.03.0-<23.0.15, 24.0.0-<25.0.6, 26.0.0-<26.1.5, 27.0.0-<27.1.1). The
      // patched 19.03, 20.10, 24.0, 26.0 and 27.0 branches never got a tagged release (no v20.10.28,
      // v24.0.10, v26.0.3 or v27.0.4 tag in moby/moby), so those branches map to the next fix.
      ranges: [
        { introduced: '19.03.0', fixed: '23.0.15', lastAffected: '23.0.14' },
        { introduced: '24.0.0', fixed: '25.0.6', lastAffected: '25.0.5' },
        { introduced: '26.0.0', fixed: '26.1.5', lastAffected: '26.1.4' },
        { introduced: '27.0.0', fixed: '27.1.1', lastAffected: '27.1.0' },
      ],
      fixReference: 'https://github.com/moby/moby/security/advisories/GHSA-v23v-6jw2-98fq',
    },
  ],
  preconditions: {
    runtimeSocket: 'docker',
    hostPaths: ['/var/run/docker.sock'],
  },
  chains: [
    {
      id: 'socket-zero-length-create',
      description:
        'Through a mounted Docker socket guarded by an AuthZ plugin, create a privileged container.',
      steps: [
        {
          why: 'Open a unix stream socket for the Engine API.',
          primitive: { kind: 'syscall', name: 'socket', args: [AF_UNIX, SOCK_STREAM] },
        },
        {
          why: 'The socket as AppArmor mediates it.',
          primitive: { kind: 'network', domain: 'unix', type: 'stream' },
        },
        {
          why: 'Connecting to a path socket is checked by AppArmor as a write of the socket file; Debian and Alpine images make /var/run a symlink to /run, so the bind mount and the check are at /run/docker.sock.',
          primitive: { kind: 'file', path: '/run/docker.sock', access: 'w' },
        },
        {
          why: 'Connect to the daemon.',
          primitive: { kind: 'unix', access: 'connect', addr: '/run/docker.sock' },
        },
        {
          why: 'POST /containers/create with Content-Length: 0 and a body asking for Privileged and Binds ["/:/host"]; the plugin sees no body and allows it.',
          primitive: {
            kind: 'runtime',
            component: 'moby',
            action: 'forwards a zero Content-Length request to the AuthZ plugin without its body',
          },
        },
        {
          why: 'dockerd creates and starts the privileged container with the host root mounted.',
          primitive: {
            kind: 'runtime',
            component: 'moby',
            action: 'creates a privileged container that bind-mounts the host root',
          },
        },
      ],
    },
  ],
  mitigations: [
    'Upgrade Docker Engine to 23.0.15, 25.0.6, 26.1.5, 27.1.1 or later.',
    'Do not rely on AuthZ plugins alone: never expose the Docker API or socket to untrusted clients.',
  ],
  references: [
    'https://github.com/moby/moby/security/advisories/GHSA-v23v-6jw2-98fq',
    'https://www.docker.com/blog/docker-security-advisory-docker-engine-authz-plugin/',
    'https://nvd.nist.gov/vuln/detail/CVE-2024-41110',
  ],
} satisfies Technique;
