/*
 * CVE-2018-15664 re-created: the daemon side of `docker cp <host file> <container>:<dir>/` into a
 * running container.
 *
 * The vulnerable procedure (Docker before 18.09.7 / 19.03.0): dockerd, as host root in the host's
 * mount namespace, resolves the container path against the container's root directory on the host
 * with symlink.FollowSymlinkInScope (symlinks are followed but kept inside the root), gets back a
 * host PATH STRING, and then extracts the archive into that path. Between the two the container
 * can swap the directory for a symlink to an absolute host path (the published PoC exchanges them
 * with renameat2(RENAME_EXCHANGE) in a loop); the kernel follows that symlink on the host, so the
 * file lands outside the container. The PoC ran `docker cp` in a loop until it won; so does this.
 *
 * Usage: manager [--chroot] [--attempts N] <host file> <container dir> <rootfs> <argv>...
 *   --chroot     the fixed behaviour (chrootarchive, Docker 18.09.7 / 19.03.0): the copy runs in
 *                a child chrooted into the container root (in its own mount namespace), so every
 *                path, symlinks included, resolves inside the container
 *   --attempts   how many `docker cp` runs (default 300)
 *   <argv>       the container's process (the attacker)
 */
#define _GNU_SOURCE
#include "bwlab.h"
/* symlink.FollowSymlinkInScope (secure_join): the resolution runc-mount-destination-symlink-exchange
   re-creates too. */
#include "securejoin.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A deliberate pause between resolving and using the path (see README: the real daemon spent
   this time building the tar stream and walking the archive). */
#define CHECK_USE_WINDOW_US 300

static int write_all(const char *path, const char *data, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  ssize_t w = write(fd, data, len);
  int e = errno;
  close(fd);
  errno = e;
  return w == (ssize_t)len ? 0 : -1;
}

/* The vulnerable copy: resolve (symlink.FollowSymlinkInScope(root+dir, root)), then extract into
   the resolved host path. */
static int copy_vulnerable(const char *rootfs, const char *dir, const char *name, const char *data, size_t len,
                           char *where, size_t wlen) {
  char resolved[8192];
  if (secure_join(rootfs, dir, resolved, sizeof resolved) != 0) return -1;
  usleep(CHECK_USE_WINDOW_US);
  snprintf(where, wlen, "%s/%s", resolved, name);
  return write_all(where, data, len);
}

/* The fixed copy: a child in its own mount namespace chroots into the container root, then the
   same extraction by path, which now resolves everything inside the container. */
static int copy_chrooted(const char *rootfs, const char *dir, const char *name, const char *data, size_t len,
                         char *where, size_t wlen) {
  snprintf(where, wlen, "%s/%s (inside the container root)", dir, name);
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 || chroot(rootfs) != 0 ||
        chdir("/") != 0)
      _exit(errno ? errno : EIO);
    usleep(CHECK_USE_WINDOW_US);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    _exit(write_all(path, data, len) == 0 ? 0 : (errno ? errno : EIO));
  }
  int st;
  if (waitpid(pid, &st, 0) < 0) return -1;
  if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return 0;
  errno = WIFEXITED(st) ? WEXITSTATUS(st) : EINTR;
  return -1;
}

int main(int argc, char **argv) {
  struct bw_defence d;
  bw_defence_from_env(&d);
  int a = 1, chrooted = 0, attempts = 300;
  for (; a < argc; a++) {
    if (strcmp(argv[a], "--chroot") == 0) chrooted = 1;
    else if (strcmp(argv[a], "--attempts") == 0 && a + 1 < argc) attempts = atoi(argv[++a]);
    else break;
  }
  if (argc - a < 4) {
    fprintf(stderr, "usage: %s [--chroot] [--attempts N] <host file> <container dir> <rootfs> <argv>...\n", argv[0]);
    return 125;
  }
  const char *hostfile = argv[a], *dir = argv[a + 1], *rootfs = argv[a + 2];
  char *const *cargv = argv + a + 3;

  /* The archive's content: read from the host before anything (the CLI streams it to dockerd). */
  char data[4096];
  int fd = open(hostfile, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    perror(hostfile);
    return 125;
  }
  ssize_t len = read(fd, data, sizeof data);
  close(fd);
  if (len < 0) {
    perror(hostfile);
    return 125;
  }
  char namebuf[4096];
  snprintf(namebuf, sizeof namebuf, "%s", hostfile);
  const char *name = basename(namebuf);

  struct bw_container_opts o = {.rootfs = rootfs, .argv = cargv};
  pid_t c = bw_container_start(&d, &o);
  if (c < 0) {
    bw_step("runtime: start the container", 0, errno, rootfs);
    return 125;
  }
  /* Wait (at most 3 s) until the container has set its trap up: it creates <dir>'s parent's
     ".ready" once the exchange loop runs. */
  char ready[8192], dircopy[4096];
  snprintf(dircopy, sizeof dircopy, "%s", dir);
  snprintf(ready, sizeof ready, "%s%s/.ready", rootfs, dirname(dircopy));
  for (int i = 0; i < 300 && access(ready, F_OK) != 0; i++) {
    int st;
    if (waitpid(c, &st, WNOHANG) == c) {
      /* The attacker ended before the copy: its own steps say why; 125 is bwlab failing to set
         the container up, a broken scenario. */
      c = -1;
      if (WIFEXITED(st) && WEXITSTATUS(st) == 125) {
        fprintf(stderr, "manager: the container could not be set up\n");
        return 125;
      }
      break;
    }
    usleep(10000);
  }

  int inside = 0, failed = 0, first_errno = 0, refused = 0, refused_errno = 0;
  char where[8400], last_ok[8400] = "";
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (int i = 0; i < attempts; i++) {
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec >= 8) break;
    int rc = chrooted ? copy_chrooted(rootfs, dir, name, data, (size_t)len, where, sizeof where)
                      : copy_vulnerable(rootfs, dir, name, data, (size_t)len, where, sizeof where);
    if (rc != 0) {
      failed++;
      if (!first_errno) first_errno = errno;
      /* ENOENT: the path was resolved while it was the symlink (kept inside the root, where the
         host path does not exist), a lost round. EACCES/EPERM: something refused the write,
         which here can only be a write that followed the swapped symlink out of the root. */
      if (errno == EACCES || errno == EPERM) {
        refused++;
        refused_errno = errno;
      }
      continue;
    }
    inside++;
    snprintf(last_ok, sizeof last_ok, "%s", where);
  }
  char detail[9000];
  snprintf(detail, sizeof detail, "%d copies completed (last into %s), %d failed", inside, last_ok[0] ? last_ok : "-", failed);
  /* Completed copies are what dockerd reported as success; whether one of them followed the
     swapped symlink out of the root is decided on the host side (run.sh). */
  bw_step(chrooted ? "cp-helper: copy into the container (chrooted)" : "cp-helper: copy into the container (resolved path)",
          inside > 0, inside > 0 ? 0 : first_errno, detail);
  if (refused) {
    snprintf(detail, sizeof detail, "%d writes through the swapped symlink refused", refused);
    bw_step("cp-helper: write outside the container root", 0, refused_errno, detail);
  }
  if (c > 0) {
    kill(c, SIGKILL);
    int st = bw_wait(c, 2);
    fprintf(stderr, "manager: container exit status %d\n", st);
  }
  return 0;
}
