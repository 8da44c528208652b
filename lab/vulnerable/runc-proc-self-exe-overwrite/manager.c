/*
 * CVE-2019-5736 re-creation: a runtime whose `exec` runs a process inside the container from a
 * child of its own host binary, with no memfd clone (runc <= 1.0.0-rc6). When the binary it is
 * asked to run is a `#!/proc/self/exe` script, the kernel resolves the interpreter to that child's
 * executable, the host runtime binary, and runs it as a process inside the container, where the
 * container can open it through /proc/<pid>/exe.
 *
 * One binary, four roles (as runc is one binary for `run`, `exec` and `init`):
 *   runc [--memfd-reexec] run ROOTFS STATEDIR SHIM   start the container (/attack as init), then
 *                                                   become SHIM, which waits for it (runc run -d
 *                                                   hands the container to containerd-shim)
 *   runc [--memfd-reexec] exec STATEDIR CMD          the vulnerable step: `runc exec` of CMD
 *   SHIM shim PID STATEDIR                           waits for the container's init
 *   /proc/self/exe /bin/sh ...                       started by the kernel as the interpreter of
 *                                                   the planted /bin/sh: behaves like a short
 *                                                   `runc init` and exits
 * --memfd-reexec is the fixed behaviour (runc 1.0.0-rc7, commit 0a8e4117): before anything else the
 * runtime copies itself into a sealed memfd and re-executes from it, so /proc/self/exe of every
 * runtime process is that sealed copy, never the host binary.
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The seals runc's cloned_binary.c puts on its copy. */
#define RUNC_MEMFD_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

static void sleep_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {
  }
}

/* 1: /proc/self/exe is already the sealed memfd copy (runc's is_self_cloned), 0: it is not. */
static int is_self_cloned(void) {
  int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    perror("open /proc/self/exe");
    exit(125);
  }
  int seals = fcntl(fd, F_GET_SEALS);
  close(fd);
  /* EINVAL: not a memfd (a file on disk has no seals). */
  return seals >= 0 && (seals & RUNC_MEMFD_SEALS) == RUNC_MEMFD_SEALS;
}

/* The CVE-2019-5736 fix, as runc 1.0.0-rc7's ensure_cloned_binary: copy the running binary into a
   memfd, seal it against every change, and re-execute from it. Returns only when already cloned. */
static void ensure_cloned_binary(char **argv) {
  if (is_self_cloned()) {
    bw_step("runtime re-executed from a sealed memfd copy", 1, 0, "/proc/self/exe is a sealed memfd");
    return;
  }
  int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (src < 0) {
    perror("open /proc/self/exe");
    exit(125);
  }
  struct stat st;
  if (fstat(src, &st) != 0) {
    perror("fstat /proc/self/exe");
    exit(125);
  }
  int mfd = memfd_create("runc_cloned:/proc/self/exe", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (mfd < 0) {
    int e = errno;
    bw_step("clone the runtime binary into a memfd", 0, e, "memfd_create");
    exit(125);
  }
  off_t off = 0;
  while (off < st.st_size) {
    ssize_t n = sendfile(mfd, src, &off, (size_t)(st.st_size - off));
    if (n <= 0) {
      perror("sendfile into the memfd");
      exit(125);
    }
  }
  close(src);
  if (fcntl(mfd, F_ADD_SEALS, RUNC_MEMFD_SEALS) != 0) {
    perror("seal the memfd");
    exit(125);
  }
  fexecve(mfd, argv, environ);
  int e = errno;
  bw_step("re-execute the runtime from its sealed memfd copy", 0, e, "fexecve");
  exit(125);
}

static int write_pid(const char *statedir, pid_t pid) {
  char path[4096], buf[32];
  snprintf(path, sizeof path, "%s/init.pid", statedir);
  snprintf(buf, sizeof buf, "%d\n", (int)pid);
  return bw_write_file(path, buf);
}

static pid_t read_pid(const char *statedir) {
  char path[4096], buf[32] = {0};
  snprintf(path, sizeof path, "%s/init.pid", statedir);
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    return -1;
  }
  if (!fgets(buf, sizeof buf, f)) buf[0] = 0;
  fclose(f);
  long v = strtol(buf, NULL, 10);
  return v > 1 ? (pid_t)v : -1;
}

