import type { BenignWorkload } from '../schema.js';

/** `gunicorn app:app` (official python image, Flask app in /app) on port 8000 with forked workers. */
export const workload = {
  id: 'python-app-start',
  title: 'Python web application start (gunicorn)',
  description:
    'python3.12 runs gunicorn with a Flask application from /app: it maps libpython, imports the ' +
    'standard library and writes bytecode caches, binds port 8000, and forks worker processes ' +
    'that keep a heartbeat file in /tmp.',
  steps: [
    {
      why: 'The runtime starts `/usr/local/bin/gunicorn`, whose shebang runs python3.',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing the interpreter (python3 -> python3.12 in the official image).',
      primitive: { kind: 'file', path: '/usr/local/bin/python3.12', access: 'x' },
    },
    {
      why: 'The loader maps libpython executable.',
      primitive: { kind: 'file', path: '/usr/local/lib/libpython3.12.so.1.0', access: 'rm' },
    },
    {
      why: 'Python seeds its string hashing from getrandom.',
      primitive: { kind: 'syscall', name: 'getrandom' },
    },
    {
      why: 'Python checks whether stdin is a terminal (TCGETS).',
      primitive: { kind: 'syscall', name: 'ioctl', args: [0n, 0x5401n] },
    },
    {
      why: 'The importer stats candidate modules.',
      primitive: { kind: 'syscall', name: 'newfstatat' },
    },
    {
      why: 'The importer reads the cached bytecode of the standard library.',
      primitive: {
        kind: 'file',
        path: '/usr/local/lib/python3.12/__pycache__/os.cpython-312.pyc',
        access: 'r',
      },
    },
    {
      why: 'The importer lists the application directory (path finder cache).',
      primitive: { kind: 'syscall', name: 'getdents64' },
    },
    {
      why: 'Listing a directory is a read of the directory.',
      primitive: { kind: 'file', path: '/app/', access: 'r' },
    },
    {
      why: 'The importer reads the application module.',
      primitive: { kind: 'file', path: '/app/app.py', access: 'r' },
    },
    {
      why: 'The importer writes the compiled bytecode next to it.',
      primitive: { kind: 'file', path: '/app/__pycache__/app.cpython-312.pyc', access: 'w' },
    },
    {
      why: 'C extension modules are mapped executable (markupsafe speedups).',
      primitive: {
        kind: 'file',
        path: '/usr/local/lib/python3.12/site-packages/markupsafe/_speedups.cpython-312-x86_64-linux-gnu.so',
        access: 'rm',
      },
    },
    {
      why: 'The listening socket is an IPv4 TCP socket.',
      primitive: { kind: 'network', domain: 'inet', type: 'stream' },
    },
    {
      why: 'socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0) for 0.0.0.0:8000.',
      primitive: { kind: 'syscall', name: 'socket', args: [2n, 0x80001n] },
    },
    {
      why: 'bind() to 0.0.0.0:8000, an unprivileged port.',
      primitive: { kind: 'syscall', name: 'bind' },
    },
    {
      why: 'listen() on the bound socket.',
      primitive: { kind: 'syscall', name: 'listen' },
    },
    {
      why: 'The arbiter wakes itself from signal handlers through a pipe.',
      primitive: { kind: 'syscall', name: 'pipe2', args: [0n, 0x80800n] },
    },
    {
      why: 'The arbiter forks each worker (os.fork).',
      primitive: { kind: 'syscall', name: 'clone', args: [0x1200011n] },
    },
    {
      why: 'Each worker creates its heartbeat file with tempfile.mkstemp.',
      primitive: { kind: 'file', path: '/tmp/wgunicorn-k2c1x9qd', access: 'w' },
    },
    {
      why: 'The heartbeat file is unlinked at once and kept open.',
      primitive: { kind: 'syscall', name: 'unlink' },
    },
    {
      why: 'The worker waits for connections with the selectors module (epoll).',
      primitive: { kind: 'syscall', name: 'epoll_wait' },
    },
    {
      why: 'The worker accepts a request.',
      primitive: { kind: 'syscall', name: 'accept4', args: [5n, 0n, 0n, 0x80000n] },
    },
    {
      why: 'The worker refreshes its heartbeat (os.utime on the open file).',
      primitive: { kind: 'syscall', name: 'utimensat' },
    },
  ],
} satisfies BenignWorkload;
