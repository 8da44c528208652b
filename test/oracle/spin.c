/*
 * spin: the container process while the oracle reads its seccomp filters.
 *
 * Build: gcc -static -nostdlib -O0 -o spin spin.c
 *
 * No libc, no startup code, and not a single syscall after execve: whatever
 * profile runc installed (even one that kills exit, write or nanosleep), this
 * process can neither be killed by it nor trip over it. It spins until the
 * oracle sends SIGKILL (`runc kill <id> KILL`).
 */
void _start(void) {
  for (;;) {
#if defined(__x86_64__) || defined(__i386__)
    /* Spin-wait hint: lighter on the (shared) CPU; also keeps the loop from being elided. */
    __asm__ volatile("pause");
#else
    __asm__ volatile("" ::: "memory");
#endif
  }
}
