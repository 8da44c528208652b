/*
 * CVE-2019-16884 re-creation: a runtime that mounts an image-declared volume over the container's
 * /proc (runc <= 1.0.0-rc8: checkMountDestination compared the symlink-resolved host path against a
 * rootfs-relative "/proc" and never matched) and then applies the AppArmor profile by writing
 * "exec <profile>" to /proc/self/attr/apparmor/exec (or /proc/self/attr/exec) without checking that
 * the file is on procfs. The volume is a fake procfs (a plain directory tree with self/attr/...
 * files, as Docker copies it from the image into the volume), so the write lands in a plain file,
 * the kernel never hears of the profile and the container runs unconfined.
 *
 *   manager [--verify-procfs] ROOTFS VOLUME CANARY
 * VOLUME is the fake procfs (mounted over /proc), CANARY a host directory bind-mounted at the
 * container's /sys/kernel/security (a directory every container AppArmor profile here denies
 * writes to: docker-default denies wklx under /sys/[^f]* and rwklx under /sys/kernel/security,
 * breakwater denies wlkx under all of /sys), so a marker the container writes there is visible on
 * the host only when no profile applied.
 * --verify-procfs is the fixed behaviour (runc 1.0.0-rc9, commit cad42f6e): bw_apply_defence, which
 * refuses to write the label unless /proc is procfs.
 */
#define _GNU_SOURCE
/* All but the volume over /proc (the label write, the canary, main's run) is CVE-2023-28642's too. */
#include "label-bypass.h"

#include <errno.h>
#include <stdio.h>
#include <sys/mount.h>

/* In the container's mount namespace, before the root switch, host paths still in reach: the
   runtime's mounts in the order of the container's config, as runc's prepareRootfs does them:
   procfs on /proc, then the volumes, among them the image's VOLUME /proc. */
static int mount_rootfs(void *arg, const char *rootfs) {
  struct label_bypass *lb = arg;
  char proc[4096];
  snprintf(proc, sizeof proc, "%s/proc", rootfs);
  if (bw_mkdirs(proc, 0555) != 0) return -1;
  if (mount("proc", proc, "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL) != 0) {
    bw_step("mount procfs on /proc", 0, errno, "");
    return -1;
  }
  /* The vulnerable step: the volume's destination is /proc, and nothing refuses it. */
  if (mount(lb->volume, proc, NULL, MS_BIND, NULL) != 0) {
    bw_step("mount the image's volume over /proc", 0, errno, "");
    return -1;
  }
  bw_step("mount the image's volume over /proc", 1, 0, "a plain directory now hides procfs");
  return stage_canary(lb, rootfs);
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  struct label_bypass s = {0};
  int i = label_bypass_args(argc, argv, 3, &s.verify);
  if (i < 0) {
    fprintf(stderr, "usage: manager [--verify-procfs] ROOTFS VOLUME CANARY\n");
    return 2;
  }
  const char *rootfs = argv[i];
  s.volume = argv[i + 1];
  s.canary = argv[i + 2];
  /* mount_rootfs mounts procfs itself, before the volume over it */
  return label_bypass_run(&s, rootfs, mount_rootfs, 1);
}
