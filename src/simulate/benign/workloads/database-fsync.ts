import type { BenignWorkload } from '../schema.js';

/** The official postgres image: the entrypoint fixes ownership and drops to postgres, then the server starts. */
export const workload = {
  id: 'database-fsync',
  title: 'PostgreSQL-like database with durable writes',
  description:
    'A PostgreSQL-style server: the root entrypoint chowns the data directory and drops to the ' +
    'postgres user; the server locks its data directory, preallocates and writes WAL with ' +
    'pwrite64 + fdatasync, fsyncs data files, maps shared memory (anonymous, System V and POSIX ' +
    '/dev/shm), listens on a unix socket in /run/postgresql and on TCP 5432, and forks backends.',
  steps: [
    {
      why: "The entrypoint makes the data directory the postgres user's: chown -R walks it with fchownat(dirfd, name, 999, 999, AT_SYMLINK_NOFOLLOW).",
      primitive: { kind: 'syscall', name: 'fchownat', args: [4n, 0n, 999n, 999n, 0x100n] },
    },
    {
      why: "Changing a file's owner needs CAP_CHOWN.",
      primitive: { kind: 'capability', name: 'chown' },
    },
    {
      why: 'gosu drops to postgres: setgroups, then setgid(999).',
      primitive: { kind: 'syscall', name: 'setgid', args: [999n] },
    },
    {
      why: 'Changing gid needs CAP_SETGID.',
      primitive: { kind: 'capability', name: 'setgid' },
    },
    {
      why: 'setuid(999), the postgres user.',
      primitive: { kind: 'syscall', name: 'setuid', args: [999n] },
    },
    {
      why: 'Changing uid needs CAP_SETUID.',
      primitive: { kind: 'capability', name: 'setuid' },
    },
    {
      why: 'gosu executes the server.',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing postgres.',
      primitive: { kind: 'file', path: '/usr/lib/postgresql/16/bin/postgres', access: 'x' },
    },
    {
      why: 'The server reads its configuration.',
      primitive: { kind: 'file', path: '/var/lib/postgresql/data/postgresql.conf', access: 'r' },
    },
    {
      why: 'The server creates its lock file in the data directory.',
      primitive: { kind: 'file', path: '/var/lib/postgresql/data/postmaster.pid', access: 'wk' },
    },
    {
      why: 'An exclusive advisory lock keeps a second server off the same volume (flock LOCK_EX|LOCK_NB).',
      primitive: { kind: 'syscall', name: 'flock', args: [3n, 6n] },
    },
    {
      why: 'The main shared memory is an anonymous shared mapping.',
      primitive: { kind: 'syscall', name: 'mmap', args: [0n, 0x9000000n, 3n, 0x21n] },
    },
    {
      why: 'A small System V segment guards against orphaned servers.',
      primitive: { kind: 'syscall', name: 'shmget' },
    },
    {
      why: 'The segment is attached.',
      primitive: { kind: 'syscall', name: 'shmat' },
    },
    {
      why: 'Dynamic shared memory is POSIX shm (shm_open under /dev/shm).',
      primitive: { kind: 'file', path: '/dev/shm/PostgreSQL.2218830930', access: 'rw' },
    },
    {
      why: 'The shm object is sized before it is mapped.',
      primitive: { kind: 'syscall', name: 'ftruncate' },
    },
    {
      why: 'The shm object is mapped shared (PROT_READ|PROT_WRITE, MAP_SHARED).',
      primitive: { kind: 'syscall', name: 'mmap', args: [0n, 0x100000n, 3n, 0x1n, 5n] },
    },
    {
      why: 'The local socket is a unix stream socket.',
      primitive: { kind: 'network', domain: 'unix', type: 'stream' },
    },
    {
      why: 'socket(AF_UNIX, SOCK_STREAM, 0).',
      primitive: { kind: 'syscall', name: 'socket', args: [1n, 1n] },
    },
    {
      why: 'The server binds its socket in unix_socket_directories (/var/run/postgresql, which is /run/postgresql).',
      primitive: { kind: 'unix', access: 'bind', addr: '/run/postgresql/.s.PGSQL.5432' },
    },
    {
      why: 'Binding a path socket creates the socket file.',
      primitive: { kind: 'file', path: '/run/postgresql/.s.PGSQL.5432', access: 'w' },
    },
    {
      why: 'TCP listener for port 5432.',
      primitive: { kind: 'network', domain: 'inet', type: 'stream' },
    },
    {
      why: 'socket(AF_INET, SOCK_STREAM, 0).',
      primitive: { kind: 'syscall', name: 'socket', args: [2n, 1n] },
    },
    {
      why: 'bind() to 0.0.0.0:5432.',
      primitive: { kind: 'syscall', name: 'bind' },
    },
    {
      why: 'listen() on both sockets.',
      primitive: { kind: 'syscall', name: 'listen' },
    },
    {
      why: 'The postmaster forks the checkpointer, WAL writer and a backend per connection.',
      primitive: { kind: 'syscall', name: 'clone', args: [0x1200011n] },
    },
    {
      why: 'A new WAL segment is created.',
      primitive: {
        kind: 'file',
        path: '/var/lib/postgresql/data/pg_wal/000000010000000000000001',
        access: 'rw',
      },
    },
    {
      why: 'openat(O_RDWR|O_CREAT) of the segment.',
      primitive: { kind: 'syscall', name: 'openat' },
    },
    {
      why: 'The 16 MiB segment is preallocated (fallocate mode 0).',
      primitive: { kind: 'syscall', name: 'fallocate', args: [4n, 0n, 0n, 0x1000000n] },
    },
    {
      why: 'WAL records are written at their offset.',
      primitive: { kind: 'syscall', name: 'pwrite64' },
    },
    {
      why: 'Commit durability: wal_sync_method = fdatasync.',
      primitive: { kind: 'syscall', name: 'fdatasync' },
    },
    {
      why: "The checkpointer writes a table's data file.",
      primitive: { kind: 'file', path: '/var/lib/postgresql/data/base/5/16384', access: 'rw' },
    },
    {
      why: 'Data pages are read at their offset.',
      primitive: { kind: 'syscall', name: 'pread64' },
    },
    {
      why: 'The checkpoint fsyncs every written data file.',
      primitive: { kind: 'syscall', name: 'fsync' },
    },
  ],
} satisfies BenignWorkload;
