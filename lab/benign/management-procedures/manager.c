/*
 * Benign management procedures: the ordinary work of a FIXED runtime, shim and copy helper, done
 * with bwlab under the defence from the environment (bw_defence_from_env), to show that the
 * defences, the management-plane AppArmor profiles included, leave normal container management
 * working. The simulators in lab/vulnerable show the defences stop the attacks; this is the other
 * half.
 *
 * Usage: manager <check> <args>...   (one check per run; README.md says what each one shows)
 *   start  <rootfs>                     start a container, its output and exit status
 *   volume <rootfs> <host dir>          a host directory bind-mounted at /data (mount-fd, as runc)
 *   exec   <rootfs>                     exec into a running container
 *   masked <rootfs>                     /proc/kcore (or /proc/timer_list) masked, the container reads nothing
 *   sysctl <rootfs>                     kernel.shm_rmid_forced=1 in the container's IPC namespace
 *   cp-out <container root> <host file> `docker cp` out of a container (NSS preloaded, chrooted)
 *   cp-in  <host file> <container root> `docker cp` into a container's /etc/app.conf
 *   shim   <rootfs> <socket dir>        a shim on a filesystem socket in a 0700 dir, one request
 *
 * Confinement: start/volume/exec/masked/sysctl are run whole under the runtime's profile by run.sh
 * (bw_confined "$BW_MGMT_RUNTIME"). cp-out, cp-in and shim play the daemon, unconfined, and confine
 * the forked management processes themselves: the runtime child with BW_MGMT_RUNTIME, the copy
 * helper with BW_MGMT_CP_HELPER, the shim with BW_MGMT_SHIM (unset or empty: unconfined).
 *
 * Output: @@bw-step lines for the steps, then exactly one line
 *   @@bw-benign <check> ok|fail <detail>
 * Exit status 0 when the check ran (whatever its outcome), 2 on a usage error.
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Every wait is bounded: run.sh gives the whole check a few seconds more than this. */
#define WAIT_S 6
#define WAIT_MS (WAIT_S * 1000)

static const char *check_name = "?";

/* ---- reporting -------------------------------------------------------------------------------- */

/* Makes s printable on one line (newlines and control characters become ' '), trims the end. */
static char *oneline(char *s) {
  for (char *p = s; *p; p++)
    if ((unsigned char)*p < 0x20) *p = ' ';
  size_t n = strlen(s);
  while (n && s[n - 1] == ' ') s[--n] = 0;
  return s;
}

static int verdict(int ok, const char *fmt, ...) {
  char detail[1500];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  printf("@@bw-benign %s %s %s\n", check_name, ok ? "ok" : "fail", oneline(detail));
  fflush(stdout);
  return 0;
}

/* ---- processes this run started: killed on every way out -------------------------------------- */

static pid_t kids[32];
static int nkids;

static void track(pid_t p) {
  if (p > 0 && nkids < 32) kids[nkids++] = p;
}

static void untrack(pid_t p) {
  for (int i = 0; i < nkids; i++)
    if (kids[i] == p) kids[i] = kids[--nkids];
}

static void kill_kids(void) {
  for (int i = 0; i < nkids; i++) kill(kids[i], SIGKILL);
}

static void on_signal(int sig) {
  kill_kids();
  _exit(128 + sig);
}

/* bw_wait, then forget the pid (bw_wait kills it on timeout). */
static int finish(pid_t p, int timeout_s) {
  int st = bw_wait(p, timeout_s);
  untrack(p);
  return st;
}

static void stop(pid_t p) {
  if (p <= 0) return;
  kill(p, SIGKILL);
  finish(p, 2);
}

/* ---- AppArmor --------------------------------------------------------------------------------- */

static const char *attr_path(const char *leaf, char *buf, size_t n) {
  snprintf(buf, n, "/proc/self/attr/apparmor/%s", leaf);
  if (access(buf, F_OK) != 0) snprintf(buf, n, "/proc/self/attr/%s", leaf);
  return buf;
}

static int apparmor_on(void);

/* This process's AppArmor label, "unconfined (no AppArmor)" where the kernel has none. */
static const char *current_label(char *buf, size_t n) {
  char p[64];
  int fd = open(attr_path("current", p, sizeof p), O_RDONLY | O_CLOEXEC);
  ssize_t r = fd >= 0 ? read(fd, buf, n - 1) : -1;
  int e = errno;
  if (fd >= 0) close(fd);
  if (r <= 0) {
    if (apparmor_on()) snprintf(buf, n, "unreadable (%s: %s)", p, strerror(e));
    else snprintf(buf, n, "unconfined (no AppArmor)");
    return buf;
  }
  buf[r] = 0;
  return oneline(buf);
}

