import type { BenignWorkload } from '../schema.js';

/** `node server.js` (official node image, Express app in /app) as PID 1, listening on :3000. */
export const workload = {
  id: 'node-app-start',
  title: 'Node.js application start',
  description:
    'node starts an Express application from /app as PID 1: it maps its libraries, starts the V8 ' +
    'platform and libuv threads, JIT-compiles code, reads its cgroup memory limit and its own ' +
    'memory map, loads modules, and listens on port 3000.',
  steps: [
    {
      why: 'The runtime starts `node server.js`.',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing the node binary (the official image installs it in /usr/local/bin).',
      primitive: { kind: 'file', path: '/usr/local/bin/node', access: 'x' },
    },
    {
      why: 'The loader maps libstdc++ executable.',
      primitive: { kind: 'file', path: '/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30', access: 'rm' },
    },
    {
      why: 'The loader maps libc executable.',
      primitive: { kind: 'file', path: '/usr/lib/x86_64-linux-gnu/libc.so.6', access: 'rm' },
    },
    {
      why: 'V8 reserves its heap and code space.',
      primitive: { kind: 'syscall', name: 'mmap' },
    },
    {
      why: 'The V8 JIT flips code pages between writable and executable.',
      primitive: { kind: 'syscall', name: 'mprotect' },
    },
    {
      why: 'V8 platform workers and the libuv thread pool: pthread_create is clone(CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID).',
      primitive: { kind: 'syscall', name: 'clone', args: [0x3d0f00n] },
    },
    {
      why: 'Threads synchronise on futexes.',
      primitive: { kind: 'syscall', name: 'futex' },
    },
    {
      why: 'libuv creates its event loop (EPOLL_CLOEXEC).',
      primitive: { kind: 'syscall', name: 'epoll_create1', args: [0x80000n] },
    },
    {
      why: 'libuv wakes the loop from other threads through an eventfd (EFD_CLOEXEC|EFD_NONBLOCK).',
      primitive: { kind: 'syscall', name: 'eventfd2', args: [0n, 0x80800n] },
    },
    {
      why: 'Node seeds its hash tables and crypto from getrandom.',
      primitive: { kind: 'syscall', name: 'getrandom' },
    },
    {
      why: 'libuv reads the cgroup v2 memory limit (uv_get_constrained_memory) to size the heap.',
      primitive: { kind: 'file', path: '/sys/fs/cgroup/memory.max', access: 'r' },
    },
    {
      why: 'Node reads its own memory map (as PID 1, /proc/self is /proc/1) to place the code range.',
      primitive: { kind: 'file', path: '/proc/1/maps', access: 'r' },
    },
    {
      why: 'The module loader stats candidate paths.',
      primitive: { kind: 'syscall', name: 'statx' },
    },
    {
      why: 'The loader reads package.json to find the entry point and the module type.',
      primitive: { kind: 'file', path: '/app/package.json', access: 'r' },
    },
    {
      why: 'The loader reads the application code.',
      primitive: { kind: 'file', path: '/app/server.js', access: 'r' },
    },
    {
      why: 'The loader reads dependencies from node_modules.',
      primitive: { kind: 'file', path: '/app/node_modules/express/index.js', access: 'r' },
    },
    {
      why: 'The server socket is an IPv4 TCP socket.',
      primitive: { kind: 'network', domain: 'inet', type: 'stream' },
    },
    {
      why: 'libuv: socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 0).',
      primitive: { kind: 'syscall', name: 'socket', args: [2n, 0x80801n] },
    },
    {
      why: 'bind() to 0.0.0.0:3000, an unprivileged port.',
      primitive: { kind: 'syscall', name: 'bind' },
    },
    {
      why: 'listen() with a backlog of 511.',
      primitive: { kind: 'syscall', name: 'listen', args: [17n, 511n] },
    },
    {
      why: 'The event loop waits for connections and timers.',
      primitive: { kind: 'syscall', name: 'epoll_wait' },
    },
    {
      why: 'A request is accepted non-blocking.',
      primitive: { kind: 'syscall', name: 'accept4', args: [17n, 0n, 0n, 0x80800n] },
    },
  ],
} satisfies BenignWorkload;
