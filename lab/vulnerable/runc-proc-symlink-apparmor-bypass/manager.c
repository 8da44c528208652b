/*
 * CVE-2023-28642 re-creation: a runtime that mounts procfs on the container's /proc after resolving
 * the destination inside the rootfs, symlinks included (runc 1.0.0-rc95 .. 1.1.4: SecureJoin
 * followed a symlinked /proc and the "must be an ordinary directory" check ran on the resolved
 * path), and then applies the AppArmor profile by writing "exec <profile>" to
 * /proc/self/attr/apparmor/exec (or /proc/self/attr/exec). The image ships /proc as a symlink to
 * /fakeproc, and the container's config has a volume at /fakeproc (our reading of the advisory's
 * "specific mount configuration"; checkProcMount lets it through, its destination is not under
 * /proc): procfs lands on /fakeproc, the volume, a fake procfs tree, covers it, and
 * /proc -> /fakeproc is the fake. The label write goes into a plain file and the container runs
 * unconfined.
 *
 *   manager [--verify-procfs] ROOTFS VOLUME VOLUME_DEST CANARY
 * VOLUME is the fake procfs, mounted at VOLUME_DEST (/fakeproc); CANARY a host directory
 * bind-mounted at the container's /sys/kernel/security (a directory every container AppArmor
 * profile here denies writes to: docker-default denies wklx under /sys/[^f]* and rwklx under
 * /sys/kernel/security, breakwater denies wlkx under all of /sys), so a marker the container writes
 * there is visible on the host only when no profile applied.
 * --verify-procfs is the fixed behaviour: refuse a symlinked /proc (runc 1.1.5, PR #3785) and write
 * the label only onto procfs (bw_apply_defence, as runc since 1.0.0-rc9).
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

struct scenario {
  const char *volume, *volume_dest, *canary;
  int verify;
};

/* Where the canary directory waits between the two hooks (see move_canary). */
#define CANARY_STAGE "/.bw-canary"

/* Lab plumbing, not part of the procedure: the canary directory, parked inside the rootfs until
   /sys exists (bwlab mounts sysfs after the before_root hook). A bind from a host path after the
   root switch (through a descriptor opened before it) failed with EINVAL on the kernel tested,
   so park and move. */
static int stage_canary(const struct scenario *s, const char *rootfs) {
  char stage[4096];
  snprintf(stage, sizeof stage, "%s%s", rootfs, CANARY_STAGE);
  if (bw_mkdirs(stage, 0755) != 0) return -1;
  if (mount(s->canary, stage, NULL, MS_BIND, NULL) != 0) {
    perror("bind the canary directory");
    return -1;
  }
  return 0;
}

/* SecureJoin-like: the symlink's target taken inside the rootfs. Refuses ".." (SecureJoin would
   clamp it at the rootfs; the image here has no use for it). */
static int resolve_in_rootfs(const char *rootfs, const char *link, char *out, size_t len) {
  char target[4096];
  ssize_t n = readlink(link, target, sizeof target - 1);
  if (n <= 0) return -1;
  target[n] = 0;
  if (strstr(target, "..")) {
    errno = EXDEV;
    return -1;
  }
  int w = snprintf(out, len, "%s%s%s", rootfs, target[0] == '/' ? "" : "/", target);
  if (w < 0 || (size_t)w >= len) {
    errno = ENAMETOOLONG;
    return -1;
  }
  return 0;
}

/* In the container's mount namespace, before the root switch, host paths still in reach: the
   runtime's mounts in the order of the container's config, as runc's prepareRootfs does them:
   procfs on /proc, then the volumes. */
