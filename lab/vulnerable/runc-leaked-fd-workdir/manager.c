/*
 * CVE-2024-21626 re-creation: a launcher that (1) holds a directory descriptor for a host directory
 * opened without O_CLOEXEC, so the container's init inherits it (runc 1.0.0-rc93 .. 1.1.11 leaked
 * its handle on the host's /sys/fs/cgroup into runc init, usually as fd 7), and (2) honours the
 * configured working directory after the root switch without checking the result is inside the
 * container. With the image's WORKDIR set to /proc/self/fd/7, the container process starts with
 * its working directory on the host.
 *
 *   manager [--cwd-check] HOSTDIR ROOTFS [TARGET]
 * HOSTDIR is the host's /sys/fs/cgroup (in the lab VM) or a stand-in for it (a developer's run).
 * The container runs `/attack [TARGET]` with the working directory /proc/self/fd/7 (the image's
 * WORKDIR); TARGET is the file the attacker creates, relative to that working directory.
 * --cwd-check is the fixed behaviour (runc 1.1.12): the handle is opened O_CLOEXEC and closed before
 * the container's init could use it, and after chdir the working directory is verified to be
 * inside the container's root (getcwd(2) must not report "(unreachable)").
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LEAKED_FD 7
#define WORKDIR "/proc/self/fd/7"

struct scenario {
  int hostfd;    /* the host directory handle */
  int cwd_check; /* fixed behaviour */
};

/* Runs in the container's init before the root switch: the fixed runtime never lets the handle
   reach this process (1.1.12 "cgroup: plug leaks of /sys/fs/cgroup handle"); emulated by closing
   it here, the first code that runs on the container side. */
static int before_root(void *arg, const char *rootfs) {
  (void)rootfs;
  struct scenario *s = arg;
  if (!s->cwd_check) return 0;
  if (close(s->hostfd) != 0) {
    perror("close the host directory handle");
    return -1;
  }
  bw_step("fixed runtime: no host directory handle in the container's init", 1, 0, "closed before the root switch");
  return 0;
}

/* The working directory, after the root switch, /proc and masked paths: where runc's
   finalizeNamespace does its chdir. The raw syscall: glibc's getcwd(3) hides "(unreachable)". */
static int set_cwd(void *arg) {
  struct scenario *s = arg;
  if (chdir(WORKDIR) != 0) {
    bw_step("chdir to the configured working directory " WORKDIR, 0, errno, "");
    return -1;
  }
  char wd[4096];
  long n = syscall(SYS_getcwd, wd, sizeof wd);
  if (n < 0) {
    int e = errno;
    bw_step("chdir to the configured working directory " WORKDIR, 0, e, "getcwd failed");
    return -1;
  }
  bw_step("chdir to the configured working directory " WORKDIR, 1, 0, wd);
  if (s->cwd_check && wd[0] != '/') {
    /* runc 1.1.12 verifyCwd: "current working directory is outside of container mount namespace
       root -- possible container breakout detected". */
    bw_step("fixed runtime: verify the working directory is inside the container", 0, EPERM, wd);
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  int i = 1;
  struct scenario s = {.hostfd = -1};
  if (i < argc && strcmp(argv[i], "--cwd-check") == 0) {
    s.cwd_check = 1;
    i++;
  }
  if (argc - i != 2 && argc - i != 3) {
    fprintf(stderr, "usage: manager [--cwd-check] HOSTDIR ROOTFS [TARGET]\n");
    return 2;
  }
  const char *hostdir = argv[i], *rootfs = argv[i + 1];
  char *target = argc - i == 3 ? argv[i + 2] : NULL;
  struct bw_defence d;
  bw_defence_from_env(&d);

  /* The vulnerable open, as runc 1.1's cgroup code (prepareOpenat2): O_PATH|O_DIRECTORY without
     O_CLOEXEC, and parked at the descriptor number the image expects (in runc the number came from
     the order of its opens, 7 in the releases the advisory lists). */
  int fd = open(hostdir, O_PATH | O_DIRECTORY | (s.cwd_check ? O_CLOEXEC : 0));
  if (fd < 0) {
    perror(hostdir);
    return 125;
  }
  if (fd != LEAKED_FD) {
    if (dup3(fd, LEAKED_FD, s.cwd_check ? O_CLOEXEC : 0) < 0) {
      perror("dup3");
      return 125;
    }
    close(fd);
  }
  s.hostfd = LEAKED_FD;

  char *const cargv[] = {"/attack", target, NULL};
  /* cwd is NULL: set_cwd does the chdir itself, at the point bwlab would, so it can report it. */
  struct bw_container_opts o = {
      .rootfs = rootfs, .argv = cargv, .before_root = before_root, .before_defence = set_cwd, .arg = &s};
  pid_t pid = bw_container_start(&d, &o);
  if (pid < 0) {
    bw_step("start the container", 0, errno, rootfs);
    return 125;
  }
  close(LEAKED_FD);
  int st = bw_wait(pid, 12);
  if (st == 125) bw_step("start the container", 0, EPERM, "the runtime refused to start it (see the steps above)");
  return 0;
}
