/*
 * bwlab: container setup and defence application for the vulnerable-procedure simulators. Done the
 * way a fixed runtime does it (runc's order: namespaces, rootfs, /proc, /dev, root switch, masked
 * and read-only paths, then AppArmor label, bounding set, no_new_privs, seccomp, capabilities,
 * execve), so that the only weakness in a scenario is the step the simulator re-creates.
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/capability.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

static char *const CONTAINER_ENV[] = {"PATH=/bin:/usr/bin:/sbin:/usr/sbin", "HOME=/", NULL};

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("bwlab: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  _exit(125);
}

static int fail(const char *what, const char *arg) {
  int e = errno;
  fprintf(stderr, "bwlab: %s %s: %s\n", what, arg ? arg : "", strerror(e));
  errno = e;
  return -1;
}

/* ---- capabilities ---------------------------------------------------------------------------- */

static const char *const CAP_NAMES[] = {
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
    "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
    "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};
#define CAP_COUNT ((int)(sizeof CAP_NAMES / sizeof CAP_NAMES[0]))

static int cap_number(const char *name) {
  for (int i = 0; i < CAP_COUNT; i++)
    if (strcasecmp(name, CAP_NAMES[i]) == 0 || strcasecmp(name, CAP_NAMES[i] + 4) == 0) return i;
  return -1;
}

/* Drops every capability outside the kept set from the bounding set. */
static int drop_bounding(const struct bw_defence *d) {
  if (d->all_caps) return 0;
  for (int i = 0; i < 64; i++) {
    if (d->caps & (1ULL << i)) continue;
    /* EINVAL: the kernel does not know this capability; nothing to drop. */
    if (prctl(PR_CAPBSET_DROP, i, 0, 0, 0) != 0 && errno != EINVAL) return fail("drop bounding", NULL);
  }
  return 0;
}

/* The capability sets (the bounding set was dropped earlier, by bw_apply_defence). */
static int apply_capabilities(const struct bw_defence *d) {
  if (d->all_caps) return 0;
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
    return fail("clear ambient", NULL);
  struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  data[0].effective = data[0].permitted = (unsigned)(d->caps & 0xffffffffULL);
  data[1].effective = data[1].permitted = (unsigned)(d->caps >> 32);
  if (syscall(SYS_capset, &h, data) != 0) return fail("capset", NULL);
  return 0;
}

/* ---- seccomp ------------------------------------------------------------------------------- */

/* An action word (and, for errno, the number after it, read from the same tokenizer). */
static int parse_action(const char *word, char **save, uint32_t *action) {
  if (!word) return -1;
  if (strcmp(word, "allow") == 0) *action = SCMP_ACT_ALLOW;
  else if (strcmp(word, "kill") == 0) *action = SCMP_ACT_KILL_PROCESS;
  else if (strcmp(word, "trap") == 0) *action = SCMP_ACT_TRAP;
  else if (strcmp(word, "log") == 0) *action = SCMP_ACT_LOG;
  else if (strcmp(word, "errno") == 0) {
    char *n = strtok_r(NULL, " \t", save);
    if (!n) return -1;
    *action = SCMP_ACT_ERRNO((uint16_t)strtoul(n, NULL, 10));
  } else
    return -1;
  return 0;
}

static int parse_op(const char *s, enum scmp_compare *op) {
  static const struct {
    const char *name;
    enum scmp_compare op;
  } ops[] = {{"eq", SCMP_CMP_EQ}, {"ne", SCMP_CMP_NE}, {"lt", SCMP_CMP_LT}, {"le", SCMP_CMP_LE},
             {"gt", SCMP_CMP_GT}, {"ge", SCMP_CMP_GE}, {"masked_eq", SCMP_CMP_MASKED_EQ}};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
    if (strcmp(s, ops[i].name) == 0) {
      *op = ops[i].op;
      return 0;
    }
  return -1;
}

/* Compiles the rule file (format in bwlab.h) into a libseccomp context. Unknown syscall names are
   skipped, as runc does; any other malformed line is fatal (fail closed). */
static scmp_filter_ctx load_rules(const char *file) {
  FILE *f = fopen(file, "r");
  if (!f) die("seccomp rules %s: %s", file, strerror(errno));
  scmp_filter_ctx ctx = NULL;
  uint32_t def = 0;
  char line[4096];
  int lineno = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    line[strcspn(line, "\r\n#")] = 0;
    char *save = NULL;
    char *first = strtok_r(line, " \t", &save);
    if (!first) continue;
    if (strcmp(first, "default") == 0) {
      if (ctx) die("%s:%d: second default", file, lineno);
      if (parse_action(strtok_r(NULL, " \t", &save), &save, &def) != 0)
        die("%s:%d: bad default action", file, lineno);
      ctx = seccomp_init(def);
      if (!ctx) die("seccomp_init failed");
      /* no_new_privs is ours to set (BW_NNP), not libseccomp's. */
      if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) != 0) die("seccomp attr nnp");
      continue;
    }
    if (!ctx) die("%s:%d: rule before the default line", file, lineno);
    uint32_t action;
    if (parse_action(first, &save, &action) != 0) die("%s:%d: bad action %s", file, lineno, first);
    char *name = strtok_r(NULL, " \t", &save);
    if (!name) die("%s:%d: missing syscall name", file, lineno);
    int nr = seccomp_syscall_resolve_name(name);
    struct scmp_arg_cmp args[6];
    unsigned nargs = 0;
    char *idx;
    while ((idx = strtok_r(NULL, " \t", &save))) {
      char *op = strtok_r(NULL, " \t", &save);
      char *v1 = strtok_r(NULL, " \t", &save);
      if (!op || !v1 || nargs >= 6) die("%s:%d: bad argument condition", file, lineno);
      enum scmp_compare cmp;
      if (parse_op(op, &cmp) != 0) die("%s:%d: bad operator %s", file, lineno, op);
      args[nargs].arg = (unsigned)strtoul(idx, NULL, 10);
      args[nargs].op = cmp;
      args[nargs].datum_a = strtoull(v1, NULL, 0);
      args[nargs].datum_b = 0;
      if (cmp == SCMP_CMP_MASKED_EQ) {
        char *v2 = strtok_r(NULL, " \t", &save);
        if (!v2) die("%s:%d: masked_eq needs two values", file, lineno);
        args[nargs].datum_b = strtoull(v2, NULL, 0);
      }
      nargs++;
    }
    if (nr == __NR_SCMP_ERROR) continue; /* not a syscall on this kernel/arch: as runc, skip */
    if (action == def) continue;         /* libseccomp refuses rules equal to the default */
    int rc = seccomp_rule_add_array(ctx, action, nr, nargs, args);
    if (rc != 0) die("%s:%d: seccomp_rule_add %s: %s", file, lineno, name, strerror(-rc));
  }
  fclose(f);
  if (!ctx) die("%s: no default line", file);
  return ctx;
}

