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
/* All but procfs through the /proc symlink and the volume at /fakeproc (the label write, the
   canary, main's run) is CVE-2019-16884's too. */
#include "label-bypass.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

struct scenario {
  struct label_bypass lb; /* first: the shared hooks get a pointer to the whole scenario */
  const char *volume_dest;
};

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
  if (s->lb.verify) {
    /* The fixed runtime (1.1.5): procfs only on an ordinary directory, checked before any
       symlink is followed; otherwise bwlab mounts procfs (and refuses a symlink too). */
    if (is_link) {
      bw_step("mount procfs on /proc", 0, ELOOP, "fixed runtime: /proc in the image is a symlink, refused");
      return -1;
    }
    return stage_canary(&s->lb, rootfs);
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
  if (mount(s->lb.volume, vol, NULL, MS_BIND, NULL) != 0) {
    bw_step("mount the volume at its destination", 0, errno, s->volume_dest);
    return -1;
  }
  snprintf(detail, sizeof detail, "%s: it covers the procfs just mounted there", s->volume_dest);
  bw_step("mount the volume at its destination", 1, 0, detail);
  return stage_canary(&s->lb, rootfs);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  struct scenario s = {0};
  int i = label_bypass_args(argc, argv, 4, &s.lb.verify);
  if (i < 0 || argv[i + 2][0] != '/') {
    fprintf(stderr, "usage: manager [--verify-procfs] ROOTFS VOLUME /VOLUME_DEST CANARY\n");
    return 2;
  }
  const char *rootfs = argv[i];
  s.lb.volume = argv[i + 1];
  s.volume_dest = argv[i + 2];
  s.lb.canary = argv[i + 3];
  /* vulnerable: mount_rootfs mounts procfs itself (through the symlink) */
  return label_bypass_run(&s.lb, rootfs, mount_rootfs, !s.lb.verify);
}