/* Moves this process to an AppArmor profile now (change_profile, allowed from unconfined), as the
   daemon does for the helper it forks. NULL or "": stays unconfined. */
static int confine_self(const char *who, const char *profile) {
  if (!profile || !*profile) return 0;
  char p[64], buf[256];
  int fd = open(attr_path("current", p, sizeof p), O_WRONLY | O_CLOEXEC);
  int n = snprintf(buf, sizeof buf, "changeprofile %s", profile);
  ssize_t w = fd >= 0 ? write(fd, buf, (size_t)n) : -1;
  int e = errno;
  if (fd >= 0) close(fd);
  char step[128];
  snprintf(step, sizeof step, "%s: confine with the management profile", who);
  bw_step(step, w == n, w == n ? 0 : e, profile);
  errno = e;
  return w == n ? 0 : -1;
}

/* Whether the kernel enforces AppArmor (labels are then checked, not only shown). */
static int apparmor_on(void) {
  char v[8] = "";
  int fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, v, sizeof v - 1);
  close(fd);
  return n > 0 && v[0] == 'Y';
}

/* A label carries the profile (alone or in a stack), or there is nothing to check. */
static int label_has(const char *label, const char *profile) {
  return !profile || !*profile || !apparmor_on() || strstr(label, profile) != NULL;
}

static const char *mgmt(const char *var) {
  const char *v = getenv(var);
  return v && *v ? v : NULL;
}

/* ---- pipes and containers --------------------------------------------------------------------- */

static long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* Appends what fd gives to buf (NUL-terminated, `len` bytes already there) until `needle` is in buf
   (NULL: until end of file) or timeout_ms passes. Returns the new length. */
static size_t read_until(int fd, char *buf, size_t cap, size_t len, const char *needle, int timeout_ms) {
  long end = now_ms() + timeout_ms;
  buf[len] = 0;
  while (len < cap - 1 && !(needle && strstr(buf, needle))) {
    long left = end - now_ms();
    if (left <= 0) break;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int r = poll(&p, 1, (int)left);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    ssize_t n = read(fd, buf + len, cap - 1 - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
    buf[len] = 0;
  }
  return len;
}

static int write_all(int fd, const char *data, size_t len) {
  while (len) {
    ssize_t w = write(fd, data, len);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    data += w;
    len -= (size_t)w;
  }
  return 0;
}

/* The runtime starts a container whose stdin and stdout are pipes to us (runc's "pass-through"
   stdio): *in_w writes the container's stdin, *out_r reads its stdout; its stderr is ours. */
static pid_t start_io(const struct bw_defence *d, const struct bw_container_opts *o, int *in_w, int *out_r) {
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) return -1;
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]);
    close(in[1]);
    return -1;
  }
  fflush(NULL);
  int save0 = fcntl(0, F_DUPFD_CLOEXEC, 10), save1 = fcntl(1, F_DUPFD_CLOEXEC, 10);
  pid_t c = -1;
  int e = EBADF;
  if (save0 >= 0 && save1 >= 0 && dup2(in[0], 0) == 0 && dup2(out[1], 1) == 1) {
    c = bw_container_start(d, o);
    e = errno;
  }
  if (save0 >= 0) dup2(save0, 0);
  if (save1 >= 0) dup2(save1, 1);
  if (save0 >= 0) close(save0);
  if (save1 >= 0) close(save1);
  close(in[0]);
  close(out[1]);
  if (c < 0) {
    close(in[1]);
    close(out[0]);
    errno = e;
    return -1;
  }
  track(c);
  *in_w = in[1];
  *out_r = out[0];
  return c;
}

/* A container from start to exit: returns its status (-1: timeout or not started), its stdout in out. */
static int run_to_end(const struct bw_defence *d, const struct bw_container_opts *o, char *out, size_t cap) {
  int in_w, out_r;
  out[0] = 0;
  pid_t c = start_io(d, o, &in_w, &out_r);
  if (c < 0) return -1;
  close(in_w);
  read_until(out_r, out, cap, 0, NULL, WAIT_MS);
  close(out_r);
  return finish(c, WAIT_S);
}

/* The same as a separate runtime process confined by BW_MGMT_RUNTIME (for the checks where this
   program plays the daemon, which stays unconfined). Returns the container's status, -1 on
   timeout, 125 when the runtime could not start it. */