static int mount_rootfs(void *arg, const char *rootfs) {
  struct scenario *s = arg;
  char proc[4096], dest[4096], vol[4096];
  snprintf(proc, sizeof proc, "%s/proc", rootfs);
  struct stat st;
  int is_link = lstat(proc, &st) == 0 && S_ISLNK(st.st_mode);
  if (s->verify) {
    /* The fixed runtime (1.1.5): procfs only on an ordinary directory, checked before any
       symlink is followed; otherwise bwlab mounts procfs (and refuses a symlink too). */
    if (is_link) {
      bw_step("mount procfs on /proc", 0, ELOOP, "fixed runtime: /proc in the image is a symlink, refused");
      return -1;
    }
    return stage_canary(s, rootfs);
  }
  if (is_link) {
    if (resolve_in_rootfs(rootfs, proc, dest, sizeof dest) != 0) {
      bw_step("mount procfs on /proc", 0, errno, "resolve the image's /proc symlink");
      return -1;
    }
  } else {
    snprintf(dest, sizeof dest, "%s", proc);
  }
  /* One level only: never let a second symlink in the image send a mount outside the rootfs. */
  if (bw_mkdirs(dest, 0555) != 0 || lstat(dest, &st) != 0 || !S_ISDIR(st.st_mode)) {
    bw_step("mount procfs on /proc", 0, ENOTDIR, "the symlink's target is not a directory in the rootfs");
    return -1;
  }
  if (mount("proc", dest, "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL) != 0) {
    bw_step("mount procfs on /proc", 0, errno, dest + strlen(rootfs));
    return -1;
  }
  char detail[4096];
  snprintf(detail, sizeof detail, "/proc is a symlink: procfs landed on %s", dest + strlen(rootfs));
  bw_step("mount procfs on /proc", 1, 0, is_link ? detail : "/proc");
  /* The config's volume. Its destination is not under /proc, so checkProcMount let it through. */
  snprintf(vol, sizeof vol, "%s%s", rootfs, s->volume_dest);
  if (bw_mkdirs(vol, 0755) != 0 || lstat(vol, &st) != 0 || !S_ISDIR(st.st_mode)) {
    bw_step("mount the volume at its destination", 0, ENOTDIR, s->volume_dest);
    return -1;
  }
  if (mount(s->volume, vol, NULL, MS_BIND, NULL) != 0) {
    bw_step("mount the volume at its destination", 0, errno, s->volume_dest);
    return -1;
  }
  snprintf(detail, sizeof detail, "%s: it covers the procfs just mounted there", s->volume_dest);
  bw_step("mount the volume at its destination", 1, 0, detail);
  return stage_canary(s, rootfs);
}

/* After the root switch: the canary directory to the container's /sys/kernel/security. */
static int move_canary(void *arg) {
  (void)arg;
  if (mount(CANARY_STAGE, "/sys/kernel/security", NULL, MS_MOVE, NULL) != 0) {
    perror("move the canary directory to /sys/kernel/security");
    return -1;
  }
  if (rmdir(CANARY_STAGE) != 0) {
    perror("rmdir " CANARY_STAGE);
    return -1;
  }
  return 0;
}

/* The label write of runc's apparmor.ApplyProfile: open /proc/self/attr/..., write, with no check
   that the file is on procfs. runc 1.1.4 did have that check (EnsureProcHandle, since rc9); the
   re-creation leaves it out, so the write is the one of runc <= rc8 (see README.md). */
static int vulnerable_apparmor(const char *profile) {
  const char *attr = "/proc/self/attr/apparmor/exec";
  if (access(attr, F_OK) != 0) attr = "/proc/self/attr/exec";
  int fd = open(attr, O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    bw_step("apply the AppArmor profile (write /proc/self/attr/.../exec)", 0, errno, attr);
    return -1;
  }
  char buf[512];
  int n = snprintf(buf, sizeof buf, "exec %s", profile);
  ssize_t w = write(fd, buf, (size_t)n);
  int e = errno;
  struct statfs st;
  int sf = fstatfs(fd, &st);
  close(fd);
  if (w != n) {
    bw_step("apply the AppArmor profile (write /proc/self/attr/.../exec)", 0, w < 0 ? e : EIO, attr);
    return -1;
  }
  char detail[256];
  snprintf(detail, sizeof detail, "%s written; it is %s", attr,
           sf != 0 ? "on an unknown filesystem" : st.f_type == PROC_SUPER_MAGIC ? "on procfs" : "NOT on procfs");
  bw_step("apply the AppArmor profile (write /proc/self/attr/.../exec)", 1, 0, detail);
  return 0;
}

static int apply_defence(void *arg, const struct bw_defence *d) {
  struct scenario *s = arg;
  if (s->verify) {
    /* The fixed runtime: bwlab verifies /proc is procfs before writing the label. */
    if (bw_apply_defence(d) != 0) {
      int e = errno;
      bw_step("fixed runtime: apply the defence, label only onto procfs", 0, e, d->apparmor ? d->apparmor : "");
      return -1;
    }
    bw_step("fixed runtime: apply the defence, label only onto procfs", 1, 0,
            d->apparmor ? d->apparmor : "no AppArmor profile configured");
    return 0;
  }
  if (d->apparmor) {
    if (vulnerable_apparmor(d->apparmor) != 0) return -1;
  } else {
    bw_step("apply the AppArmor profile (write /proc/self/attr/.../exec)", 1, 0, "no AppArmor profile configured");
  }
  /* The rest of the defence the usual way, without a second (verified) label write. */
  struct bw_defence rest = *d;
  rest.apparmor = NULL;
  return bw_apply_defence(&rest);
}

static unsigned chown_base;
static int chown_one(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  (void)type;
  (void)ftw;
  /* Lab plumbing (the engine prepares a volume with mapped ids, not the runtime): a file the
     management profile keeps the runtime from touching is left as it is. */
  if (lchown(path, chown_base, chown_base) != 0) perror(path);
  return 0;
}

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* The label the kernel actually gave the container process, read from the host's procfs. */
static void report_label(pid_t pid) {
  static const char *const files[] = {"attr/apparmor/current", "attr/current"};
  char path[64], buf[256] = {0};
  int err = 0;
  for (int i = 0; i < 2; i++) {
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, files[i]);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      err = errno;
      continue;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    err = errno;
    close(fd);
    if (n > 0) {
      buf[n] = 0;
      buf[strcspn(buf, "\n")] = 0;
      bw_step("host view: AppArmor label of the container process", 1, 0, buf);
      return;
    }
  }
  snprintf(buf, sizeof buf, "unavailable (%s): no AppArmor on this kernel", strerrorname_np(err));
  bw_step("host view: AppArmor label of the container process", 1, 0, buf);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  int i = 1;
  struct scenario s = {0};
  if (i < argc && strcmp(argv[i], "--verify-procfs") == 0) {
    s.verify = 1;
    i++;
  }
  if (argc - i != 4 || argv[i + 2][0] != '/') {
    fprintf(stderr, "usage: manager [--verify-procfs] ROOTFS VOLUME /VOLUME_DEST CANARY\n");
    return 2;
  }
  const char *rootfs = argv[i];
  s.volume = argv[i + 1];
  s.volume_dest = argv[i + 2];
  s.canary = argv[i + 3];
  struct bw_defence d;
  bw_defence_from_env(&d);
  if (d.userns) {
    /* The engine creates a volume owned by the container's (remapped) root, as Docker's
       userns-remap does, so the fake files are as writable to the runtime as in a real run. */
    chown_base = d.userns_base;
    if (nftw(s.volume, chown_one, 16, FTW_PHYS) != 0) return 125;
  }

  char *const cargv[] = {"/attack", NULL};
  struct bw_container_opts o = {.rootfs = rootfs,
                                .argv = cargv,
                                .before_root = mount_rootfs,
                                .before_defence = move_canary,
                                .apply_defence = apply_defence,
                                .arg = &s,
                                /* vulnerable: mount_rootfs mounts procfs itself (through the symlink) */
                                .proc_done_by_hook = !s.verify};
  pid_t pid = bw_container_start(&d, &o);
  if (pid < 0) {
    bw_step("start the container", 0, errno, rootfs);
    return 125;
  }
  /* Wait (bounded) for the container process to be running, note its real label, let it go on. */
  char ready[4096], go[4096];
  snprintf(ready, sizeof ready, "%s/tmp/bw-ready", rootfs);
  snprintf(go, sizeof go, "%s/tmp/bw-go", rootfs);
  int st = -2; /* -2: still running */
  for (int t = 0; t < 500 && access(ready, F_OK) != 0; t++) {
    int ws;
    if (waitpid(pid, &ws, WNOHANG) == pid) { /* it died before getting there (refused start) */
      st = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
      break;
    }
    sleep_ms(10);
  }
  if (st == -2 && access(ready, F_OK) == 0) {
    report_label(pid);
    if (bw_write_file(go, "1\n") != 0) kill(pid, SIGKILL);
  }
  if (st == -2) st = bw_wait(pid, 10);
  if (st == 125) bw_step("start the container", 0, EPERM, "the runtime refused to start it (see the steps above)");
  return 0;
}