/* ---- environment ----------------------------------------------------------------------------- */

static char *env_or_null(const char *name) {
  const char *v = getenv(name);
  return v && *v ? strdup(v) : NULL;
}

void bw_defence_from_env(struct bw_defence *d) {
  memset(d, 0, sizeof *d);
  d->seccomp_file = env_or_null("BW_SECCOMP");
  if (d->seccomp_file) d->seccomp_ctx = load_rules(d->seccomp_file);
  d->apparmor = env_or_null("BW_APPARMOR");
  const char *caps = getenv("BW_CAPS");
  if (!caps || !*caps || strcmp(caps, "all") == 0) d->all_caps = 1;
  else {
    char *list = strdup(caps), *save = NULL;
    for (char *c = strtok_r(list, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
      int n = cap_number(c);
      if (n < 0) die("BW_CAPS: unknown capability %s", c);
      d->caps |= 1ULL << n;
    }
    free(list);
  }
  const char *nnp = getenv("BW_NNP");
  d->nnp = nnp && strcmp(nnp, "1") == 0;
  const char *userns = getenv("BW_USERNS");
  d->userns = userns && strcmp(userns, "1") == 0;
  const char *base = getenv("BW_USERNS_BASE");
  d->userns_base = base && *base ? (unsigned)strtoul(base, NULL, 10) : 100000;
  d->masked = env_or_null("BW_MASKED");
  d->readonly = env_or_null("BW_READONLY");
}

/* ---- the defence ----------------------------------------------------------------------------- */

int bw_apply_apparmor(const char *profile) {
  if (!profile) return 0;
  struct statfs st;
  /* The CVE-2019-16884 fix: never write the label into something that is not procfs. */
  if (statfs("/proc", &st) != 0) return fail("statfs", "/proc");
  if (st.f_type != PROC_SUPER_MAGIC) {
    errno = EPERM;
    return fail("refusing to apply AppArmor: /proc is not procfs", NULL);
  }
  const char *attr = "/proc/self/attr/apparmor/exec";
  if (access(attr, F_OK) != 0) attr = "/proc/self/attr/exec";
  /* A confined runtime (the management-plane profile) stacks the container's profile on its own:
     under no_new_privs AppArmor refuses a plain transition out of a confined profile, and a stack
     keeps the runtime's own limits on everything it starts. */
  const char *how = "exec";
  char current[256] = "";
  const char *cur = "/proc/self/attr/apparmor/current";
  if (access(cur, F_OK) != 0) cur = "/proc/self/attr/current";
  int cfd = open(cur, O_RDONLY | O_CLOEXEC);
  if (cfd >= 0) {
    ssize_t r = read(cfd, current, sizeof current - 1);
    current[r > 0 ? r : 0] = 0;
    close(cfd);
  }
  if (current[0] && strncmp(current, "unconfined", 10) != 0) how = "stack";
  int fd = open(attr, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return fail("open", attr);
  char buf[512];
  int n = snprintf(buf, sizeof buf, "%s %s", how, profile);
  ssize_t w = write(fd, buf, (size_t)n);
  int e = errno;
  close(fd);
  if (w != n) {
    errno = e;
    return fail("write AppArmor exec label", profile);
  }
  return 0;
}

int bw_apply_defence(const struct bw_defence *d) {
  if (bw_apply_apparmor(d->apparmor) != 0) return -1;
  if (drop_bounding(d) != 0) return -1;
  if (d->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return fail("no_new_privs", NULL);
  /* Loaded while we still hold CAP_SYS_ADMIN (needed without no_new_privs, as in runc); the
     filter must then allow capset and execve, which every profile here does. */
  if (d->seccomp_ctx) {
    int rc = seccomp_load((scmp_filter_ctx)d->seccomp_ctx);
    if (rc != 0) {
      errno = -rc;
      return fail("seccomp_load", d->seccomp_file);
    }
  }
  return apply_capabilities(d);
}

/* ---- mounts ---------------------------------------------------------------------------------- */

int bw_mkdirs(const char *path, unsigned mode) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *p = buf + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    if (mkdir(buf, mode) != 0 && errno != EEXIST) return fail("mkdir", buf);
    *p = '/';
  }
  if (mkdir(buf, mode) != 0 && errno != EEXIST) return fail("mkdir", buf);
  return 0;
}

int bw_write_file(const char *path, const char *data) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail("open", path);
  size_t len = strlen(data);
  ssize_t w = write(fd, data, len);
  int e = errno;
  close(fd);
  if (w != (ssize_t)len) {
    errno = e;
    return fail("write", path);
  }
  return 0;
}

