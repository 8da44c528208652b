/*
 * breakwater probe: asks the kernel whether a container may use one escape primitive, without using it.
 *
 *   probe list              primitive names, one per line
 *   probe --help            usage
 *   probe <primitive> [args...]
 *       -> one JSON line {"primitive":"<name>","ok":true|false,"errno":N,"errnoName":"EPERM"}, exit 0
 *          (a child killed by a signal adds "signal":N; bad arguments print {"primitive":..,"error":..}
 *          and exit 2)
 *
 * Every primitive tests the PERMISSION, not the effect: its arguments are chosen so the call fails
 * right after the permission check (see probe/README.md for each errno's meaning and the kernel
 * source it comes from), or it creates a throw-away object under /tmp and removes it again. Never run
 * anything but `list` / `--help` outside a container.
 *
 * `list` and `--help` only call write(2) and _exit(2) (plus the static C runtime's own start-up).
 * All output goes through write(2) on a stack buffer: no stdio, so no fstat/brk from printf.
 *
 * Build: gcc -static -O2 -Wall -Werror -o probe probe.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_io_uring_setup
#define SYS_io_uring_setup 425
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#define KEYCTL_GET_KEYRING_ID 0
#define KEY_SPEC_SESSION_KEYRING -3
#define BPF_PROG_LOAD 5
#define KEXEC_ARCH_DEFAULT 0
#define KEXEC_SEGMENT_MAX 16

/* ------------------------------------------------------------------------------------------------ */
/* Output (write(2) only) */

static void out(const char *s) {
  size_t n = strlen(s);
  while (n > 0) {
    ssize_t w = write(1, s, n);
    if (w <= 0) {
      if (w < 0 && errno == EINTR) continue;
      return;
    }
    s += w;
    n -= (size_t)w;
  }
}

