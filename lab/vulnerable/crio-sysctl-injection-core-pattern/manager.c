/*
 * CVE-2022-0811 ("cr8escape") re-created: CRI-O creating a pod sandbox with the pod's sysctls.
 *
 * The vulnerable procedure (CRI-O 1.19.0 - 1.23.1): CRI-O checks each sysctl NAME of the pod spec
 * (namespaced and allowed: pkg/config/sysctl.go Validate; others are skipped with a warning), then
 * hands all of them to pinns as ONE argument, "'k1=v1'+'k2=v2'" (nsmgr.go getSysctlForPinns).
 * pinns (pinns/src/sysctl.c) strtok()s that on '+', strips a leading quote, splits at the first
 * '=', cuts the value at the next quote, and writes each piece under /proc/sys as host root. A value
 * "1+kernel.core_pattern=|/payload #" therefore smuggles a second, non-namespaced sysctl past the
 * name check (the trailing " #" only turns the leftover quote into an argument of the payload).
 * Everything else here (pinns' fresh IPC/UTS namespaces, the container start with its defence) is
 * done the way a fixed runtime does it.
 *
 * Usage: manager [--value-check] --sysctl <name> <value> [--sysctl <name> <value>]... <rootfs> <argv>...
 *   --sysctl        one entry of the pod spec's securityContext.sysctls
 *   --value-check   the fixed behaviour (CRI-O 1.23.2, 05c443b0 / GHSA-6x2m-w449-qwx7): a '+' in a
 *                   sysctl's name or value fails the sandbox
 *   <argv>          the container's process (path inside the rootfs)
 * Environment: BW_SYSCTL_ROOT, where pinns writes (default /proc/sys; run.sh points it at a
 * stand-in tree under $BW_WORK); the defence's BW_* (bwlab.h).
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* CRI-O 1.23.1's allow-list of namespaced sysctls: exact names, then prefixes. */
static const char *const NAMESPACED_NAMES[] = {"kernel.sem"};
static const char *const NAMESPACED_PREFIXES[] = {"kernel.shm", "kernel.msg", "fs.mqueue.", "net."};

static int name_allowed(const char *name) {
  for (size_t i = 0; i < sizeof NAMESPACED_NAMES / sizeof NAMESPACED_NAMES[0]; i++)
    if (strcmp(name, NAMESPACED_NAMES[i]) == 0) return 1;
  for (size_t i = 0; i < sizeof NAMESPACED_PREFIXES / sizeof NAMESPACED_PREFIXES[0]; i++)
    if (strncmp(name, NAMESPACED_PREFIXES[i], strlen(NAMESPACED_PREFIXES[i])) == 0) return 1;
  return 0;
}

/* pinns' configure_sysctls, kept as it was: split on '+', strip the quotes, write under the sysctl
   root; the first failure ends it. Runs in the sandbox's fresh namespaces. */
static int pinns_write_sysctls(const char *root, char *joined) {
  int dirfd = open(root, O_DIRECTORY | O_PATH | O_CLOEXEC);
  if (dirfd < 0) {
    bw_step("pinns: open the sysctl root", 0, errno, root);
    return -1;
  }
  char *save = NULL;
  for (char *kv = strtok_r(joined, "+", &save); kv; kv = strtok_r(NULL, "+", &save)) {
    int quoted = 0;
    if (*kv == '\'') {
      kv++;
      quoted = 1;
    }
    char *eq = strchr(kv, '=');
    if (!eq || eq == kv) {
      bw_step("pinns: parse sysctl", 0, EINVAL, kv);
      close(dirfd);
      return -1;
    }
    *eq = 0;
    char *key = kv, *value = eq + 1;
    if (quoted) {
      char *end = strchr(value, '\'');
      if (end) *end = 0;
    }
    char detail[4400];
    snprintf(detail, sizeof detail, "%s=%s", key, value);
    for (char *k = key; *k; k++)
      if (*k == '.') *k = '/';
    int fd = openat(dirfd, key, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      bw_step("pinns: open the sysctl for writing", 0, errno, detail);
      close(dirfd);
      return -1;
    }
    size_t len = strlen(value);
    ssize_t w = write(fd, value, len);
    int e = errno;
    close(fd);
    if (w != (ssize_t)len) {
      bw_step("pinns: write the sysctl", 0, w < 0 ? e : EIO, detail);
      close(dirfd);
      return -1;
    }
    bw_step("pinns: write the sysctl", 1, 0, detail);
  }
  close(dirfd);
  return 0;
}

/* pinns is a separate process that unshares the pod's namespaces (IPC and UTS here; with a user
   namespace, that too, its root mapped as the container's) and writes the sysctls inside them. */
