import type { BenignWorkload } from '../schema.js';

/** `git clone https://github.com/example/project /src/project` in a build container. */
export const workload = {
  id: 'git-clone',
  title: 'git clone over HTTPS',
  description:
    'git clones a repository over HTTPS into /src: it resolves the host name, runs its ' +
    'git-remote-https helper, verifies the server with the CA bundle, writes the pack and the ' +
    'index under .git, renames temporary files into place and checks out the work tree.',
  steps: [
    {
      why: 'The shell runs git.',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing git.',
      primitive: { kind: 'file', path: '/usr/bin/git', access: 'x' },
    },
    {
      why: 'git init creates the repository directory.',
      primitive: { kind: 'syscall', name: 'mkdir' },
    },
    {
      why: 'Creating a directory is a write of its path.',
      primitive: { kind: 'file', path: '/src/project/.git/', access: 'w' },
    },
    {
      why: 'git copies its templates into the new repository.',
      primitive: { kind: 'file', path: '/usr/share/git-core/templates/description', access: 'r' },
    },
    {
      why: 'git runs the remote helper for https (run_command forks).',
      primitive: { kind: 'syscall', name: 'clone', args: [0x1200011n] },
    },
    {
      why: 'Executing git-remote-https.',
      primitive: { kind: 'file', path: '/usr/lib/git-core/git-remote-https', access: 'x' },
    },
    {
      why: 'The helper talks to git over pipes.',
      primitive: { kind: 'syscall', name: 'pipe2' },
    },
    {
      why: 'libcurl reads the resolver configuration.',
      primitive: { kind: 'file', path: '/etc/resolv.conf', access: 'r' },
    },
    {
      why: 'glibc reads the name service order.',
      primitive: { kind: 'file', path: '/etc/nsswitch.conf', access: 'r' },
    },
    {
      why: 'The DNS query goes over UDP.',
      primitive: { kind: 'network', domain: 'inet', type: 'dgram' },
    },
    {
      why: 'glibc resolver: socket(AF_INET, SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0).',
      primitive: { kind: 'syscall', name: 'socket', args: [2n, 0x80802n] },
    },
    {
      why: 'The resolver sends the A and AAAA queries.',
      primitive: { kind: 'syscall', name: 'sendmmsg' },
    },
    {
      why: 'The HTTPS connection is an IPv4 TCP socket.',
      primitive: { kind: 'network', domain: 'inet', type: 'stream' },
    },
    {
      why: 'socket(AF_INET, SOCK_STREAM, IPPROTO_TCP).',
      primitive: { kind: 'syscall', name: 'socket', args: [2n, 1n, 6n] },
    },
    {
      why: 'connect() to port 443.',
      primitive: { kind: 'syscall', name: 'connect' },
    },
    {
      why: 'OpenSSL loads the CA bundle to verify the server.',
      primitive: { kind: 'file', path: '/etc/ssl/certs/ca-certificates.crt', access: 'r' },
    },
    {
      why: 'libcurl waits for the socket.',
      primitive: { kind: 'syscall', name: 'poll' },
    },
    {
      why: 'TLS records are sent and received.',
      primitive: { kind: 'syscall', name: 'recvfrom' },
    },
    {
      why: 'The received pack is written to a temporary file.',
      primitive: { kind: 'file', path: '/src/project/.git/objects/pack/tmp_pack_Xq3k9b', access: 'w' },
    },
    {
      why: 'index-pack writes the pack index.',
      primitive: { kind: 'file', path: '/src/project/.git/objects/pack/tmp_idx_Rm2v7c', access: 'w' },
    },
    {
      why: 'The pack is flushed before it is renamed into place.',
      primitive: { kind: 'syscall', name: 'fsync' },
    },
    {
      why: 'rename() of the temporary pack to its final name.',
      primitive: { kind: 'syscall', name: 'rename' },
    },
    {
      why: 'The final pack name.',
      primitive: {
        kind: 'file',
        path: '/src/project/.git/objects/pack/pack-3f786850e387550fdab836ed7e6dc881de23001b.pack',
        access: 'w',
      },
    },
    {
      why: 'Checkout writes the work tree files.',
      primitive: { kind: 'file', path: '/src/project/README.md', access: 'w' },
    },
    {
      why: 'Checkout writes the index through a lock file.',
      primitive: { kind: 'file', path: '/src/project/.git/index.lock', access: 'w' },
    },
    {
      why: 'git waits for the helper.',
      primitive: { kind: 'syscall', name: 'wait4' },
    },
    {
      why: 'git exits.',
      primitive: { kind: 'syscall', name: 'exit_group', args: [0n] },
    },
  ],
} satisfies BenignWorkload;