/* `runc run -d`: start the container, record its init, hand it to the shim. */
static int cmd_run(const char *rootfs, const char *statedir, const char *shim) {
  struct bw_defence d;
  bw_defence_from_env(&d);
  char *const argv[] = {"/attack", NULL};
  struct bw_container_opts o = {.rootfs = rootfs, .argv = argv};
  pid_t pid = bw_container_start(&d, &o);
  if (pid < 0) {
    bw_step("start the container", 0, errno, rootfs);
    return 125;
  }
  if (write_pid(statedir, pid) != 0) {
    kill(pid, SIGKILL);
    bw_wait(pid, 2);
    return 125;
  }
  /* The runtime binary stops running here (containerd-shim, a different binary, keeps the
     container), exactly as with `runc run -d`: only the later `exec` runs it again. */
  char pidbuf[32];
  snprintf(pidbuf, sizeof pidbuf, "%d", (int)pid);
  fflush(NULL);
  execl(shim, "shim", "shim", pidbuf, statedir, (char *)NULL);
  perror("exec the shim");
  kill(pid, SIGKILL);
  bw_wait(pid, 2);
  return 125;
}

/* The shim: waits for the container's init (the attacker), bounded. */
static int cmd_shim(const char *pidstr, const char *statedir) {
  (void)statedir;
  pid_t pid = (pid_t)strtol(pidstr, NULL, 10);
  int st = bw_wait(pid, 15);
  if (st < 0) fprintf(stderr, "shim: container init %d did not exit in 15 s: killed\n", (int)pid);
  return 0;
}

/* `runc exec`: the vulnerable step. bw_container_exec forks this process (the runtime binary, or
   its sealed memfd copy with --memfd-reexec), joins the container and execve()s CMD in it. */
static int cmd_exec(const char *statedir, char *cmd) {
  struct bw_defence d;
  bw_defence_from_env(&d);
  pid_t init = read_pid(statedir);
  if (init < 0) return 125;
  char *const argv[] = {cmd, NULL};
  pid_t child = bw_container_exec(&d, init, argv, "/", NULL, NULL);
  if (child < 0) {
    bw_step("runtime exec into the container", 0, errno, cmd);
    return 125;
  }
  int st = bw_wait(child, 5);
  char detail[256];
  snprintf(detail, sizeof detail, "%s exited with %d", cmd, st);
  bw_step("runtime exec into the container", st == 0, st == 0 ? 0 : EIO, detail);
  return 0;
}

/* Started by the kernel as the interpreter of `#!/proc/self/exe`: the host runtime binary now runs
   inside the container. A real runc would print its usage and exit; it lingers 200 ms so the
   attacker's scan of /proc finds it reliably (kept short: the attacker must wait for it to exit). */
static int as_interpreter(void) {
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  exe[n > 0 ? n : 0] = 0;
  bw_step("runtime binary executed inside the container as the interpreter of /bin/sh", 1, 0, exe);
  sleep_ms(200);
  return 0;
}

static int usage(void) {
  fprintf(stderr,
          "usage: runc [--memfd-reexec] run ROOTFS STATEDIR SHIM | runc [--memfd-reexec] exec STATEDIR CMD |"
          " runc shim PID STATEDIR\n");
  return 2;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc >= 1 && strcmp(argv[0], "/proc/self/exe") == 0) return as_interpreter();
  int i = 1;
  int memfd = 0;
  if (i < argc && strcmp(argv[i], "--memfd-reexec") == 0) {
    memfd = 1;
    i++;
  }
  if (i >= argc) return usage();
  const char *cmd = argv[i];
  if (strcmp(cmd, "shim") == 0 && argc - i == 3) return cmd_shim(argv[i + 1], argv[i + 2]);
  if (memfd) ensure_cloned_binary(argv);
  if (strcmp(cmd, "run") == 0 && argc - i == 4) return cmd_run(argv[i + 1], argv[i + 2], argv[i + 3]);
  if (strcmp(cmd, "exec") == 0 && argc - i == 3) return cmd_exec(argv[i + 1], argv[i + 2]);
  return usage();
}
