import type { BenignWorkload } from '../schema.js';

/** nginx as packaged: master as root binds :80, forks workers that drop to the nginx user and serve files. */
export const workload = {
  id: 'nginx-like-server',
  title: 'nginx-like static web server on port 80',
  description:
    'An nginx master process started as root: it reads its configuration, binds TCP port 80 (a ' +
    'privileged port), writes its pid file, forks workers that switch to the nginx user, and the ' +
    'workers accept connections on epoll, send static files with sendfile and append to the access log.',
  steps: [
    {
      why: 'The runtime starts nginx in the foreground (daemon off).',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing the nginx binary.',
      primitive: { kind: 'file', path: '/usr/sbin/nginx', access: 'x' },
    },
    {
      why: 'nginx maps libpcre2, libssl and libc executable.',
      primitive: { kind: 'file', path: '/usr/lib/x86_64-linux-gnu/libpcre2-8.so.0.11.2', access: 'rm' },
    },
    {
      why: 'nginx reads its main configuration.',
      primitive: { kind: 'file', path: '/etc/nginx/nginx.conf', access: 'r' },
    },
    {
      why: 'The main configuration includes the MIME types and the server block.',
      primitive: { kind: 'file', path: '/etc/nginx/conf.d/default.conf', access: 'r' },
    },
    {
      why: 'The listening socket is an IPv4 TCP socket.',
      primitive: { kind: 'network', domain: 'inet', type: 'stream' },
    },
    {
      why: 'socket(AF_INET, SOCK_STREAM, 0) for `listen 80`.',
      primitive: { kind: 'syscall', name: 'socket', args: [2n, 1n] },
    },
    {
      why: 'SO_REUSEADDR so a restart can rebind at once (SOL_SOCKET, SO_REUSEADDR).',
      primitive: { kind: 'syscall', name: 'setsockopt', args: [6n, 1n, 2n] },
    },
    {
      why: 'bind() to 0.0.0.0:80.',
      primitive: { kind: 'syscall', name: 'bind' },
    },
    {
      why: 'Port 80 is below 1024: binding it needs CAP_NET_BIND_SERVICE.',
      primitive: { kind: 'capability', name: 'net_bind_service' },
    },
    {
      why: 'listen() with the configured backlog.',
      primitive: { kind: 'syscall', name: 'listen' },
    },
    {
      why: 'The master writes its pid (/var/run is /run).',
      primitive: { kind: 'file', path: '/run/nginx.pid', access: 'w' },
    },
    {
      why: 'The master opens the error log for append.',
      primitive: { kind: 'file', path: '/var/log/nginx/error.log', access: 'a' },
    },
    {
      why: 'The master forks each worker process.',
      primitive: { kind: 'syscall', name: 'clone', args: [0x1200011n] },
    },
    {
      why: 'A worker switches to `user nginx;`: setgid(101), the nginx group (after initgroups).',
      primitive: { kind: 'syscall', name: 'setgid', args: [101n] },
    },
    {
      why: 'setgroups and setgid need CAP_SETGID.',
      primitive: { kind: 'capability', name: 'setgid' },
    },
    {
      why: 'setuid(101), the nginx user.',
      primitive: { kind: 'syscall', name: 'setuid', args: [101n] },
    },
    {
      why: 'Switching to the nginx user needs CAP_SETUID.',
      primitive: { kind: 'capability', name: 'setuid' },
    },
    {
      why: 'The worker creates its event loop (EPOLL_CLOEXEC).',
      primitive: { kind: 'syscall', name: 'epoll_create1', args: [0x80000n] },
    },
    {
      why: 'The worker registers the listening socket.',
      primitive: { kind: 'syscall', name: 'epoll_ctl' },
    },
    {
      why: 'The worker waits for connections.',
      primitive: { kind: 'syscall', name: 'epoll_wait' },
    },
    {
      why: 'accept4(..., SOCK_NONBLOCK) a client connection.',
      primitive: { kind: 'syscall', name: 'accept4', args: [6n, 0n, 0n, 0x800n] },
    },
    {
      why: 'The worker reads the HTTP request.',
      primitive: { kind: 'syscall', name: 'recvfrom' },
    },
    {
      why: 'The worker opens the requested file.',
      primitive: { kind: 'file', path: '/usr/share/nginx/html/index.html', access: 'r' },
    },
    {
      why: 'The worker writes the response headers.',
      primitive: { kind: 'syscall', name: 'writev' },
    },
    {
      why: 'The worker sends the file body from the page cache (`sendfile on`).',
      primitive: { kind: 'syscall', name: 'sendfile' },
    },
    {
      why: 'The worker appends the request to the access log (opened O_APPEND).',
      primitive: { kind: 'file', path: '/var/log/nginx/access.log', access: 'a' },
    },
    {
      why: 'The worker closes the connection.',
      primitive: { kind: 'syscall', name: 'close' },
    },
  ],
} satisfies BenignWorkload;
