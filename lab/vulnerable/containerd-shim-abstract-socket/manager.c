/*
 * CVE-2020-15257 ("Abstract Shimmer") re-created: a containerd-shim serving its task API for one
 * container.
 *
 * The vulnerable procedure (containerd < 1.3.9, 1.4.0 - 1.4.2): the shim listens on an ABSTRACT
 * unix socket, "@/containerd-shim/<hash>.sock" (1.4) or "@/containerd-shim/<ns>/<id>/shim.sock"
 * (1.3). Abstract sockets have no file, hence no permissions: they belong to the network
 * namespace, so every process in the host's network namespace (a host-network container too) can
 * connect. The shim's only check was the one kept here: the peer's uid (SO_PEERCRED) must be the
 * shim's own, root. Its API then does things as host root; the real one creates a task from any
 * bundle the caller names (a config that mounts the host's /). Re-created as a single "create"
 * request that makes the shim write a file at the path the request names.
 *
 * Usage: manager [--path-socket <dir>] <rootfs> <argv>...
 *   --path-socket   the fixed behaviour (containerd 1.3.9 / 1.4.3): listen on a filesystem socket
 *                   <dir>/<hash>, <dir> created 0700 (containerd: /run/containerd/s/<hash>),
 *                   instead of the abstract address
 *   <argv>          the container's process; the container shares the host's network namespace
 * The shim serves until the container exits (at most 10 s).
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* One request: "create <path>\n". The stand-in for Create(bundle=<path>): the shim acts on a path
   the caller chose, as host root. Replies "ok\n" or "error <reason>\n". */
static void serve(int conn) {
  struct ucred cred;
  socklen_t len = sizeof cred;
  char detail[4300];
  if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    bw_step("shim: read the peer's credentials", 0, errno, "");
    return;
  }
  /* The vulnerable shim's whole access check (ttrpc's UnixSocketRequireSameUser): same uid. */
  snprintf(detail, sizeof detail, "peer pid %d uid %u, shim uid %u", (int)cred.pid, cred.uid, geteuid());
  if (cred.uid != geteuid()) {
    bw_step("shim: peer has the shim's uid", 0, EPERM, detail);
    if (write(conn, "error permission denied\n", 24) < 0) perror("shim: reply");
    return;
  }
  bw_step("shim: peer has the shim's uid", 1, 0, detail);
  char req[4200];
  size_t got = 0;
  /* Read one line (bounded: the client is the attacker). */
  while (got < sizeof req - 1) {
    struct pollfd p = {.fd = conn, .events = POLLIN};
    if (poll(&p, 1, 2000) != 1) break;
    ssize_t n = read(conn, req + got, sizeof req - 1 - got);
    if (n <= 0) break;
    got += (size_t)n;
    if (memchr(req, '\n', got)) break;
  }
  req[got] = 0;
  req[strcspn(req, "\n")] = 0;
  if (strncmp(req, "create ", 7) != 0 || req[7] != '/') {
    bw_step("shim: parse the request", 0, EINVAL, req);
    if (write(conn, "error bad request\n", 18) < 0) perror("shim: reply");
    return;
  }
  const char *path = req + 7;
  char content[256];
  snprintf(content, sizeof content, "task created by the shim (host root) for pid %d\n", (int)cred.pid);
  snprintf(detail, sizeof detail, "create %s", path);
  if (bw_write_file(path, content) != 0) {
    bw_step("shim: create the task the request names (write on the host)", 0, errno, detail);
    if (write(conn, "error create failed\n", 20) < 0) perror("shim: reply");
    return;
  }
  bw_step("shim: create the task the request names (write on the host)", 1, 0, detail);
  if (write(conn, "ok\n", 3) < 0) perror("shim: reply");
}