static const struct {
  int num;
  const char *name;
} ERRNOS[] = {
    {EPERM, "EPERM"},     {ENOENT, "ENOENT"},         {ESRCH, "ESRCH"},     {EINTR, "EINTR"},
    {EIO, "EIO"},         {ENXIO, "ENXIO"},           {E2BIG, "E2BIG"},     {ENOEXEC, "ENOEXEC"},
    {EBADF, "EBADF"},     {ECHILD, "ECHILD"},         {EAGAIN, "EAGAIN"},   {ENOMEM, "ENOMEM"},
    {EACCES, "EACCES"},   {EFAULT, "EFAULT"},         {EBUSY, "EBUSY"},     {EEXIST, "EEXIST"},
    {EXDEV, "EXDEV"},     {ENODEV, "ENODEV"},         {ENOTDIR, "ENOTDIR"}, {EISDIR, "EISDIR"},
    {EINVAL, "EINVAL"},   {ENFILE, "ENFILE"},         {EMFILE, "EMFILE"},   {ENOTTY, "ENOTTY"},
    {ETXTBSY, "ETXTBSY"}, {EFBIG, "EFBIG"},           {ENOSPC, "ENOSPC"},   {ESPIPE, "ESPIPE"},
    {EROFS, "EROFS"},     {EMLINK, "EMLINK"},         {EPIPE, "EPIPE"},     {ERANGE, "ERANGE"},
    {ENOSYS, "ENOSYS"},   {ENOTEMPTY, "ENOTEMPTY"},   {ELOOP, "ELOOP"},     {ENAMETOOLONG, "ENAMETOOLONG"},
    {ENOKEY, "ENOKEY"},   {EKEYREVOKED, "EKEYREVOKED"}, {EOPNOTSUPP, "EOPNOTSUPP"},
    {ENOTSOCK, "ENOTSOCK"}, {EPROTOTYPE, "EPROTOTYPE"}, {ENOPROTOOPT, "ENOPROTOOPT"},
    {EPROTONOSUPPORT, "EPROTONOSUPPORT"}, {ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"},
    {EPFNOSUPPORT, "EPFNOSUPPORT"}, {EAFNOSUPPORT, "EAFNOSUPPORT"}, {EADDRINUSE, "EADDRINUSE"},
    {EADDRNOTAVAIL, "EADDRNOTAVAIL"}, {ENETUNREACH, "ENETUNREACH"}, {ECONNREFUSED, "ECONNREFUSED"},
    {EOVERFLOW, "EOVERFLOW"}, {ESTALE, "ESTALE"},       {EUSERS, "EUSERS"},   {EMSGSIZE, "EMSGSIZE"},
    {ENOTCONN, "ENOTCONN"}, {EKEYREJECTED, "EKEYREJECTED"}, {EKEYEXPIRED, "EKEYEXPIRED"},
    {EDQUOT, "EDQUOT"},
};

static const char *errno_name(int e) {
  if (e == 0) return "";
  for (size_t i = 0; i < sizeof(ERRNOS) / sizeof(ERRNOS[0]); i++)
    if (ERRNOS[i].num == e) return ERRNOS[i].name;
  return "UNKNOWN";
}

/* A primitive's outcome: err 0 = the call succeeded; sig > 0 = the child doing it died of sig. */
struct result {
  int err;
  int sig;
};

static struct result OK = {0, 0};
static struct result fail(int e) {
  struct result r = {e, 0};
  return r;
}

/* Nanoseconds a timing primitive measured (syscall-loop), -1 when none: printed as "ns". */
static long long g_elapsed_ns = -1;

static void report(const char *name, struct result r) {
  char buf[512];
  if (g_elapsed_ns >= 0 && r.sig == 0) {
    snprintf(buf, sizeof buf, "{\"primitive\":\"%s\",\"ok\":%s,\"errno\":%d,\"errnoName\":\"%s\",\"ns\":%lld}\n",
             name, r.err == 0 ? "true" : "false", r.err, errno_name(r.err), g_elapsed_ns);
  } else if (r.sig > 0) {
    snprintf(buf, sizeof buf,
             "{\"primitive\":\"%s\",\"ok\":false,\"errno\":0,\"errnoName\":\"\",\"signal\":%d}\n", name,
             r.sig);
  } else {
    snprintf(buf, sizeof buf, "{\"primitive\":\"%s\",\"ok\":%s,\"errno\":%d,\"errnoName\":\"%s\"}\n", name,
             r.err == 0 ? "true" : "false", r.err, errno_name(r.err));
  }
  out(buf);
}

static void usage_error(const char *name, const char *msg) {
  char buf[512];
  snprintf(buf, sizeof buf, "{\"primitive\":\"%s\",\"error\":\"%s\"}\n", name, msg);
  out(buf);
  _exit(2);
}

/* ------------------------------------------------------------------------------------------------ */
/* Helpers */

/* Scratch paths must be plain names under /tmp: the probe never touches anything else. */
static int tmp_path_ok(const char *p) {
  return strncmp(p, "/tmp/", 5) == 0 && strstr(p, "..") == NULL && strlen(p) > 5 && strlen(p) < 200;
}

/* Runs fn in a forked child (so the probe's own namespaces/credentials stay untouched). */
static struct result in_child(int (*fn)(void *), void *arg) {
  pid_t pid = fork();
  if (pid < 0) return fail(errno);
  if (pid == 0) {
    int e = fn(arg);
    _exit(e & 0xff);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return fail(errno);
  }
  if (WIFSIGNALED(status)) {
    struct result r = {0, WTERMSIG(status)};
    return r;
  }
  return fail(WEXITSTATUS(status));
}

static struct result from_rc(long rc) { return rc < 0 ? fail(errno) : OK; }

static unsigned long parse_hex(const char *s, const char *name) {
  char *end;
  errno = 0;
  unsigned long v = strtoul(s, &end, 16);
  if (errno || *end || end == s) usage_error(name, "expected a hex number");
  return v;
}

static long parse_long(const char *s, const char *name) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 0);
  if (errno || *end || end == s) usage_error(name, "expected a number");
  return v;
}

/* ------------------------------------------------------------------------------------------------ */
/* Primitives. argv[0] is the primitive name. */

