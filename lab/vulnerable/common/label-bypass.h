/*
 * CVE-2019-16884 and CVE-2023-28642, the runtime's part the two re-creations share. Shared by
 * runc-proc-volume-apparmor-bypass and runc-proc-symlink-apparmor-bypass (their manager.c include
 * this header; the build passes -I lab/vulnerable/common): in both, a fake procfs tree from the
 * image ends up at the container's /proc, and the runtime then writes its AppArmor label into it.
 * Each manager.c keeps its own part, how the fake gets over /proc (its before_root hook, and its
 * arguments); here is the rest:
 *   - vulnerable_apparmor: the label write with no check that the file is on procfs;
 *   - apply_defence: that write (or, with --verify-procfs, the fixed runtime's bw_apply_defence);
 *   - stage_canary / move_canary: the canary directory to the container's /sys/kernel/security;
 *   - label_bypass_args / label_bypass_run: main's argument prefix and everything after parsing
 *     (the volume's ownership, the start, the host's view of the label, the wait).
 * Static functions and a definition of its own: include it once per program (from manager.c),
 * after defining _GNU_SOURCE.
 */
#ifndef LABEL_BYPASS_H
#define LABEL_BYPASS_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before any include (strerrorname_np)"
#endif

#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
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

/* What both managers know of a run. A manager's own scenario struct starts with it (or is it): the
   hooks get a pointer to the whole scenario, which is also a pointer to this first member. */
struct label_bypass {
  const char *volume, *canary; /* host paths: the fake procfs tree, the canary directory */
  int verify;                  /* --verify-procfs: the fixed runtime */
};

/* Where the canary directory waits between the two hooks (see move_canary). */
#define CANARY_STAGE "/.bw-canary"

/* Lab plumbing, not part of the procedure: the canary directory, parked inside the rootfs until
   /sys exists (bwlab mounts sysfs after the before_root hook). A bind from a host path after the
   root switch (through a descriptor opened before it) failed with EINVAL on the kernel tested,
   so park and move. Called at the end of each manager's before_root hook. */
static int stage_canary(const struct label_bypass *lb, const char *rootfs) {
  char stage[4096];
  snprintf(stage, sizeof stage, "%s%s", rootfs, CANARY_STAGE);
  if (bw_mkdirs(stage, 0755) != 0) return -1;
  if (mount(lb->canary, stage, NULL, MS_BIND, NULL) != 0) {
    perror("bind the canary directory");
    return -1;
  }
  return 0;
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

/* runc <= 1.0.0-rc8 apparmor.ApplyProfile: open /proc/self/attr/..., write, no procfs check.
   (CVE-2023-28642: runc 1.1.4 did have that check, EnsureProcHandle since rc9; its re-creation
   leaves it out, so the write is this one, see its README.md.) */
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
  const struct label_bypass *lb = arg;
  if (lb->verify) {
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

/* main's arguments: [--verify-procfs] (sets *verify), then exactly `operands` operands. Returns the
   index of the first operand, or -1: then main prints its usage and returns 2. */
static int label_bypass_args(int argc, char **argv, int operands, int *verify) {
  int i = 1;
  if (i < argc && strcmp(argv[i], "--verify-procfs") == 0) {
    *verify = 1;
    i++;
  }
  return argc - i == operands ? i : -1;
}

/* The rest of main, once the arguments are in `lb` (the start of the manager's scenario, passed to
   every hook): start the container from `rootfs` with `mount_rootfs` as its before_root hook, note
   its real label from the host, let it go on and wait for it. proc_done_by_hook: mount_rootfs
   mounted procfs itself (bwlab must not). Returns main's exit code: 125 when the volume cannot be
   given to the container's root or the container cannot be started, else 0 (the outcome is in the
   steps and the canary). */
static int label_bypass_run(struct label_bypass *lb, const char *rootfs,
                            int (*mount_rootfs)(void *arg, const char *rootfs), int proc_done_by_hook) {
  struct bw_defence d;
  bw_defence_from_env(&d);
  if (d.userns) {
    /* The engine creates a volume owned by the container's (remapped) root, as Docker's
       userns-remap does, so the fake files are as writable to the runtime as in a real run. */
    chown_base = d.userns_base;
    if (nftw(lb->volume, chown_one, 16, FTW_PHYS) != 0) return 125;
  }

  char *const cargv[] = {"/attack", NULL};
  struct bw_container_opts o = {.rootfs = rootfs,
                                .argv = cargv,
                                .before_root = mount_rootfs,
                                .before_defence = move_canary,
                                .apply_defence = apply_defence,
                                .arg = lb,
                                .proc_done_by_hook = proc_done_by_hook};
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

#endif
