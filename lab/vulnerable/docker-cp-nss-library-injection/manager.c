/*
 * CVE-2019-14271 re-created: the daemon side of `docker cp <container>:<path> <host path>`, the
 * docker-tar helper. DYNAMICALLY linked against glibc, as dockerd is: glibc's NSS is the weakness.
 *
 * The vulnerable procedure (Docker 19.03.0; 18.09.7 - 18.09.8): dockerd re-executes itself as
 * docker-tar, which chroots into the container's root and archives the path. Writing the tar
 * headers looks up the owners' names (getpwuid), and glibc's NSS initialises lazily: on the first
 * lookup it reads /etc/nsswitch.conf and dlopen()s the libnss_*.so.2 modules it names, which after
 * the chroot means the CONTAINER's files. The module's constructor then runs as host root with
 * every capability, outside the container's namespaces, AppArmor profile and seccomp filter.
 *
 * Usage: manager [--preload-nss] <container path> <host destination> <rootfs> <argv>...
 *   --preload-nss  the fixed behaviour (Docker 19.03.1, moby #39612): look a user and a host up
 *                  before the chroot, so NSS is initialised (and its modules loaded) from the
 *                  host; glibc does not reload its configuration after the root changed
 *   <argv>         the container's process (the attacker), started first
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* docker-tar: runs in a child, writes "owner <name>\n" and the file's content (the stand-in for a
   one-entry tar stream) to `out`. */
static void docker_tar(int preload, const char *rootfs, const char *path, int out) {
  if (preload) {
    /* moby #39612: user.Lookup("docker") and net.LookupHost("localhost") in the helper's init, so
       the NSS libraries come from the host. The results do not matter. */
    struct passwd *pw = getpwnam("docker");
    struct addrinfo *ai = NULL;
    if (getaddrinfo("localhost", NULL, NULL, &ai) == 0) freeaddrinfo(ai);
    (void)pw;
    bw_step("cp-helper: initialise NSS before the chroot (cp-preload-nss)", 1, 0, "getpwnam(docker), getaddrinfo(localhost)");
  }
  if (chroot(rootfs) != 0 || chdir("/") != 0) {
    bw_step("cp-helper: chroot into the container root", 0, errno, rootfs);
    _exit(1);
  }
  struct stat st;
  if (lstat(path, &st) != 0) {
    bw_step("cp-helper: stat the path to copy", 0, errno, path);
    _exit(1);
  }
  /* The tar header's owner name: the first NSS lookup of this process when not preloaded. */
  errno = 0;
  struct passwd *pw = getpwuid(st.st_uid);
  char detail[256];
  snprintf(detail, sizeof detail, "getpwuid(%u) inside the chroot -> %s", (unsigned)st.st_uid, pw ? pw->pw_name : "(none)");
  bw_step("cp-helper: look up the owner's name (glibc NSS)", 1, 0, detail);
  char buf[4096];
  int n = snprintf(buf, sizeof buf, "owner %s\n", pw ? pw->pw_name : "-");
  int in = open(path, O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    bw_step("cp-helper: read the path to copy", 0, errno, path);
    _exit(1);
  }
  ssize_t r = read(in, buf + n, sizeof buf - (size_t)n);
  close(in);
  if (r < 0 || write(out, buf, (size_t)n + (size_t)r) != n + r) {
    bw_step("cp-helper: stream the archive", 0, errno, path);
    _exit(1);
  }
  _exit(0);
}

/* Moves this process to the AppArmor profile now (change_profile; allowed from unconfined). */
static int confine_self(const char *profile) {
  const char *attr = "/proc/self/attr/apparmor/current";
  if (access(attr, F_OK) != 0) attr = "/proc/self/attr/current";
  int fd = open(attr, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[256];
  int n = snprintf(buf, sizeof buf, "changeprofile %s", profile);
  ssize_t w = write(fd, buf, (size_t)n);
  int e = errno;
  close(fd);
  errno = e;
  return w == n ? 0 : -1;
}

int main(int argc, char **argv) {
  struct bw_defence d;
  bw_defence_from_env(&d);
  int a = 1, preload = 0;
  if (a < argc && strcmp(argv[a], "--preload-nss") == 0) {
    preload = 1;
    a++;
  }
  if (argc - a < 4) {
    fprintf(stderr, "usage: %s [--preload-nss] <container path> <host destination> <rootfs> <argv>...\n", argv[0]);
    return 125;
  }
  const char *path = argv[a], *dest = argv[a + 1], *rootfs = argv[a + 2];

  struct bw_container_opts o = {.rootfs = rootfs, .argv = argv + a + 3};
  pid_t c = bw_container_start(&d, &o);
  if (c < 0) {
    bw_step("runtime: start the container", 0, errno, rootfs);
    return 125;
  }
  /* Wait (at most 3 s) for the container to be ready: /.ready in its root. */
  char ready[4200];
  snprintf(ready, sizeof ready, "%s/.ready", rootfs);
  for (int i = 0; i < 300 && access(ready, F_OK) != 0; i++) {
    int st;
    if (waitpid(c, &st, WNOHANG) == c) {
      /* The attacker ended before the copy: its own steps say why; 125 is bwlab failing to set
         the container up, a broken scenario. */
      c = -1;
      if (WIFEXITED(st) && WEXITSTATUS(st) == 125) {
        fprintf(stderr, "manager: the container could not be set up\n");
        return 125;
      }
      break;
    }
    usleep(10000);
  }

  /* `docker cp`: the daemon holds the output (the HTTP response; here the host file) and runs
     docker-tar with the container root, reading its stdout. */
  int out = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out < 0) {
    perror(dest);
    if (c > 0) {
      kill(c, SIGKILL);
      bw_wait(c, 2);
    }
    return 125;
  }
  fflush(NULL);
  pid_t h = fork();
  if (h < 0) {
    perror("fork");
    return 125;
  }
  if (h == 0) {
    /* dockerd runs docker-tar as its own process; the management plane confines that process (the
       daemon and the container, started earlier by the runtime, are not under this profile). */
    const char *profile = getenv("BW_MGMT_PROFILE");
    if (profile && *profile && confine_self(profile) != 0) {
      bw_step("cp-helper: confine docker-tar", 0, errno, profile);
      _exit(125);
    }
    docker_tar(preload, rootfs, path, out);
  }
  close(out);
  int st = bw_wait(h, 5);
  char detail[128];
  snprintf(detail, sizeof detail, "docker-tar exit status %d", st);
  bw_step("cp-helper: copy out of the container", st == 0, st == 0 ? 0 : EIO, detail);
  if (c > 0) {
    kill(c, SIGKILL);
    bw_wait(c, 2);
  }
  return 0;
}