static int runtime_run(const struct bw_defence *d, const struct bw_container_opts *o, char *out, size_t cap) {
  int p[2];
  out[0] = 0;
  if (pipe2(p, O_CLOEXEC) != 0) return -1;
  fflush(NULL);
  pid_t r = fork();
  if (r < 0) return -1;
  if (r == 0) {
    close(p[0]);
    if (confine_self("runtime", mgmt("BW_MGMT_RUNTIME")) != 0) _exit(125);
    char buf[4096];
    int st = run_to_end(d, o, buf, sizeof buf);
    if (write_all(p[1], buf, strlen(buf)) != 0) _exit(125);
    _exit(st < 0 ? 124 : st);
  }
  track(r);
  close(p[1]);
  read_until(p[0], out, cap, 0, NULL, WAIT_MS + 1000);
  close(p[0]);
  return finish(r, WAIT_S + 2);
}

static char *trim(char *s) {
  while (*s == ' ' || *s == '\n' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t')) s[--n] = 0;
  return s;
}

static int read_small(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, cap - 1);
  int e = errno;
  close(fd);
  if (n < 0) {
    errno = e;
    return -1;
  }
  buf[n] = 0;
  return 0;
}

/* ---- 1. start --------------------------------------------------------------------------------- */

static int check_start(const struct bw_defence *d, const char *rootfs) {
  /* The procedure, then the label the container process runs under (shown, and checked against
     BW_APPARMOR where the kernel enforces AppArmor). */
  char *argv[] = {"/bin/sh", "-c",
                  "echo ok >/tmp/t && cat /tmp/t && echo \"label $(cat /proc/self/attr/current 2>/dev/null || echo none)\"",
                  NULL};
  struct bw_container_opts o = {.rootfs = rootfs, .argv = argv};
  char out[4096], label[256], clabel[256] = "?";
  int st = run_to_end(d, &o, out, sizeof out);
  char *l = strstr(out, "label ");
  if (l) {
    snprintf(clabel, sizeof clabel, "%s", l + 6);
    *l = 0;
    trim(clabel);
  }
  char *got = trim(out);
  return verdict(st == 0 && strcmp(got, "ok") == 0 && label_has(clabel, d->apparmor),
                 "container exit status %d, output '%s', container label %s (runtime label: %s)", st, got, clabel,
                 current_label(label, sizeof label));
}

/* ---- 2. volume -------------------------------------------------------------------------------- */

/* runc's mountToRootfs for a bind volume, the fixed way (runc >= 1.0.0-rc95): create the
   destination, pin it O_PATH, check where it really is, mount onto /proc/self/fd/N. Runs in the
   container's namespaces before the root switch, as runc's init does. */
static int mount_volume(void *arg, const char *rootfs) {
  const char *source = arg;
  char dest[PATH_MAX + 16], real[PATH_MAX], procfd[64], seen[PATH_MAX];
  if (!realpath(rootfs, real)) return -1;
  snprintf(dest, sizeof dest, "%s/data", real);
  if (bw_mkdirs(dest, 0755) != 0) return -1;
  int fd = open(dest, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    fprintf(stderr, "manager: open %s: %s\n", dest, strerror(errno));
    return -1;
  }
  snprintf(procfd, sizeof procfd, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(procfd, seen, sizeof seen - 1);
  if (n < 0 || ((seen[n] = 0), strcmp(seen, dest) != 0)) {
    fprintf(stderr, "manager: volume destination %s is not where it was resolved\n", dest);
    close(fd);
    return -1;
  }
  if (mount(source, procfd, NULL, MS_BIND | MS_REC, NULL) != 0) {
    fprintf(stderr, "manager: bind %s on %s: %s\n", source, dest, strerror(errno));
    close(fd);
    return -1;
  }
  close(fd);
  return 0;
}

static int check_volume(const struct bw_defence *d, const char *rootfs, const char *hostdir) {
  char *argv[] = {"/bin/sh", "-c", "echo volume-ok >/data/out && cat /data/out", NULL};
  struct bw_container_opts o = {.rootfs = rootfs, .argv = argv, .before_root = mount_volume, .arg = (void *)hostdir};
  char out[4096], host[256] = "", path[PATH_MAX + 8];
  int st = run_to_end(d, &o, out, sizeof out);
  snprintf(path, sizeof path, "%s/out", hostdir);
  int seen = read_small(path, host, sizeof host) == 0;
  char *got = trim(out), *h = trim(host);
  return verdict(st == 0 && strcmp(got, "volume-ok") == 0 && seen && strcmp(h, "volume-ok") == 0,
                 "%s bound at /data: container exit status %d, output '%s'; the host reads %s: '%s'", hostdir, st, got,
                 path, seen ? h : strerror(errno));
}

/* ---- 3. exec ---------------------------------------------------------------------------------- */

static int check_exec(const struct bw_defence *d, const char *rootfs) {
  char *argv[] = {"/bin/sh", "-c", "echo running; exec sleep 20", NULL};
  struct bw_container_opts o = {.rootfs = rootfs, .argv = argv};
  int in_w, out_r;
  pid_t c = start_io(d, &o, &in_w, &out_r);
  if (c < 0) return verdict(0, "the container did not start: %s", strerror(errno));
  char ready[256] = "";
  read_until(out_r, ready, sizeof ready, 0, "running\n", WAIT_MS);
  if (!strstr(ready, "running\n")) {
    stop(c);
    return verdict(0, "the container did not come up (output '%s')", trim(ready));
  }
  /* runc exec: the exec'd process's stdout is a pipe to us. */
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) {
    stop(c);
    return verdict(0, "pipe: %s", strerror(errno));
  }
  char *xargv[] = {"/bin/sh", "-c", "echo exec-ok", NULL};
  fflush(NULL);
  int save1 = fcntl(1, F_DUPFD_CLOEXEC, 10);
  pid_t x = -1;
  if (save1 >= 0 && dup2(p[1], 1) == 1) x = bw_container_exec(d, c, xargv, "/", NULL, NULL);
  int e = errno;
  if (save1 >= 0) {
    dup2(save1, 1);
    close(save1);
  }
  close(p[1]);
  if (x < 0) {
    close(p[0]);
    stop(c);
    return verdict(0, "runc exec failed: %s", strerror(e));
  }
  track(x);
  char out[4096];
  read_until(p[0], out, sizeof out, 0, NULL, WAIT_MS);
  close(p[0]);
  int st = finish(x, WAIT_S);
  /* The container is still running after the exec. */
  int alive = waitpid(c, NULL, WNOHANG) == 0;
  char label[256];
  char *got = trim(out);
  stop(c);
  close(in_w);
  close(out_r);
  return verdict(st == 0 && strcmp(got, "exec-ok") == 0 && alive,
                 "exec'd process exit status %d, output '%s', container %s after the exec (runtime label: %s)", st, got,
                 alive ? "still running" : "gone", current_label(label, sizeof label));
}