static const char *const DEVICES[] = {"null", "zero", "full", "random", "urandom", "tty"};

static int setup_dev(const char *rootfs) {
  char dev[4096];
  snprintf(dev, sizeof dev, "%s/dev", rootfs);
  if (bw_mkdirs(dev, 0755) != 0) return -1;
  if (mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=1024k") != 0)
    return fail("mount tmpfs", dev);
  for (size_t i = 0; i < sizeof DEVICES / sizeof DEVICES[0]; i++) {
    char src[64], dst[4200];
    snprintf(src, sizeof src, "/dev/%s", DEVICES[i]);
    snprintf(dst, sizeof dst, "%s/%s", dev, DEVICES[i]);
    if (access(src, F_OK) != 0) continue; /* a minimal /dev (initramfs) may lack tty */
    int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) return fail("create", dst);
    close(fd);
    if (mount(src, dst, NULL, MS_BIND, NULL) != 0) return fail("bind", src);
  }
  return 0;
}

static int setup_sys(const char *rootfs, int own_netns) {
  char sys[4096];
  snprintf(sys, sizeof sys, "%s/sys", rootfs);
  if (bw_mkdirs(sys, 0755) != 0) return -1;
  if (own_netns && mount("sysfs", sys, "sysfs", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY, NULL) == 0)
    return 0;
  /* Without its own network namespace (or in a user namespace) sysfs cannot be mounted fresh:
     bind the host's read-only, as runc does. */
  if (mount("/sys", sys, NULL, MS_BIND | MS_REC, NULL) != 0) return fail("bind", "/sys");
  if (mount(NULL, sys, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL) != 0)
    return fail("remount ro", sys);
  return 0;
}

