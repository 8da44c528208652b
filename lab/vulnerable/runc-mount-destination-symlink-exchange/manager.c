/*
 * CVE-2021-30465 re-created: runc setting up the volume mounts of a new container of a pod whose
 * other, already running container shares one of those volumes.
 *
 * The vulnerable procedure (runc before 1.0.0-rc95, mountToRootfs): for each mount, resolve the
 * destination inside the rootfs with securejoin (symlinks followed, kept inside the root), create
 * it, then mount(source, <resolved PATH STRING>). The resolution is correct when it runs, but the
 * destination may sit in a shared volume that the running container changes: if it swaps the
 * directory for a symlink to a host path between check and mount, the kernel follows the symlink
 * (runc is still in the host's root, before pivot_root) and the volume is mounted OVER A HOST PATH
 * in the new container's mount namespace. Mount propagation keeps that from the host, but when the
 * covered host path is where later mounts' sources live (the pod's volumes directory), those later
 * sources now resolve inside the attacker's volume: a symlink there turns the next bind mount into
 * a bind of any host path into the container (the advisory and the fix's message describe this).
 *
 * The pod (as in the published PoC): volumes test1 and test2 (host dirs <vols>/test1, <vols>/test2).
 *   c1 (running, the attacker): test1 -> /test1, test2 -> /test2; exchanges /test1/mnt with a
 *      symlink to <vols> in a loop, and has made test2/test2 a symlink to the host path to expose.
 *   c2, c3, ... (created one after the other until one wins):
 *      test1 -> /test1, test2 -> /test1/mnt (the raced mount), test2 -> /test2 (the exposed one).
 *
 * Usage: manager [--mount-fd] [--attempts N] <vols dir> <c1 rootfs> <c2 rootfs> <c1 argv>... -- <c2 argv>...
 *   --mount-fd   the fixed behaviour (runc 1.0.0-rc95, 0ca91f44): open the resolved destination
 *                O_PATH, check readlink(/proc/self/fd/N) is that path inside the rootfs, and mount
 *                onto /proc/self/fd/N; a swapped destination is refused
 *   --attempts   how many c2 containers to create at most (default 400, and at most 7 s)
 * c2's process exits 0 when it saw the exposed host directory and wrote its marker there.
 */
#define _GNU_SOURCE
#include "bwlab.h"
/* securejoin.SecureJoin(root, unsafe), runc's in-root resolution (secure_join): the resolution
   docker-cp-symlink-race re-creates too. */
#include "securejoin.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A deliberate pause between the destination check and the mount (README: runc spent this time
   on the mount's other options, labels and propagation; the lab shortens the race). */
#define CHECK_USE_WINDOW_US 200

/* c2's exit codes set by the mount hook (its process's own are 0, 1, 2; bwlab's failure is 125). */
#define EXIT_FD_CHECK 3      /* --mount-fd refused a swapped destination */
#define EXIT_RESOLVE 4       /* securejoin failed (the path changed under it: a lost round) */
#define EXIT_MKDIR 5         /* creating the destination failed (likewise) */
#define EXIT_MOUNT_ERRNO 10  /* 10 + errno: mount(2) failed */

struct mount_spec {
  const char *source;  /* host path */
  const char *dest;    /* path inside the container */
};

struct hook_arg {
  int mount_fd;
  const char *vols;
  const struct mount_spec *mounts;
  int count;
  int is_c2;
};

/* One bind mount as runc's mountToRootfs did it; exits the container-to-be with a code on error
   (the runtime fails the container; the manager tallies why). */
static void mount_one(const struct hook_arg *h, const char *rootfs, const struct mount_spec *m) {
  char dest[8192];
  if (secure_join(rootfs, m->dest, dest, sizeof dest) != 0) _exit(EXIT_RESOLVE);
  struct stat st;
  if (stat(dest, &st) != 0 && bw_mkdirs(dest, 0755) != 0) _exit(EXIT_MKDIR);
  usleep(CHECK_USE_WINDOW_US);
  const char *target = dest;
  char procfd[64];
  int fd = -1;
  if (h->mount_fd) {
    /* runc 1.0.0-rc95 utils.WithProcfd: pin the destination, verify where it really is. */
    fd = open(dest, O_PATH | O_CLOEXEC);
    if (fd < 0) _exit(EXIT_MOUNT_ERRNO + (errno < 100 ? errno : 0));
    snprintf(procfd, sizeof procfd, "/proc/self/fd/%d", fd);
    char real[8192];
    ssize_t n = readlink(procfd, real, sizeof real - 1);
    if (n < 0) _exit(EXIT_MOUNT_ERRNO + (errno < 100 ? errno : 0));
    real[n] = 0;
    if (strcmp(real, dest) != 0) {
      /* "possibly malicious path detected -- refusing to operate on <real>" */
      _exit(EXIT_FD_CHECK);
    }
    target = procfd;
  }
  if (mount(m->source, target, NULL, MS_BIND | MS_REC, NULL) != 0) _exit(EXIT_MOUNT_ERRNO + (errno < 100 ? errno : 0));
  if (fd >= 0) close(fd);
}

static int mount_volumes(void *arg, const char *rootfs) {
  const struct hook_arg *h = arg;
  for (int i = 0; i < h->count; i++) mount_one(h, rootfs, &h->mounts[i]);
  return 0;
}