/* ---- 4. masked paths -------------------------------------------------------------------------- */

/* Whether /proc/<pid>/mountinfo lists a mount at `target` (paths as the container sees them). */
static int mounted_at(pid_t pid, const char *target) {
  char path[64], line[4096];
  snprintf(path, sizeof path, "/proc/%d/mountinfo", (int)pid);
  FILE *f = fopen(path, "re");
  if (!f) return -1;
  int found = 0;
  while (!found && fgets(line, sizeof line, f)) {
    /* id parent major:minor root mountpoint ... */
    char *save = NULL, *tok = strtok_r(line, " ", &save);
    for (int i = 0; tok && i < 4; i++) tok = strtok_r(NULL, " ", &save);
    if (tok && strcmp(tok, target) == 0) found = 1;
  }
  fclose(f);
  return found;
}

static int path_listed(const char *list, const char *p) {
  if (!list) return 0;
  size_t n = strlen(p);
  for (const char *s = list; (s = strstr(s, p)); s += n)
    if ((s == list || s[-1] == ':') && (s[n] == 0 || s[n] == ':')) return 1;
  return 0;
}

static int check_masked(const struct bw_defence *d0, const char *rootfs) {
  const char *target = access("/proc/kcore", F_OK) == 0 ? "/proc/kcore" : "/proc/timer_list";
  struct bw_defence d = *d0;
  char masked[8192];
  if (!path_listed(d.masked, target)) {
    snprintf(masked, sizeof masked, "%s%s%s", d.masked ? d.masked : "", d.masked ? ":" : "", target);
    d.masked = masked;
  }
  char script[512];
  snprintf(script, sizeof script, "echo \"bytes $(head -c 4096 %s 2>/dev/null | wc -c)\"; read x; exit 0", target);
  char *argv[] = {"/bin/sh", "-c", script, NULL};
  struct bw_container_opts o = {.rootfs = rootfs, .argv = argv};
  int in_w, out_r;
  pid_t c = start_io(&d, &o, &in_w, &out_r);
  if (c < 0) return verdict(0, "the container did not start: %s", strerror(errno));
  char out[512] = "";
  read_until(out_r, out, sizeof out, 0, "\n", WAIT_MS);
  /* The runtime's own view while the container runs: is the mask mounted in its mount namespace? */
  int mask = mounted_at(c, target);
  close(in_w);
  read_until(out_r, out, sizeof out, strlen(out), NULL, WAIT_MS);
  close(out_r);
  int st = finish(c, WAIT_S);
  long bytes = -1;
  char *b = strstr(out, "bytes ");
  if (b) bytes = strtol(b + 6, NULL, 10);
  return verdict(st == 0 && bytes == 0 && mask == 1,
                 "%s: %s in the container's mounts, the container read %ld bytes of it, exit status %d", target,
                 mask == 1 ? "masked" : mask == 0 ? "NOT masked" : "cannot read", bytes, st);
}

