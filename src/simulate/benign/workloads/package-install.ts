import type { BenignWorkload } from '../schema.js';

/** `apt-get install -y cron` in a running Debian container (root filesystem writable). */
export const workload = {
  id: 'package-install',
  title: 'Package install with apt-get',
  description:
    'apt-get installs a package at run time (needs a writable root filesystem): it locks its ' +
    'databases, downloads the .deb as its sandbox user _apt, and dpkg unpacks files under /usr, sets ' +
    'their owners, modes (including a setgid binary) and times, updates /var/lib/dpkg and runs the ' +
    'maintainer script.',
  steps: [
    {
      why: 'The shell runs apt-get.',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing apt-get.',
      primitive: { kind: 'file', path: '/usr/bin/apt-get', access: 'x' },
    },
    {
      why: 'apt reads its sources.',
      primitive: { kind: 'file', path: '/etc/apt/sources.list.d/debian.sources', access: 'r' },
    },
    {
      why: 'apt takes the dpkg frontend lock (open for write, then fcntl F_SETLK).',
      primitive: { kind: 'file', path: '/var/lib/dpkg/lock-frontend', access: 'wk' },
    },
    {
      why: 'fcntl(fd, F_SETLK) on the lock file.',
      primitive: { kind: 'syscall', name: 'fcntl', args: [3n, 6n] },
    },
    {
      why: 'apt reads the package lists.',
      primitive: {
        kind: 'file',
        path: '/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4',
        access: 'r',
      },
    },
    {
      why: 'The http method is forked to download.',
      primitive: { kind: 'syscall', name: 'clone', args: [0x1200011n] },
    },
    {
      why: 'The method drops to the _apt sandbox user: first it clears its supplementary groups.',
      primitive: { kind: 'syscall', name: 'setgroups', args: [0n, 0n] },
    },
    {
      why: 'setresgid(65534), nogroup, the primary group of _apt.',
      primitive: { kind: 'syscall', name: 'setresgid', args: [65534n, 65534n, 65534n] },
    },
    {
      why: 'Changing gid needs CAP_SETGID.',
      primitive: { kind: 'capability', name: 'setgid' },
    },
    {
      why: 'setresuid(42) to _apt.',
      primitive: { kind: 'syscall', name: 'setresuid', args: [42n, 42n, 42n] },
    },
    {
      why: 'Changing uid needs CAP_SETUID.',
      primitive: { kind: 'capability', name: 'setuid' },
    },
    {
      why: 'The method reads the resolver configuration.',
      primitive: { kind: 'file', path: '/etc/resolv.conf', access: 'r' },
    },
    {
      why: 'The download is an IPv4 TCP connection.',
      primitive: { kind: 'network', domain: 'inet', type: 'stream' },
    },
    {
      why: 'socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP).',
      primitive: { kind: 'syscall', name: 'socket', args: [2n, 0x80001n, 6n] },
    },
    {
      why: 'connect() to deb.debian.org:80.',
      primitive: { kind: 'syscall', name: 'connect' },
    },
    {
      why: 'The method writes the .deb in the partial directory (owned by _apt, mode 0700).',
      primitive: {
        kind: 'file',
        path: '/var/cache/apt/archives/partial/cron_3.0pl1-162_amd64.deb',
        access: 'w',
      },
    },
    {
      why: 'apt (root, not the owner) moves the .deb out of the 0700 _apt directory: CAP_DAC_OVERRIDE.',
      primitive: { kind: 'capability', name: 'dac_override' },
    },
    {
      why: 'rename() of the finished download into the archive cache.',
      primitive: { kind: 'syscall', name: 'rename' },
    },
    {
      why: 'The destination of the rename.',
      primitive: { kind: 'file', path: '/var/cache/apt/archives/cron_3.0pl1-162_amd64.deb', access: 'w' },
    },
    {
      why: 'apt runs dpkg.',
      primitive: { kind: 'file', path: '/usr/bin/dpkg', access: 'x' },
    },
    {
      why: 'dpkg takes its database lock.',
      primitive: { kind: 'file', path: '/var/lib/dpkg/lock', access: 'wk' },
    },
    {
      why: 'dpkg unpacks each file to a .dpkg-new name.',
      primitive: { kind: 'file', path: '/usr/bin/crontab.dpkg-new', access: 'w' },
    },
    {
      why: 'dpkg writes the file content.',
      primitive: { kind: 'syscall', name: 'write' },
    },
    {
      why: 'dpkg sets the owner from the archive (root:crontab): fchown(fd, 0, 101).',
      primitive: { kind: 'syscall', name: 'fchown', args: [5n, 0n, 101n] },
    },
    {
      why: 'Giving a file a group root is not a member of needs CAP_CHOWN.',
      primitive: { kind: 'capability', name: 'chown' },
    },
    {
      why: 'dpkg sets the mode from the archive: crontab is setgid crontab, fchmod(fd, 02755).',
      primitive: { kind: 'syscall', name: 'fchmod', args: [5n, 0o2755n] },
    },
    {
      why: 'Keeping the setgid bit for a group root is not in needs CAP_FSETID.',
      primitive: { kind: 'capability', name: 'fsetid' },
    },
    {
      why: 'dpkg sets the archive mtime (futimens is utimensat).',
      primitive: { kind: 'syscall', name: 'utimensat' },
    },
    {
      why: 'Setting times on files the archive gives to another user (the man user owns /var/cache/man) needs CAP_FOWNER.',
      primitive: { kind: 'capability', name: 'fowner' },
    },
    {
      why: 'dpkg makes the data durable before renaming.',
      primitive: { kind: 'syscall', name: 'fsync' },
    },
    {
      why: 'dpkg renames .dpkg-new over the final name.',
      primitive: { kind: 'syscall', name: 'rename' },
    },
    {
      why: 'The installed file.',
      primitive: { kind: 'file', path: '/usr/bin/crontab', access: 'w' },
    },
    {
      why: "dpkg records the package's file list.",
      primitive: { kind: 'file', path: '/var/lib/dpkg/info/cron.list', access: 'w' },
    },
    {
      why: 'dpkg rewrites its status database.',
      primitive: { kind: 'file', path: '/var/lib/dpkg/status-new', access: 'w' },
    },
    {
      why: 'dpkg runs the maintainer script.',
      primitive: { kind: 'file', path: '/var/lib/dpkg/info/cron.postinst', access: 'x' },
    },
    {
      why: 'The postinst runs under /bin/sh (dash).',
      primitive: { kind: 'file', path: '/usr/bin/dash', access: 'x' },
    },
    {
      why: 'apt waits for dpkg.',
      primitive: { kind: 'syscall', name: 'wait4' },
    },
  ],
} satisfies BenignWorkload;