static struct result p_mount_tmpfs(int argc, char **argv) {
  if (argc != 2 || !tmp_path_ok(argv[1])) usage_error(argv[0], "usage: mount-tmpfs /tmp/<dir>");
  int made = mkdir(argv[1], 0700) == 0;
  if (!made && errno != EEXIST) return fail(errno);
  struct result r = from_rc(mount("breakwater", argv[1], "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=16k"));
  if (r.err == 0) umount2(argv[1], MNT_DETACH);
  if (made) rmdir(argv[1]);
  return r;
}

/* umount of a directory that is not a mount point: EPERM (may_mount) before EINVAL (not mounted). */
static struct result p_umount(int argc, char **argv) {
  if (argc != 2 || !tmp_path_ok(argv[1])) usage_error(argv[0], "usage: umount /tmp/<dir>");
  int made = mkdir(argv[1], 0700) == 0;
  if (!made && errno != EEXIST) return fail(errno);
  struct result r = from_rc(umount2(argv[1], 0));
  if (made) rmdir(argv[1]);
  return r;
}

static int do_unshare(void *arg) { return unshare((int)*(unsigned long *)arg) < 0 ? errno : 0; }
static struct result p_unshare(int argc, char **argv) {
  if (argc != 2) usage_error(argv[0], "usage: unshare <flags-hex>");
  unsigned long flags = parse_hex(argv[1], argv[0]);
  return in_child(do_unshare, &flags);
}

static int do_setns_self(void *arg) {
  (void)arg;
  int fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  int e = setns(fd, CLONE_NEWNS) < 0 ? errno : 0;
  close(fd);
  return e;
}
static struct result p_setns_self(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return in_child(do_setns_self, NULL);
}

static struct result p_open_by_handle_at(int argc, char **argv) {
  (void)argc;
  (void)argv;
  union {
    struct file_handle fh;
    char buf[sizeof(struct file_handle) + MAX_HANDLE_SZ];
  } h;
  memset(&h, 0, sizeof h);
  h.fh.handle_bytes = MAX_HANDLE_SZ;
  int mount_id;
  if (name_to_handle_at(AT_FDCWD, "/", &h.fh, &mount_id, 0) < 0) return fail(errno);
  int mfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (mfd < 0) return fail(errno);
  int fd = open_by_handle_at(mfd, &h.fh, O_RDONLY | O_CLOEXEC);
  struct result r = from_rc(fd);
  if (fd >= 0) close(fd);
  close(mfd);
  return r;
}

static struct result p_keyctl(int argc, char **argv) {
  (void)argc;
  (void)argv;
  /* create = 0: never makes a keyring, only looks the session keyring up. */
  return from_rc(syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0));
}

static struct result p_add_key(int argc, char **argv) {
  (void)argc;
  (void)argv;
  /* The type does not exist: key_type_lookup() fails with ENODEV, nothing is created. */
  return from_rc(syscall(SYS_add_key, "breakwater-no-such-type", "breakwater", NULL, 0,
                         KEY_SPEC_SESSION_KEYRING));
}

static struct result p_bpf(int argc, char **argv) {
  (void)argc;
  (void)argv;
  char attr[128];
  memset(attr, 0, sizeof attr);
  return from_rc(syscall(SYS_bpf, BPF_PROG_LOAD, attr, sizeof attr));
}

static struct result p_perf_event_open(int argc, char **argv) {
  (void)argc;
  (void)argv;
  uint32_t attr[64];
  memset(attr, 0, sizeof attr);
  attr[1] = 1; /* size: nonzero but below PERF_ATTR_SIZE_VER0 */
  long fd = syscall(SYS_perf_event_open, attr, 0, -1, -1, 0);
  if (fd >= 0) close((int)fd);
  return from_rc(fd);
}

static struct result p_userfaultfd(int argc, char **argv) {
  (void)argc;
  (void)argv;
  /* 0x2 is no valid flag: EINVAL comes after the permission check (userfaultfd_syscall_allowed). */
  long fd = syscall(SYS_userfaultfd, 0x2);
  if (fd >= 0) close((int)fd);
  return from_rc(fd);
}