/* ---- 5. sysctl -------------------------------------------------------------------------------- */

#define SYSCTL_PATH "/proc/sys/kernel/shm_rmid_forced"

/* The runtime's sysctl step for a namespaced sysctl: a process joins the container's user (when
   it has one) and IPC namespaces, as the container's root, and writes under /proc/sys (the kernel
   only lets the owner of the IPC namespace's user namespace write its ipc sysctls). */
static int set_sysctl_in(const struct bw_defence *d, pid_t c, const char *value) {
  fflush(NULL);
  pid_t w = fork();
  if (w < 0) return -1;
  if (w == 0) {
    char p[64];
    int ufd = -1, ifd;
    if (d->userns) {
      snprintf(p, sizeof p, "/proc/%d/ns/user", (int)c);
      if ((ufd = open(p, O_RDONLY | O_CLOEXEC)) < 0) _exit(errno);
    }
    snprintf(p, sizeof p, "/proc/%d/ns/ipc", (int)c);
    if ((ifd = open(p, O_RDONLY | O_CLOEXEC)) < 0) _exit(errno);
    if (ufd >= 0 && setns(ufd, CLONE_NEWUSER) != 0) _exit(errno);
    if (setns(ifd, CLONE_NEWIPC) != 0) _exit(errno);
    if (ufd >= 0 && (setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0)) _exit(errno);
    int fd = open(SYSCTL_PATH, O_WRONLY | O_CLOEXEC);
    if (fd < 0) _exit(errno);
    if (write(fd, value, strlen(value)) != (ssize_t)strlen(value)) _exit(errno ? errno : EIO);
    _exit(close(fd) == 0 ? 0 : errno);
  }
  track(w);
  int st = finish(w, WAIT_S);
  if (st != 0) errno = st > 0 && st < 125 ? st : EIO;
  return st == 0 ? 0 : -1;
}

static int check_sysctl(const struct bw_defence *d, const char *rootfs) {
  char host_before[32] = "?", host_after[32] = "?";
  read_small(SYSCTL_PATH, host_before, sizeof host_before);
  char *argv[] = {"/bin/sh", "-c", "echo \"before $(cat " SYSCTL_PATH ")\"; read x; echo \"after $(cat " SYSCTL_PATH ")\"",
                  NULL};
  struct bw_container_opts o = {.rootfs = rootfs, .argv = argv};
  int in_w, out_r;
  pid_t c = start_io(d, &o, &in_w, &out_r);
  if (c < 0) return verdict(0, "the container did not start: %s", strerror(errno));
  char out[512] = "";
  read_until(out_r, out, sizeof out, 0, "\n", WAIT_MS);
  int rc = set_sysctl_in(d, c, "1");
  int e = errno;
  bw_step("runtime: set kernel.shm_rmid_forced=1 in the container's IPC namespace", rc == 0, rc == 0 ? 0 : e,
          SYSCTL_PATH);
  read_small(SYSCTL_PATH, host_after, sizeof host_after);
  if (write_all(in_w, "go\n", 3) != 0) perror("manager: release the container");
  close(in_w);
  read_until(out_r, out, sizeof out, strlen(out), NULL, WAIT_MS);
  close(out_r);
  int st = finish(c, WAIT_S);
  char *after = strstr(out, "after ");
  char value[32] = "?";
  if (after) {
    snprintf(value, sizeof value, "%s", after + 6);
    trim(value);
  }
  char *hb = trim(host_before), *ha = trim(host_after);
  return verdict(st == 0 && rc == 0 && strcmp(value, "1") == 0 && strcmp(hb, ha) == 0,
                 "write %s; the container reads %s (%s), exit status %d; the host's own value %s -> %s",
                 rc == 0 ? "ok" : strerror(e), value, trim(oneline(out)), st, hb, ha);
}

/* ---- 6. docker cp ----------------------------------------------------------------------------- */

/* docker-tar's start, the fixed way (Docker 19.03.1, moby #39612): NSS is initialised from the
   HOST before the chroot (glibc then never loads modules again), then the copy runs in its own
   mount namespace chrooted into the container root (chrootarchive), so every path resolves inside
   the container. A plain chroot, not pivot_root: AppArmor keeps naming files by their host path. */
