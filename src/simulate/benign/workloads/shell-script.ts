import type { BenignWorkload } from '../schema.js';

/** `#!/bin/sh` entrypoint: `grep -c nologin /etc/passwd | wc -l > /tmp/count.txt`, then exit. */
export const workload = {
  id: 'shell-script',
  title: 'Shell script entrypoint',
  description:
    'An entrypoint script run by /bin/sh (dash on Debian): it reads the script, forks a two-command ' +
    'pipeline, redirects its output to a file in /tmp, waits for the children and exits.',
  steps: [
    {
      why: 'The runtime starts the entrypoint: execve("/bin/sh", ["sh", "/entrypoint.sh"]).',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing /bin/sh needs exec permission on the binary it resolves to (/bin -> usr/bin, sh -> dash).',
      primitive: { kind: 'file', path: '/usr/bin/dash', access: 'x' },
    },
    {
      why: 'The dynamic loader reads its cache to find libc.',
      primitive: { kind: 'file', path: '/etc/ld.so.cache', access: 'r' },
    },
    {
      why: 'The loader maps libc executable (mmap PROT_EXEC is AppArmor m).',
      primitive: { kind: 'file', path: '/usr/lib/x86_64-linux-gnu/libc.so.6', access: 'rm' },
    },
    {
      why: 'libc maps its segments and the heap.',
      primitive: { kind: 'syscall', name: 'mmap' },
    },
    {
      why: 'The shell installs its SIGINT/SIGCHLD handlers.',
      primitive: { kind: 'syscall', name: 'rt_sigaction' },
    },
    {
      why: 'The shell opens the script it was given.',
      primitive: { kind: 'syscall', name: 'openat' },
    },
    {
      why: 'Reading the script needs read permission on it.',
      primitive: { kind: 'file', path: '/entrypoint.sh', access: 'r' },
    },
    {
      why: 'The shell reads the script text.',
      primitive: { kind: 'syscall', name: 'read' },
    },
    {
      why: 'A pipeline needs a pipe between the two commands.',
      primitive: { kind: 'syscall', name: 'pipe2' },
    },
    {
      why: 'fork() for the first command: glibc calls clone(CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD).',
      primitive: { kind: 'syscall', name: 'clone', args: [0x1200011n] },
    },
    {
      why: 'The child puts the pipe on its stdout.',
      primitive: { kind: 'syscall', name: 'dup2' },
    },
    {
      why: 'The child runs grep.',
      primitive: { kind: 'file', path: '/usr/bin/grep', access: 'x' },
    },
    {
      why: 'grep reads the file it searches.',
      primitive: { kind: 'file', path: '/etc/passwd', access: 'r' },
    },
    {
      why: 'The second child runs wc on the other end of the pipe.',
      primitive: { kind: 'file', path: '/usr/bin/wc', access: 'x' },
    },
    {
      why: 'The `> /tmp/count.txt` redirection creates and truncates the output file.',
      primitive: { kind: 'file', path: '/tmp/count.txt', access: 'w' },
    },
    {
      why: 'wc writes the count to the redirected stdout.',
      primitive: { kind: 'syscall', name: 'write' },
    },
    {
      why: 'The shell closes its copies of the pipe ends.',
      primitive: { kind: 'syscall', name: 'close' },
    },
    {
      why: 'The shell waits for both children (waitpid is wait4).',
      primitive: { kind: 'syscall', name: 'wait4' },
    },
    {
      why: 'The script ends and the shell exits with status 0.',
      primitive: { kind: 'syscall', name: 'exit_group', args: [0n] },
    },
  ],
} satisfies BenignWorkload;