static struct result p_io_uring_setup(int argc, char **argv) {
  (void)argc;
  (void)argv;
  char params[512];
  memset(params, 0, sizeof params);
  long fd = syscall(SYS_io_uring_setup, 0, params);
  if (fd >= 0) close((int)fd);
  return from_rc(fd);
}

static struct result p_ptrace_attach_child(int argc, char **argv) {
  (void)argc;
  (void)argv;
  pid_t pid = fork();
  if (pid < 0) return fail(errno);
  if (pid == 0) {
    alarm(5);
    for (;;) pause();
  }
  struct result r = from_rc(ptrace(PTRACE_ATTACH, pid, NULL, NULL));
  kill(pid, SIGKILL);
  while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
  }
  return r;
}

static struct result p_process_vm_writev_self(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return from_rc(syscall(SYS_process_vm_writev, getpid(), NULL, 0, NULL, 0, 0));
}

static struct result p_init_module(int argc, char **argv) {
  (void)argc;
  (void)argv;
  static char image[1];
  return from_rc(syscall(SYS_init_module, image, 0, ""));
}

static struct result p_finit_module(int argc, char **argv) {
  (void)argc;
  (void)argv;
  int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(errno);
  struct result r = from_rc(syscall(SYS_finit_module, fd, "", 0));
  close(fd);
  return r;
}

static struct result p_delete_module(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return from_rc(syscall(SYS_delete_module, "breakwater-none", O_NONBLOCK));
}

static struct result p_kexec_load(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return from_rc(syscall(SYS_kexec_load, 0UL, (unsigned long)(KEXEC_SEGMENT_MAX + 1), NULL,
                         (unsigned long)KEXEC_ARCH_DEFAULT));
}

static struct result mknod_probe(int argc, char **argv, mode_t type, dev_t dev) {
  if (argc != 2 || !tmp_path_ok(argv[1])) usage_error(argv[0], "usage: mknod-* /tmp/<file>");
  struct result r = from_rc(mknod(argv[1], type | 0600, dev));
  if (r.err == 0) unlink(argv[1]);
  return r;
}
static struct result p_mknod_block(int argc, char **argv) {
  return mknod_probe(argc, argv, S_IFBLK, makedev(8, 0));
}
static struct result p_mknod_char(int argc, char **argv) {
  return mknod_probe(argc, argv, S_IFCHR, makedev(1, 3));
}

static struct result p_renameat2_exchange(int argc, char **argv) {
  (void)argc;
  (void)argv;
  char a[64], b[64];
  snprintf(a, sizeof a, "/tmp/.bw-xchg-a-%d", (int)getpid());
  snprintf(b, sizeof b, "/tmp/.bw-xchg-b-%d", (int)getpid());
  int fa = open(a, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fa < 0) return fail(errno);
  close(fa);
  int fb = open(b, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fb < 0) {
    struct result r = fail(errno);
    unlink(a);
    return r;
  }
  close(fb);
  struct result r = from_rc(syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE));
  unlink(a);
  unlink(b);
  return r;
}

static struct result p_socket(int argc, char **argv) {
  if (argc != 3) usage_error(argv[0], "usage: socket <domain> <type>");
  int fd = socket((int)parse_long(argv[1], argv[0]), (int)parse_long(argv[2], argv[0]) | SOCK_CLOEXEC, 0);
  if (fd >= 0) close(fd);
  return from_rc(fd);
}

static struct result p_personality(int argc, char **argv) {
  if (argc != 2) usage_error(argv[0], "usage: personality <hex>");
  unsigned long want = parse_hex(argv[1], argv[0]);
  int old = personality(0xffffffff);
  if (old < 0) return fail(errno);
  struct result r = from_rc(personality(want));
  if (r.err == 0) personality((unsigned long)old);
  return r;
}