static int mount_proc(const char *rootfs) {
  char proc[4096];
  snprintf(proc, sizeof proc, "%s/proc", rootfs);
  struct stat st;
  if (lstat(proc, &st) == 0 && S_ISLNK(st.st_mode)) {
    /* The CVE-2023-28642 fix: never mount procfs through a symlink. */
    errno = ELOOP;
    return fail("refusing to mount procfs on a symlink", proc);
  }
  if (bw_mkdirs(proc, 0555) != 0) return -1;
  if (mount("proc", proc, "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL) != 0) return fail("mount proc", proc);
  return 0;
}

static int each_path(const char *list, int (*fn)(const char *)) {
  if (!list) return 0;
  char *copy = strdup(list), *save = NULL;
  int rc = 0;
  for (char *p = strtok_r(copy, ":", &save); p && rc == 0; p = strtok_r(NULL, ":", &save)) rc = fn(p);
  free(copy);
  return rc;
}

static int mask_path(const char *p) {
  struct stat st;
  if (stat(p, &st) != 0) return errno == ENOENT ? 0 : fail("stat", p);
  if (S_ISDIR(st.st_mode)) {
    if (mount("tmpfs", p, "tmpfs", MS_RDONLY, NULL) != 0) return fail("mask dir", p);
    return 0;
  }
  /* The CVE-2025-31133 fix: bind only the real /dev/null (a 1:3 character device). */
  struct stat null;
  if (lstat("/dev/null", &null) != 0 || !S_ISCHR(null.st_mode) || major(null.st_rdev) != 1 ||
      minor(null.st_rdev) != 3) {
    errno = EPERM;
    return fail("refusing to mask with a /dev/null that is not the null device", p);
  }
  if (mount("/dev/null", p, NULL, MS_BIND, NULL) != 0) return fail("mask", p);
  return 0;
}

static int readonly_path(const char *p) {
  if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) != 0) return errno == ENOENT ? 0 : fail("bind", p);
  if (mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
    return fail("remount ro", p);
  return 0;
}

static const struct bw_defence *chown_defence;
static int chown_one(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)type;
  (void)ftw;
  /* Ids below 65536 are container ids to map; anything else was mapped by an earlier start. */
  uid_t uid = st->st_uid < 65536 ? chown_defence->userns_base + st->st_uid : st->st_uid;
  gid_t gid = st->st_gid < 65536 ? chown_defence->userns_base + st->st_gid : st->st_gid;
  /* Lab plumbing (an engine unpacks images with mapped ids; the runtime does not): a file the
     management profile keeps the runtime from touching is left as it is, not a failed start. */
  if (lchown(path, uid, gid) != 0) fprintf(stderr, "bwlab: lchown %s: %s (left as is)\n", path, strerror(errno));
  return 0;
}

static int close_other_fds(const int *keep) {
  int list[64], n = 0;
  for (; keep && *keep >= 0 && n < 63; keep++) list[n++] = *keep;
  /* sort (tiny list) */
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && list[j - 1] > list[j]; j--) {
      int t = list[j];
      list[j] = list[j - 1];
      list[j - 1] = t;
    }
  unsigned from = 3;
  for (int i = 0; i < n; i++) {
    if ((unsigned)list[i] < from) continue;
    if ((unsigned)list[i] > from && syscall(SYS_close_range, from, (unsigned)list[i] - 1, 0) != 0)
      return fail("close_range", NULL);
    from = (unsigned)list[i] + 1;
  }
  if (syscall(SYS_close_range, from, ~0U, 0) != 0) return fail("close_range", NULL);
  return 0;
}