int main(int argc, char **argv) {
  struct bw_defence d;
  bw_defence_from_env(&d);
  int a = 1, mount_fd = 0, attempts = 400;
  for (; a < argc; a++) {
    if (strcmp(argv[a], "--mount-fd") == 0) mount_fd = 1;
    else if (strcmp(argv[a], "--attempts") == 0 && a + 1 < argc) attempts = atoi(argv[++a]);
    else break;
  }
  int sep = -1;
  for (int i = a; i < argc; i++)
    if (strcmp(argv[i], "--") == 0) sep = i;
  if (argc - a < 5 || sep < a + 4 || sep == argc - 1) {
    fprintf(stderr, "usage: %s [--mount-fd] [--attempts N] <vols> <c1 rootfs> <c2 rootfs> <c1 argv>... -- <c2 argv>...\n", argv[0]);
    return 125;
  }
  const char *vols = argv[a], *root1 = argv[a + 1], *root2 = argv[a + 2];
  argv[sep] = NULL;
  char *const *argv1 = argv + a + 3, *const *argv2 = argv + sep + 1;

  char test1[4200], test2[4200];
  snprintf(test1, sizeof test1, "%s/test1", vols);
  snprintf(test2, sizeof test2, "%s/test2", vols);
  const struct mount_spec c1_mounts[] = {{test1, "/test1"}, {test2, "/test2"}};
  const struct mount_spec c2_mounts[] = {{test1, "/test1"}, {test2, "/test1/mnt"}, {test2, "/test2"}};
  struct hook_arg h1 = {mount_fd, vols, c1_mounts, 2, 0};
  struct hook_arg h2 = {mount_fd, vols, c2_mounts, 3, 1};

  /* c1: the attacker's container, created before the race starts. */
  struct bw_container_opts o1 = {.rootfs = root1, .argv = argv1, .before_root = mount_volumes, .arg = &h1};
  pid_t c1 = bw_container_start(&d, &o1);
  if (c1 < 0) {
    bw_step("runtime: start c1", 0, errno, root1);
    return 125;
  }
  char ready[4300];
  snprintf(ready, sizeof ready, "%s/.ready", test1);
  for (int i = 0; i < 300 && access(ready, F_OK) != 0; i++) {
    int st;
    if (waitpid(c1, &st, WNOHANG) == c1) {
      c1 = -1;
      if (WIFEXITED(st) && WEXITSTATUS(st) == 125) {
        fprintf(stderr, "manager: c1 could not be set up\n");
        return 125;
      }
      break;
    }
    usleep(10000);
  }
  if (c1 < 0) {
    /* The attacker gave up before the race (its own steps say why). */
    bw_step("runtime: c1 running while further containers are created", 0, ECHILD, "c1 exited");
  }

  /* c2, c3, ...: each a new container with the nested volume mounts, until one sees the host. */
  int tally[256] = {0}, tried = 0, won = 0;
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (; c1 > 0 && tried < attempts && !won; tried++) {
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec >= 7) break;
    struct bw_container_opts o2 = {.rootfs = root2, .argv = argv2, .before_root = mount_volumes, .arg = &h2};
    pid_t c2 = bw_container_start(&d, &o2);
    if (c2 < 0) {
      tally[255]++;
      continue;
    }
    int st = bw_wait(c2, 2);
    if (st < 0 || st > 254) st = 254;
    tally[st]++;
    /* 0: c2 wrote its marker into the exposed host dir; 2: it saw the host dir but its write was
       refused. Either way the mount escaped the rootfs: stop, as the attacker would. */
    if (st == 0 || st == 2) won = 1;
  }
  char detail[640];
  int escaped = tally[0] + tally[2];
  int mount_errors = 0, first_mount_errno = 0;
  for (int e = 1; e < 100; e++)
    if (tally[EXIT_MOUNT_ERRNO + e]) {
      mount_errors += tally[EXIT_MOUNT_ERRNO + e];
      if (!first_mount_errno) first_mount_errno = e;
    }
  snprintf(detail, sizeof detail, "%d containers created: %d saw the host dir, %d saw their own volume, %d refused by the fd check, %d mount errors, %d lost to the race while resolving, %d other failures",
           tried, escaped, tally[1], tally[EXIT_FD_CHECK], mount_errors, tally[EXIT_RESOLVE] + tally[EXIT_MKDIR],
           tally[125] + tally[255] + tally[254]);
  bw_step("runtime: volume mount destinations stay inside the rootfs", escaped == 0, escaped ? EXDEV : 0, detail);
  if (tally[EXIT_RESOLVE] + tally[EXIT_MKDIR])
    fprintf(stderr, "manager: %d containers failed because a destination changed while it was resolved or created\n",
            tally[EXIT_RESOLVE] + tally[EXIT_MKDIR]);
  if (tally[EXIT_FD_CHECK]) {
    snprintf(detail, sizeof detail, "%d swapped destinations refused (possibly malicious path detected)", tally[EXIT_FD_CHECK]);
    bw_step("runtime: check the pinned mount destination (mount-fd)", 0, EPERM, detail);
  }
  if (mount_errors) {
    snprintf(detail, sizeof detail, "%d mounts failed, first with %s", mount_errors, strerrorname_np(first_mount_errno));
    bw_step("runtime: bind-mount a volume", 0, first_mount_errno, detail);
  }
  if (c1 > 0) {
    kill(c1, SIGKILL);
    bw_wait(c1, 2);
  }
  /* Every c2 failing in bwlab's own set-up (125) means the scenario did not run. */
  if (tried > 0 && tally[125] == tried) {
    fprintf(stderr, "manager: no c2 could be set up\n");
    return 125;
  }
  return 0;
}