static struct result p_splice(int argc, char **argv) {
  (void)argc;
  (void)argv;
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0) return fail(errno);
  int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    struct result r = fail(errno);
    close(p[0]);
    close(p[1]);
    return r;
  }
  struct result r = from_rc(splice(p[0], NULL, fd, NULL, 0, 0));
  close(fd);
  close(p[0]);
  close(p[1]);
  return r;
}

static struct result p_chmod_setuid(int argc, char **argv) {
  if (argc != 2 || !tmp_path_ok(argv[1])) usage_error(argv[0], "usage: chmod-setuid /tmp/<file>");
  int fd = open(argv[1], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fail(errno);
  close(fd);
  struct result r = from_rc(chmod(argv[1], 04755));
  unlink(argv[1]);
  return r;
}

/* open then close, never read or write. */
static struct result p_open(int argc, char **argv) {
  if (argc != 3) usage_error(argv[0], "usage: open <path> r|w|rw");
  int mode;
  if (strcmp(argv[2], "r") == 0)
    mode = O_RDONLY;
  else if (strcmp(argv[2], "w") == 0)
    mode = O_WRONLY;
  else if (strcmp(argv[2], "rw") == 0)
    mode = O_RDWR;
  else
    usage_error(argv[0], "flags must be r, w or rw");
  int fd = open(argv[1], mode | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd >= 0) close(fd);
  return from_rc(fd);
}

static struct result p_connect_unix(int argc, char **argv) {
  if (argc != 2) usage_error(argv[0], "usage: connect-unix <path|@abstract>");
  struct sockaddr_un sa;
  memset(&sa, 0, sizeof sa);
  sa.sun_family = AF_UNIX;
  size_t n = strlen(argv[1]);
  if (n == 0 || n >= sizeof sa.sun_path) usage_error(argv[0], "bad socket path");
  memcpy(sa.sun_path, argv[1], n);
  if (argv[1][0] == '@') sa.sun_path[0] = '\0';
  socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (argv[1][0] == '@' ? 0 : 1));
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(errno);
  struct result r = from_rc(connect(fd, (struct sockaddr *)&sa, len));
  close(fd);
  return r;
}

static struct result p_open_proc_self_mem(int argc, char **argv) {
  (void)argc;
  (void)argv;
  int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
  if (fd >= 0) close(fd);
  return from_rc(fd);
}

static struct result p_clone3(int argc, char **argv) {
  (void)argc;
  (void)argv;
  uint64_t args[16];
  memset(args, 0, sizeof args);
  /* size 8 < CLONE_ARGS_SIZE_VER0 (64): the kernel refuses before creating anything. */
  long rc = syscall(SYS_clone3, args, 8);
  if (rc == 0) syscall(SYS_exit_group, 0); /* cannot happen; never run on in a child */
  return from_rc(rc);
}

static struct result p_clone_newuser(int argc, char **argv) {
  (void)argc;
  (void)argv;
  /* clone(2) itself with CLONE_NEWUSER (what Docker's profile filters by argument), no new stack:
   * fork-like, the child exits at once. */
  long pid = syscall(SYS_clone, (unsigned long)(CLONE_NEWUSER | SIGCHLD), 0UL, NULL, NULL, 0UL);
  if (pid == 0) syscall(SYS_exit_group, 0);
  if (pid < 0) return fail(errno);
  int status;
  while (waitpid((pid_t)pid, &status, 0) < 0 && errno == EINTR) {
  }
  return OK;
}

static int do_chroot(void *arg) {
  const char *dir = arg;
  return chroot(dir) < 0 ? errno : 0;
}
static struct result p_chroot(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return in_child(do_chroot, "/tmp");
}

static struct result p_syslog(int argc, char **argv) {
  (void)argc;
  (void)argv;
  /* SYSLOG_ACTION_SIZE_BUFFER (10): read-only, needs CAP_SYSLOG (or CAP_SYS_ADMIN) under dmesg_restrict. */
  return from_rc(syscall(SYS_syslog, 10, NULL, 0));
}

