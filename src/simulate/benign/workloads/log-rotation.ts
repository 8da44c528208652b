import type { BenignWorkload } from '../schema.js';

/** logrotate for nginx in the same container: rename, create, compress, then SIGHUP the server. */
export const workload = {
  id: 'log-rotation',
  title: 'Log rotation (logrotate)',
  description:
    'logrotate rotates the nginx logs of its own container: it renames access.log to access.log.1, ' +
    'shifts older archives, creates a fresh log owned by www-data, compresses the previous one with ' +
    'gzip, signals nginx with SIGHUP to reopen its logs and saves its state file.',
  steps: [
    {
      why: 'cron (or a sidecar loop) runs logrotate.',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing logrotate.',
      primitive: { kind: 'file', path: '/usr/sbin/logrotate', access: 'x' },
    },
    {
      why: 'logrotate reads its configuration.',
      primitive: { kind: 'file', path: '/etc/logrotate.conf', access: 'r' },
    },
    {
      why: 'The included per-package configuration.',
      primitive: { kind: 'file', path: '/etc/logrotate.d/nginx', access: 'r' },
    },
    {
      why: 'logrotate reads when each log was last rotated.',
      primitive: { kind: 'file', path: '/var/lib/logrotate/status', access: 'r' },
    },
    {
      why: 'The oldest archive past `rotate 14` is removed.',
      primitive: { kind: 'syscall', name: 'unlink' },
    },
    {
      why: 'Unlinking needs write on the path.',
      primitive: { kind: 'file', path: '/var/log/nginx/access.log.14.gz', access: 'w' },
    },
    {
      why: 'Older archives shift by one: renameat2(AT_FDCWD, old, AT_FDCWD, new, 0), a plain rename (no RENAME_EXCHANGE).',
      primitive: {
        kind: 'syscall',
        name: 'renameat2',
        args: [0xffffffffffffff9cn, 0n, 0xffffffffffffff9cn, 0n, 0n],
      },
    },
    {
      why: 'The renamed archive.',
      primitive: { kind: 'file', path: '/var/log/nginx/access.log.3.gz', access: 'w' },
    },
    {
      why: 'The live log becomes access.log.1.',
      primitive: { kind: 'syscall', name: 'rename' },
    },
    {
      why: 'Source of the rename.',
      primitive: { kind: 'file', path: '/var/log/nginx/access.log', access: 'w' },
    },
    {
      why: 'Destination of the rename.',
      primitive: { kind: 'file', path: '/var/log/nginx/access.log.1', access: 'w' },
    },
    {
      why: '`create 0640 www-data adm`: a new empty log.',
      primitive: { kind: 'syscall', name: 'openat' },
    },
    {
      why: 'fchown(fd, 33, 4): the new log belongs to www-data:adm.',
      primitive: { kind: 'syscall', name: 'fchown', args: [4n, 33n, 4n] },
    },
    {
      why: 'Giving a file to another user needs CAP_CHOWN.',
      primitive: { kind: 'capability', name: 'chown' },
    },
    {
      why: 'fchmod(fd, 0640).',
      primitive: { kind: 'syscall', name: 'fchmod', args: [4n, 0o640n] },
    },
    {
      why: '`postrotate`: the script reads the nginx pid.',
      primitive: { kind: 'file', path: '/run/nginx.pid', access: 'r' },
    },
    {
      why: 'kill -HUP <pid> (the nginx master, PID 1 of this container).',
      primitive: { kind: 'syscall', name: 'kill', args: [1n, 1n] },
    },
    {
      why: 'SIGHUP makes nginx reopen its log files.',
      primitive: { kind: 'signal', signal: 'hup', peer: 'container' },
    },
    {
      why: '`compress`: logrotate forks gzip.',
      primitive: { kind: 'syscall', name: 'clone', args: [0x1200011n] },
    },
    {
      why: 'Executing gzip (/bin is /usr/bin).',
      primitive: { kind: 'file', path: '/usr/bin/gzip', access: 'x' },
    },
    {
      why: 'gzip writes the compressed archive.',
      primitive: { kind: 'file', path: '/var/log/nginx/access.log.2.gz', access: 'w' },
    },
    {
      why: 'logrotate waits for gzip.',
      primitive: { kind: 'syscall', name: 'wait4' },
    },
    {
      why: 'logrotate writes its state to a temporary file.',
      primitive: { kind: 'file', path: '/var/lib/logrotate/status.tmp', access: 'w' },
    },
    {
      why: 'The state file is replaced atomically.',
      primitive: { kind: 'syscall', name: 'rename' },
    },
    {
      why: 'Destination of the state rename.',
      primitive: { kind: 'file', path: '/var/lib/logrotate/status', access: 'w' },
    },
  ],
} satisfies BenignWorkload;