static int cp_helper_enter(const char *root, char *label, size_t n) {
  current_label(label, n); /* read now: the container root has no /proc */
  struct passwd *pw = getpwnam("docker");
  struct group *gr = getgrnam("docker");
  (void)pw;
  (void)gr;
  bw_step("cp-helper: initialise NSS before the chroot (cp-preload-nss)", 1, 0, "getpwnam(docker), getgrnam(docker)");
  if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 || chroot(root) != 0 ||
      chdir("/") != 0) {
    bw_step("cp-helper: chroot into the container root (cp-chroot)", 0, errno, root);
    return -1;
  }
  bw_step("cp-helper: chroot into the container root (cp-chroot)", 1, 0, root);
  return 0;
}

#define CP_OUT_PATH "/var/log/app/report.txt"
#define CP_IN_PATH "/etc/app.conf"

static int check_cp_out(const struct bw_defence *d, const char *root, const char *dest) {
  /* docker run: the container writes a report. */
  char *argv[] = {"/bin/sh", "-c", "mkdir -p /var/log/app && echo report-ok >" CP_OUT_PATH, NULL};
  struct bw_container_opts o = {.rootfs = root, .argv = argv};
  char out[4096];
  int st = runtime_run(d, &o, out, sizeof out);
  if (st != 0) return verdict(0, "the container that writes the report failed: status %d", st);
  /* docker cp <container>:CP_OUT_PATH <dest>: docker-tar streams the file to the daemon, which
     writes the host file. */
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) return verdict(0, "pipe: %s", strerror(errno));
  fflush(NULL);
  pid_t h = fork();
  if (h < 0) return verdict(0, "fork: %s", strerror(errno));
  if (h == 0) {
    close(p[0]);
    char label[256];
    if (confine_self("cp-helper", mgmt("BW_MGMT_CP_HELPER")) != 0 || cp_helper_enter(root, label, sizeof label) != 0)
      _exit(1);
    struct stat sb;
    int fd = open(CP_OUT_PATH, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &sb) != 0) {
      bw_step("cp-helper: open the path to copy", 0, errno, CP_OUT_PATH);
      _exit(1);
    }
    /* The tar header's owner name: looked up with the NSS initialised from the host. */
    struct passwd *pw = getpwuid(sb.st_uid);
    char body[4096];
    int hl = snprintf(body, sizeof body, "owner %s uid %u, helper label %s\n", pw ? pw->pw_name : "-",
                      (unsigned)sb.st_uid, label);
    ssize_t n = read(fd, body + hl, sizeof body - (size_t)hl);
    close(fd);
    if (n < 0 || write_all(p[1], body, (size_t)hl + (size_t)n) != 0) {
      bw_step("cp-helper: stream the archive", 0, errno, CP_OUT_PATH);
      _exit(1);
    }
    _exit(0);
  }
  track(h);
  close(p[1]);
  char stream[4200];
  size_t len = read_until(p[0], stream, sizeof stream, 0, NULL, WAIT_MS);
  close(p[0]);
  int hst = finish(h, WAIT_S);
  char *nl = memchr(stream, '\n', len);
  int wrote = -1;
  if (hst == 0 && nl) {
    int fd = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
      wrote = write_all(fd, nl + 1, len - (size_t)(nl + 1 - stream));
      close(fd);
    }
  }
  char host[256] = "";
  int seen = read_small(dest, host, sizeof host) == 0;
  if (nl) *nl = 0;
  char *h2 = trim(host);
  return verdict(hst == 0 && wrote == 0 && seen && strcmp(h2, "report-ok") == 0 && label_has(stream, mgmt("BW_MGMT_CP_HELPER")),
                 "docker-tar exit status %d (%s); the host file %s reads '%s'", hst, nl ? stream : "no header", dest,
                 seen ? h2 : strerror(errno));
}