/* ---- container start ------------------------------------------------------------------------- */

static pid_t clone_with(int flags) {
  /* fork() with namespace flags: the child is pid 1 of a new pid namespace when CLONE_NEWPID. */
  return (pid_t)syscall(SYS_clone, (unsigned long)(flags | SIGCHLD), 0UL, 0UL, 0UL, 0UL);
}

static void container_child(const struct bw_defence *d, const struct bw_container_opts *o, int sync_fd) {
  char c;
  if (read(sync_fd, &c, 1) != 1) die("parent did not finish the user namespace set-up");
  close(sync_fd);
  if (d->userns) {
    if (setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0) die("become root in the user namespace: %s", strerror(errno));
  }
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) die("make / private: %s", strerror(errno));
  if (mount(o->rootfs, o->rootfs, NULL, MS_BIND | MS_REC, NULL) != 0) die("bind rootfs: %s", strerror(errno));
  if (o->before_root && o->before_root(o->arg, o->rootfs) != 0) die("before_root hook failed");
  if (!o->proc_done_by_hook && mount_proc(o->rootfs) != 0) die("proc");
  if (setup_dev(o->rootfs) != 0) die("dev");
  if (setup_sys(o->rootfs, !o->host_network) != 0) die("sys");
  if (chdir(o->rootfs) != 0) die("chdir rootfs: %s", strerror(errno));
  /* runc's pivotRoot: the host's root is detached, so host files the container reaches (through a
     leaked fd, say) are disconnected paths to AppArmor, as under a real runtime. */
  if (syscall(SYS_pivot_root, ".", ".") == 0) {
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) != 0) die("make old root slave: %s", strerror(errno));
    if (umount2(".", MNT_DETACH) != 0) die("detach old root: %s", strerror(errno));
  } else if (errno == EINVAL) {
    /* An initramfs root cannot be pivoted: runc's msMoveRoot (no-pivot mode) instead. */
    if (mount(o->rootfs, "/", NULL, MS_MOVE, NULL) != 0) die("move root: %s", strerror(errno));
  } else
    die("pivot_root: %s", strerror(errno));
  if (chroot(".") != 0) die("chroot: %s", strerror(errno));
  if (chdir("/") != 0) die("chdir /: %s", strerror(errno));
  if (each_path(d->masked, mask_path) != 0) die("masked paths");
  if (each_path(d->readonly, readonly_path) != 0) die("read-only paths");
  if (sethostname("bwlab", 5) != 0) die("sethostname: %s", strerror(errno));
  if (o->before_defence && o->before_defence(o->arg) != 0) die("before_defence hook failed");
  if (o->cwd) {
    if (chdir(o->cwd) != 0) die("chdir %s: %s", o->cwd, strerror(errno));
    /* The CVE-2024-21626 fix: the working directory must be inside the container's root. The raw
       syscall, because glibc's getcwd(3) hides the kernel's "(unreachable)" prefix. */
    char wd[4096];
    if (syscall(SYS_getcwd, wd, sizeof wd) < 0 || wd[0] != '/') die("working directory %s is outside the container root", o->cwd);
  }
  if (close_other_fds(o->keep_fds) != 0) die("close fds");
  int rc = o->apply_defence ? o->apply_defence(o->arg, d) : bw_apply_defence(d);
  if (rc != 0) die("applying the defence failed: refusing to start the container");
  execve(o->argv[0], o->argv, CONTAINER_ENV);
  die("execve %s: %s", o->argv[0], strerror(errno));
}

static int write_map(pid_t pid, const char *which, unsigned base) {
  char path[64], map[64];
  snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, which);
  snprintf(map, sizeof map, "0 %u 65536\n", base);
  return bw_write_file(path, map);
}