/*
 * A syscall-heavy loop for the overhead benchmark: N x (getpid, open + read 64 bytes + close of the
 * probe binary itself). Every call here goes through the seccomp filter; the time is measured
 * inside the container so container start-up does not count.
 */
static struct result p_syscall_loop(int argc, char **argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
  if (n <= 0 || n > 10000000) return fail(EINVAL);
  char buf[64];
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; i++) {
    syscall(SYS_getpid);
    int fd = open("/probe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(errno);
    if (read(fd, buf, sizeof buf) < 0) {
      int e = errno;
      close(fd);
      return fail(e);
    }
    close(fd);
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  g_elapsed_ns = (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
  return OK;
}

/* ------------------------------------------------------------------------------------------------ */

static const struct {
  const char *name;
  struct result (*fn)(int, char **);
  const char *args;
} PRIMITIVES[] = {
    {"mount-tmpfs", p_mount_tmpfs, "/tmp/<dir>"},
    {"umount", p_umount, "/tmp/<dir>"},
    {"unshare", p_unshare, "<flags-hex>"},
    {"setns-self", p_setns_self, ""},
    {"open_by_handle_at", p_open_by_handle_at, ""},
    {"keyctl", p_keyctl, ""},
    {"add_key", p_add_key, ""},
    {"bpf", p_bpf, ""},
    {"perf_event_open", p_perf_event_open, ""},
    {"userfaultfd", p_userfaultfd, ""},
    {"io_uring_setup", p_io_uring_setup, ""},
    {"ptrace-attach-child", p_ptrace_attach_child, ""},
    {"process_vm_writev-self", p_process_vm_writev_self, ""},
    {"init_module", p_init_module, ""},
    {"finit_module", p_finit_module, ""},
    {"delete_module", p_delete_module, ""},
    {"kexec_load", p_kexec_load, ""},
    {"mknod-block", p_mknod_block, "/tmp/<file>"},
    {"mknod-char", p_mknod_char, "/tmp/<file>"},
    {"renameat2-exchange", p_renameat2_exchange, ""},
    {"socket", p_socket, "<domain> <type>"},
    {"personality", p_personality, "<hex>"},
    {"splice", p_splice, ""},
    {"chmod-setuid", p_chmod_setuid, "/tmp/<file>"},
    {"open", p_open, "<path> r|w|rw"},
    {"connect-unix", p_connect_unix, "<path|@abstract>"},
    {"open-proc-self-mem", p_open_proc_self_mem, ""},
    {"clone3", p_clone3, ""},
    {"clone-newuser", p_clone_newuser, ""},
    {"chroot", p_chroot, ""},
    {"syslog", p_syslog, ""},
    {"syscall-loop", p_syscall_loop, "<iterations>"},
};
#define NPRIM (sizeof(PRIMITIVES) / sizeof(PRIMITIVES[0]))

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    out("usage: probe list | probe <primitive> [args...]\n"
        "Prints one JSON line {\"primitive\",\"ok\",\"errno\",\"errnoName\"}. Run primitives only in a "
        "container.\n\nprimitives:\n");
    for (size_t i = 0; i < NPRIM; i++) {
      out("  ");
      out(PRIMITIVES[i].name);
      out(" ");
      out(PRIMITIVES[i].args);
      out("\n");
    }
    _exit(argc < 2 ? 2 : 0);
  }
  if (strcmp(argv[1], "list") == 0) {
    for (size_t i = 0; i < NPRIM; i++) {
      out(PRIMITIVES[i].name);
      out("\n");
    }
    _exit(0);
  }
  for (size_t i = 0; i < NPRIM; i++) {
    if (strcmp(argv[1], PRIMITIVES[i].name) == 0) {
      alarm(10); /* no primitive may hang the container */
      struct result r = PRIMITIVES[i].fn(argc - 1, argv + 1);
      report(PRIMITIVES[i].name, r);
      _exit(0);
    }
  }
  usage_error(argv[1], "unknown primitive (see probe list)");
  return 2;
}