int main(int argc, char **argv) {
  struct bw_defence d;
  bw_defence_from_env(&d);
  int a = 1;
  const char *sockdir = NULL;
  if (a + 1 < argc && strcmp(argv[a], "--path-socket") == 0) {
    sockdir = argv[a + 1];
    a += 2;
  }
  if (argc - a < 2) {
    fprintf(stderr, "usage: %s [--path-socket <dir>] <rootfs> <argv>...\n", argv[0]);
    return 125;
  }
  const char *rootfs = argv[a++];

  int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) {
    bw_step("shim: create the API socket", 0, errno, "");
    return 125;
  }
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  socklen_t alen;
  char shown[200];
  char sockpath[sizeof addr.sun_path];
  if (sockdir) {
    /* containerd 1.4.3: /run/containerd/s/<hash>, in a directory only root can enter. */
    if (mkdir(sockdir, 0700) != 0 && errno != EEXIST) {
      bw_step("shim: create the socket directory (0700)", 0, errno, sockdir);
      return 125;
    }
    if (chmod(sockdir, 0700) != 0) {
      bw_step("shim: create the socket directory (0700)", 0, errno, sockdir);
      return 125;
    }
    int n = snprintf(sockpath, sizeof sockpath, "%s/%08x", sockdir, (unsigned)getpid());
    if (n < 0 || (size_t)n >= sizeof sockpath) {
      fprintf(stderr, "socket path too long\n");
      return 125;
    }
    memcpy(addr.sun_path, sockpath, (size_t)n + 1);
    alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + (size_t)n + 1);
    snprintf(shown, sizeof shown, "%s", sockpath);
  } else {
    /* containerd 1.4: "@/containerd-shim/" + sha256(address + namespace + id) + ".sock". A run-
       specific tag stands in for the hash (the host network namespace is shared with everything
       else on this machine). */
    char name[108];
    int n = snprintf(name, sizeof name, "/containerd-shim/bwlab-%08x%08x.sock", (unsigned)getpid(),
                     (unsigned)time(NULL));
    addr.sun_path[0] = 0;
    memcpy(addr.sun_path + 1, name, (size_t)n);
    alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
    snprintf(shown, sizeof shown, "@%s", name);
    sockpath[0] = 0;
  }
  if (bind(s, (struct sockaddr *)&addr, alen) != 0) {
    /* A refusal here (management-plane AppArmor) means the shim cannot serve: containerd fails
       the task, nothing of the container runs. A scenario result, not a broken run. */
    bw_step(sockdir ? "shim: bind the API socket (filesystem)" : "shim: bind the API socket (abstract)", 0, errno, shown);
    return 1;
  }
  if (listen(s, 8) != 0) {
    bw_step("shim: listen on the API socket", 0, errno, shown);
    if (sockpath[0]) unlink(sockpath);
    return 1;
  }
  bw_step(sockdir ? "shim: serve the task API on a filesystem socket" : "shim: serve the task API on an abstract socket", 1, 0, shown);

  /* The container: host network namespace (so it shares the abstract socket namespace), the
     defence applied as a fixed runtime does. The listening socket is close-on-exec and bwlab
     closes the rest, so the container inherits nothing. */
  struct bw_container_opts o = {.rootfs = rootfs, .argv = argv + a, .host_network = 1};
  pid_t c = bw_container_start(&d, &o);
  if (c < 0) {
    bw_step("runtime: start the host-network container", 0, errno, rootfs);
    if (sockpath[0]) unlink(sockpath);
    return 125;
  }

  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  int status = -1;
  for (;;) {
    int st;
    pid_t r = waitpid(c, &st, WNOHANG);
    if (r == c) {
      status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      break;
    }
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec >= 10) {
      kill(c, SIGKILL);
      waitpid(c, NULL, 0);
      break;
    }
    struct pollfd p = {.fd = s, .events = POLLIN};
    int pr = poll(&p, 1, 50);
    if (pr < 0 && errno != EINTR) {
      perror("shim: poll");
      break;
    }
    if (pr == 1) {
      int conn = accept4(s, NULL, NULL, SOCK_CLOEXEC);
      if (conn < 0) {
        bw_step("shim: accept a connection", 0, errno, shown);
        continue;
      }
      serve(conn);
      close(conn);
    }
  }
  close(s);
  if (sockpath[0] && unlink(sockpath) != 0) perror("shim: unlink socket");
  fprintf(stderr, "manager: container exit status %d\n", status);
  /* 125: bwlab could not set the container up; the scenario did not run. */
  return status == 125 ? 125 : 0;
}