pid_t bw_container_start(const struct bw_defence *d, const struct bw_container_opts *o) {
  if (d->userns) {
    chown_defence = d;
    if (nftw(o->rootfs, chown_one, 32, FTW_PHYS) != 0) return -1;
  }
  int sync[2];
  if (pipe2(sync, O_CLOEXEC) != 0) return fail("pipe", NULL);
  int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC;
  if (!o->host_network) flags |= CLONE_NEWNET;
  if (d->userns) flags |= CLONE_NEWUSER;
  fflush(NULL);
  pid_t pid = clone_with(flags);
  if (pid < 0) {
    close(sync[0]);
    close(sync[1]);
    return fail("clone", NULL);
  }
  if (pid == 0) {
    close(sync[1]);
    container_child(d, o, sync[0]);
  }
  close(sync[0]);
  int ok = 1;
  if (d->userns) {
    ok = write_map(pid, "uid_map", d->userns_base) == 0 && write_map(pid, "gid_map", d->userns_base) == 0;
  }
  if (ok && write(sync[1], "1", 1) != 1) ok = 0;
  close(sync[1]);
  if (!ok) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
  }
  return pid;
}

/* ---- exec into a running container ----------------------------------------------------------- */

static const char *const JOIN_ORDER[] = {"user", "ipc", "uts", "net", "pid", "mnt"};

pid_t bw_container_exec(const struct bw_defence *d, pid_t init_pid, char *const *argv, const char *cwd,
                        int (*before_exec)(void *arg), void *arg) {
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) return fail("fork", NULL);
  if (pid > 0) return pid;
  /* Everything is opened from the host's /proc before the first setns. */
  int fds[6];
  for (int i = 0; i < 6; i++) {
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/ns/%s", (int)init_pid, JOIN_ORDER[i]);
    fds[i] = open(p, O_RDONLY | O_CLOEXEC);
    if (fds[i] < 0) die("open %s: %s", p, strerror(errno));
  }
  char rootp[64];
  snprintf(rootp, sizeof rootp, "/proc/%d/root", (int)init_pid);
  int root = open(rootp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) die("open %s: %s", rootp, strerror(errno));
  for (int i = 0; i < 6; i++) {
    if (i == 0 && !d->userns) continue;
    if (setns(fds[i], 0) != 0) die("setns %s: %s", JOIN_ORDER[i], strerror(errno));
    close(fds[i]);
  }
  if (d->userns && (setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0)) die("setresuid: %s", strerror(errno));
  /* setns(mnt) reset our root to the namespace's; the container's root is where its init is. */
  if (fchdir(root) != 0 || chroot(".") != 0) die("enter container root: %s", strerror(errno));
  close(root);
  /* Joining a pid namespace takes effect for children only. */
  pid_t child = fork();
  if (child < 0) die("fork: %s", strerror(errno));
  if (child > 0) {
    int st;
    if (waitpid(child, &st, 0) < 0) _exit(125);
    _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  }
  if (chdir(cwd ? cwd : "/") != 0) die("chdir %s: %s", cwd ? cwd : "/", strerror(errno));
  if (before_exec && before_exec(arg) != 0) die("before_exec hook failed");
  if (bw_apply_defence(d) != 0) die("applying the defence failed: refusing to exec");
  execve(argv[0], argv, CONTAINER_ENV);
  die("execve %s: %s", argv[0], strerror(errno));
  return -1;
}

/* ---- waiting and reporting ------------------------------------------------------------------- */

int bw_wait(pid_t pid, int timeout_s) {
  struct timespec tick = {0, 10 * 1000 * 1000};
  for (long waited = 0; waited < (long)timeout_s * 100; waited++) {
    int st;
    pid_t r = waitpid(pid, &st, WNOHANG);
    if (r == pid) return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (r < 0) return fail("waitpid", NULL);
    nanosleep(&tick, NULL);
  }
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  return -1;
}

static void json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; s && *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') fprintf(f, "\\%c", ch);
    else if (ch < 0x20) fprintf(f, "\\u%04x", ch);
    else fputc(ch, f);
  }
  fputc('"', f);
}

void bw_step(const char *step, int ok, int err, const char *detail) {
  const char *name = ok ? "" : strerrorname_np(err);
  fputs("@@bw-step {\"step\":", stdout);
  json_string(stdout, step);
  fprintf(stdout, ",\"ok\":%s,\"errno\":", ok ? "true" : "false");
  json_string(stdout, name ? name : "");
  fputs(",\"detail\":", stdout);
  json_string(stdout, detail ? detail : "");
  fputs("}\n", stdout);
  fflush(stdout);
}
