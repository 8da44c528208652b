import type { BenignWorkload } from '../schema.js';

/** `gcc -O2 -pipe -o /build/app /build/main.c` in a gcc:12 / Debian build container. */
export const workload = {
  id: 'gcc-compile',
  title: 'Compile and link a C program with gcc',
  description:
    'The gcc driver compiles /build/main.c: it runs cc1 and the assembler connected by a pipe ' +
    '(-pipe), keeps the object file in /tmp, runs collect2 and ld to link against the C library, ' +
    'writes the executable to /build, makes it executable and removes its temporary files.',
  steps: [
    {
      why: 'The build runs gcc.',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing the driver: /usr/bin/gcc resolves to x86_64-linux-gnu-gcc-12.',
      primitive: { kind: 'file', path: '/usr/bin/x86_64-linux-gnu-gcc-12', access: 'x' },
    },
    {
      why: 'With -pipe, cc1 writes assembly into a pipe the assembler reads.',
      primitive: { kind: 'syscall', name: 'pipe2', args: [0n, 0x80000n] },
    },
    {
      why: 'libiberty pexecute starts each stage with vfork.',
      primitive: { kind: 'syscall', name: 'vfork' },
    },
    {
      why: 'The child executes the compiler proper.',
      primitive: { kind: 'syscall', name: 'execve' },
    },
    {
      why: 'Executing cc1.',
      primitive: { kind: 'file', path: '/usr/lib/gcc/x86_64-linux-gnu/12/cc1', access: 'x' },
    },
    {
      why: 'cc1 reads the source.',
      primitive: { kind: 'file', path: '/build/main.c', access: 'r' },
    },
    {
      why: 'cc1 reads the system headers.',
      primitive: { kind: 'file', path: '/usr/include/stdio.h', access: 'r' },
    },
    {
      why: 'The assembler runs as the pipe reader (as resolves to x86_64-linux-gnu-as).',
      primitive: { kind: 'file', path: '/usr/bin/x86_64-linux-gnu-as', access: 'x' },
    },
    {
      why: 'The object file goes to a temporary file in /tmp.',
      primitive: { kind: 'file', path: '/tmp/ccH4Kq2a.o', access: 'w' },
    },
    {
      why: 'The driver waits for each stage.',
      primitive: { kind: 'syscall', name: 'wait4' },
    },
    {
      why: 'The driver runs collect2, which runs the linker.',
      primitive: { kind: 'file', path: '/usr/lib/gcc/x86_64-linux-gnu/12/collect2', access: 'x' },
    },
    {
      why: 'collect2 starts ld with a fork (glibc posix_spawn: clone(CLONE_VM|CLONE_VFORK|SIGCHLD)).',
      primitive: { kind: 'syscall', name: 'clone', args: [0x4111n] },
    },
    {
      why: 'Executing the linker (ld resolves to x86_64-linux-gnu-ld.bfd).',
      primitive: { kind: 'file', path: '/usr/bin/x86_64-linux-gnu-ld.bfd', access: 'x' },
    },
    {
      why: 'ld reads the start files.',
      primitive: { kind: 'file', path: '/usr/lib/x86_64-linux-gnu/crt1.o', access: 'r' },
    },
    {
      why: 'ld reads the libc linker script and shared object.',
      primitive: { kind: 'file', path: '/usr/lib/x86_64-linux-gnu/libc.so', access: 'r' },
    },
    {
      why: 'ld maps its inputs.',
      primitive: { kind: 'syscall', name: 'mmap' },
    },
    {
      why: 'ld writes the executable.',
      primitive: { kind: 'file', path: '/build/app', access: 'w' },
    },
    {
      why: 'ld makes the output executable: chmod(path, 0755).',
      primitive: { kind: 'syscall', name: 'chmod', args: [0n, 0o755n] },
    },
    {
      why: 'The driver removes its temporary object file.',
      primitive: { kind: 'syscall', name: 'unlink' },
    },
    {
      why: 'Unlinking needs write on the file path.',
      primitive: { kind: 'file', path: '/tmp/ccH4Kq2a.o', access: 'w' },
    },
    {
      why: 'gcc exits.',
      primitive: { kind: 'syscall', name: 'exit_group', args: [0n] },
    },
  ],
} satisfies BenignWorkload;