static int run_pinns(const struct bw_defence *d, const char *root, char *joined) {
  int sync[2];
  if (pipe2(sync, O_CLOEXEC) != 0) {
    perror("pipe");
    return -1;
  }
  int flags = CLONE_NEWIPC | CLONE_NEWUTS | (d->userns ? CLONE_NEWUSER : 0);
  fflush(NULL);
  pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)(flags | SIGCHLD), 0UL, 0UL, 0UL, 0UL);
  if (pid < 0) {
    bw_step("pinns: create the pod namespaces", 0, errno, "");
    close(sync[0]);
    close(sync[1]);
    return -1;
  }
  if (pid == 0) {
    close(sync[1]);
    char c;
    if (read(sync[0], &c, 1) != 1) _exit(125);
    if (d->userns && (setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0)) {
      perror("pinns: setresuid in the user namespace");
      _exit(125);
    }
    _exit(pinns_write_sysctls(root, joined) == 0 ? 0 : 1);
  }
  close(sync[0]);
  int ok = 1;
  if (d->userns) {
    char p[64], map[64];
    snprintf(map, sizeof map, "0 %u 65536\n", d->userns_base);
    snprintf(p, sizeof p, "/proc/%d/uid_map", (int)pid);
    ok = bw_write_file(p, map) == 0;
    snprintf(p, sizeof p, "/proc/%d/gid_map", (int)pid);
    ok = ok && bw_write_file(p, map) == 0;
  }
  if (ok && write(sync[1], "1", 1) != 1) ok = 0;
  close(sync[1]);
  if (!ok) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
  }
  int rc = bw_wait(pid, 5);
  bw_step("pinns: all sysctls set", rc == 0, rc == 0 ? 0 : EPERM, rc == 0 ? "" : "pinns failed: the sandbox is not created");
  return rc == 0 ? 0 : -1;
}

int main(int argc, char **argv) {
  struct bw_defence d;
  bw_defence_from_env(&d);
  int value_check = 0, a = 1;
  const char *names[16], *values[16];
  int count = 0;
  for (; a < argc; a++) {
    if (strcmp(argv[a], "--value-check") == 0) value_check = 1;
    else if (strcmp(argv[a], "--sysctl") == 0 && a + 2 < argc && count < 16) {
      names[count] = argv[a + 1];
      values[count++] = argv[a + 2];
      a += 2;
    } else
      break;
  }
  if (argc - a < 2 || count == 0) {
    fprintf(stderr, "usage: %s [--value-check] --sysctl <name> <value>... <rootfs> <argv>...\n", argv[0]);
    return 125;
  }
  const char *rootfs = argv[a++];
  const char *root = getenv("BW_SYSCTL_ROOT");
  if (!root || !*root) root = "/proc/sys";

  /* CRI-O's validation of the pod's sysctls, then the join for pinns. */
  char joined[8192] = "";
  size_t used = 0;
  for (int i = 0; i < count; i++) {
    const char *name = names[i], *value = values[i];
    char detail[4200];
    snprintf(detail, sizeof detail, "%s=%s", name, value);
    if (!name_allowed(name)) {
      /* CRI-O 1.23.1 skips it with a warning ("Skipping invalid sysctl specified over CRI"). */
      bw_step("runtime: sysctl name is namespaced and allowed", 0, EPERM, detail);
      continue;
    }
    bw_step("runtime: sysctl name is namespaced and allowed", 1, 0, detail);
    if (value_check) {
      /* The fix: '+' is pinns' separator, so it may appear in neither the name nor the value. */
      if (strchr(name, '+') || strchr(value, '+')) {
        bw_step("runtime: no + in the sysctl (sysctl-value-check)", 0, EINVAL, detail);
        fprintf(stderr, "manager: invalid sysctl: '%s' is invalid: + found yet should not be present\n", detail);
        return 1;
      }
      bw_step("runtime: no + in the sysctl (sysctl-value-check)", 1, 0, detail);
    }
    int n = snprintf(joined + used, sizeof joined - used, "%s'%s=%s'", used ? "+" : "", name, value);
    if (n < 0 || (size_t)n >= sizeof joined - used) {
      fprintf(stderr, "sysctl list too long\n");
      return 125;
    }
    used += (size_t)n;
  }
  if (!used) {
    fprintf(stderr, "manager: no sysctl left to set\n");
    return 1;
  }
  fprintf(stderr, "manager: pinns -s %s (sysctl root %s)\n", joined, root);
  /* A failing pinns fails the sandbox: no container is started. */
  if (run_pinns(&d, root, joined) != 0) return 1;

  /* The pod's container: the attacker's process, under the defence. */
  struct bw_container_opts o = {.rootfs = rootfs, .argv = argv + a};
  pid_t c = bw_container_start(&d, &o);
  if (c < 0) {
    bw_step("runtime: start the pod's container", 0, errno, rootfs);
    return 125;
  }
  int st = bw_wait(c, 8);
  char detail[64];
  snprintf(detail, sizeof detail, "container exit status %d", st);
  /* 128+SIGSEGV: the container crashed, which is when the kernel consults core_pattern. */
  bw_step("container: crashed (SIGSEGV), the kernel consults core_pattern", st == 128 + SIGSEGV,
          st == 128 + SIGSEGV ? 0 : ECHILD, detail);
  /* 125: bwlab could not set the container up; the scenario did not run. */
  return st == 125 ? 125 : 0;
}