static int check_cp_in(const struct bw_defence *d, const char *src, const char *root) {
  char data[4096];
  int fd = open(src, O_RDONLY | O_CLOEXEC);
  ssize_t len = fd >= 0 ? read(fd, data, sizeof data - 1) : -1;
  if (fd >= 0) close(fd);
  if (len < 0) return verdict(0, "read %s: %s", src, strerror(errno));
  data[len] = 0;
  /* docker cp <src> <container>:CP_IN_PATH: the daemon streams the archive to docker-untar. */
  int p[2], lp[2];
  if (pipe2(p, O_CLOEXEC) != 0 || pipe2(lp, O_CLOEXEC) != 0) return verdict(0, "pipe: %s", strerror(errno));
  fflush(NULL);
  pid_t h = fork();
  if (h < 0) return verdict(0, "fork: %s", strerror(errno));
  if (h == 0) {
    close(p[1]);
    close(lp[0]);
    char label[256];
    if (confine_self("cp-helper", mgmt("BW_MGMT_CP_HELPER")) != 0 || cp_helper_enter(root, label, sizeof label) != 0)
      _exit(1);
    char buf[4096];
    size_t n = read_until(p[0], buf, sizeof buf, 0, NULL, WAIT_MS);
    int out = open(CP_IN_PATH, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (out < 0 || write_all(out, buf, n) != 0) {
      bw_step("cp-helper: extract into the container", 0, errno, CP_IN_PATH);
      _exit(1);
    }
    /* With a user namespace, as the daemon does under userns-remap: the file belongs to the
       container's root. */
    if (d->userns && fchown(out, d->userns_base, d->userns_base) != 0) {
      bw_step("cp-helper: chown to the container's root", 0, errno, CP_IN_PATH);
      _exit(1);
    }
    close(out);
    bw_step("cp-helper: extract into the container", 1, 0, CP_IN_PATH);
    _exit(write_all(lp[1], label, strlen(label)) == 0 ? 0 : 1);
  }
  track(h);
  close(p[0]);
  close(lp[1]);
  int wr = write_all(p[1], data, (size_t)len);
  close(p[1]);
  char hlabel[256] = "";
  read_until(lp[0], hlabel, sizeof hlabel, 0, NULL, WAIT_MS);
  close(lp[0]);
  int hst = finish(h, WAIT_S);
  if (wr != 0 || hst != 0) return verdict(0, "docker-untar exit status %d", hst);
  /* The host's view of the container root, then docker start: the container reads its config. */
  char path[PATH_MAX + 32], host[4096] = "";
  snprintf(path, sizeof path, "%s%s", root, CP_IN_PATH);
  int seen = read_small(path, host, sizeof host) == 0 && strcmp(host, data) == 0;
  char *argv[] = {"/bin/sh", "-c", "cat " CP_IN_PATH, NULL};
  struct bw_container_opts o = {.rootfs = root, .argv = argv};
  char out[4096];
  int st = runtime_run(d, &o, out, sizeof out);
  int same = strcmp(out, data) == 0;
  return verdict(seen && st == 0 && same && label_has(hlabel, mgmt("BW_MGMT_CP_HELPER")),
                 "%s %s in the container root by the helper (label %s); the started container reads it %s (exit status %d)",
                 path, seen ? "written" : "MISSING", hlabel, same ? "back unchanged" : "DIFFERENTLY", st);
}

/* ---- 7. shim ---------------------------------------------------------------------------------- */

/* The shim's side: a filesystem socket in a 0700 directory (containerd >= 1.4.3), one connection,
   the peer's uid checked, one request: "start" starts the task (a container) and replies with its
   exit status and output. */
static void shim(const struct bw_defence *d, const char *rootfs, const char *dir, const char *sock, int ready) {
  if (confine_self("shim", mgmt("BW_MGMT_SHIM")) != 0) _exit(1);
  if ((mkdir(dir, 0700) != 0 && errno != EEXIST) || chmod(dir, 0700) != 0) {
    bw_step("shim: create the socket directory (0700)", 0, errno, dir);
    _exit(1);
  }
  int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
  if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 4) != 0) {
    bw_step("shim: serve the task API on a filesystem socket", 0, errno, sock);
    _exit(1);
  }
  bw_step("shim: serve the task API on a filesystem socket", 1, 0, sock);
  if (write(ready, "1", 1) != 1) _exit(1);
  close(ready);
  struct pollfd pf = {.fd = s, .events = POLLIN};
  int conn = poll(&pf, 1, WAIT_MS) == 1 ? accept4(s, NULL, NULL, SOCK_CLOEXEC) : -1;
  if (conn < 0) {
    bw_step("shim: accept the daemon's connection", 0, errno ? errno : ETIMEDOUT, sock);
    unlink(sock);
    _exit(1);
  }
  struct ucred cred;
  socklen_t clen = sizeof cred;
  char reply[4400], detail[128];
  if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cred, &clen) != 0 || cred.uid != geteuid()) {
    snprintf(reply, sizeof reply, "error permission denied\n");
  } else {
    snprintf(detail, sizeof detail, "peer pid %d uid %u", (int)cred.pid, cred.uid);
    bw_step("shim: peer has the shim's uid", 1, 0, detail);
    char req[256];
    read_until(conn, req, sizeof req, 0, "\n", WAIT_MS);
    if (strcmp(req, "start\n") != 0) {
      snprintf(reply, sizeof reply, "error bad request\n");
    } else {
      char *argv[] = {"/bin/sh", "-c", "echo task-ok", NULL};
      struct bw_container_opts o = {.rootfs = rootfs, .argv = argv};
      char out[4096];
      int st = run_to_end(d, &o, out, sizeof out);
      snprintf(reply, sizeof reply, "exit %d %s\n", st, trim(oneline(out)));
    }
  }
  char label[256];
  size_t rl = strlen(reply);
  snprintf(reply + rl, sizeof reply - rl, "label %s\n", current_label(label, sizeof label));
  int w = write_all(conn, reply, strlen(reply));
  close(conn);
  close(s);
  unlink(sock);
  _exit(w == 0 ? 0 : 1);
}

static int check_shim(const struct bw_defence *d, const char *rootfs, const char *dir) {
  /* containerd names the socket by a hash of its address, namespace and container id. */
  char sock[sizeof ((struct sockaddr_un *)0)->sun_path];
  int n = snprintf(sock, sizeof sock, "%s/%08x%08x", dir, (unsigned)getpid(), (unsigned)time(NULL));
  if (n < 0 || (size_t)n >= sizeof sock) return verdict(0, "socket path too long: %s", dir);
  int rp[2];
  if (pipe2(rp, O_CLOEXEC) != 0) return verdict(0, "pipe: %s", strerror(errno));
  fflush(NULL);
  pid_t s = fork();
  if (s < 0) return verdict(0, "fork: %s", strerror(errno));
  if (s == 0) {
    close(rp[0]);
    shim(d, rootfs, dir, sock, rp[1]);
  }
  track(s);
  close(rp[1]);
  char ready[8] = "";
  read_until(rp[0], ready, sizeof ready, 0, "1", WAIT_MS);
  close(rp[0]);
  if (strcmp(ready, "1") != 0) {
    int st = finish(s, 1);
    return verdict(0, "the shim did not come up (status %d)", st);
  }
  struct stat sb;
  int mode = stat(dir, &sb) == 0 ? (int)(sb.st_mode & 07777) : -1;
  /* The daemon's client. */
  int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  snprintf(a.sun_path, sizeof a.sun_path, "%s", sock);
  char reply[4400] = "", slabel[256] = "?";
  int e = 0;
  if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof a) != 0 || write_all(c, "start\n", 6) != 0)
    e = errno;
  else
    read_until(c, reply, sizeof reply, 0, NULL, WAIT_MS); /* the shim closes after replying */
  if (c >= 0) close(c);
  int st = finish(s, WAIT_S);
  char *l = strstr(reply, "label ");
  if (l) {
    snprintf(slabel, sizeof slabel, "%s", l + 6);
    *l = 0;
    trim(slabel);
  }
  char *r = trim(reply);
  return verdict(e == 0 && st == 0 && mode == 0700 && strcmp(r, "exit 0 task-ok") == 0 &&
                     label_has(slabel, mgmt("BW_MGMT_SHIM")),
                 "socket %s in a %04o directory; request 'start' %s, reply '%s'; shim label %s, exit status %d", sock,
                 mode, e ? strerror(e) : "sent", r, slabel, st);
}

/* ---- main ------------------------------------------------------------------------------------- */

int main(int argc, char **argv) {
  /* 0, 1 and 2 stay open: the pipes of the container's stdio must never land on them. */
  for (int fd = 0; fd < 3; fd++)
    if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd) return 2;
  struct bw_defence d;
  bw_defence_from_env(&d);
  struct sigaction sa = {.sa_handler = on_signal};
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  if (argc < 3) goto usage;
  check_name = argv[1];
  const char *c = argv[1];
  int rc;
  if (strcmp(c, "start") == 0 && argc == 3) rc = check_start(&d, argv[2]);
  else if (strcmp(c, "volume") == 0 && argc == 4) rc = check_volume(&d, argv[2], argv[3]);
  else if (strcmp(c, "exec") == 0 && argc == 3) rc = check_exec(&d, argv[2]);
  else if (strcmp(c, "masked") == 0 && argc == 3) rc = check_masked(&d, argv[2]);
  else if (strcmp(c, "sysctl") == 0 && argc == 3) rc = check_sysctl(&d, argv[2]);
  else if (strcmp(c, "cp-out") == 0 && argc == 4) rc = check_cp_out(&d, argv[2], argv[3]);
  else if (strcmp(c, "cp-in") == 0 && argc == 4) rc = check_cp_in(&d, argv[2], argv[3]);
  else if (strcmp(c, "shim") == 0 && argc == 4) rc = check_shim(&d, argv[2], argv[3]);
  else goto usage;
  kill_kids();
  return rc;
usage:
  fprintf(stderr,
          "usage: %s start|exec|masked|sysctl <rootfs> | volume <rootfs> <host dir> | cp-out <root> <host file>\n"
          "       | cp-in <host file> <root> | shim <rootfs> <socket dir>\n",
          argv[0]);
  return 2;
}
