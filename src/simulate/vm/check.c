/*
 * /check: one access probe run confined inside the AppArmor test VM (src/simulate/vm/run.ts).
 * The verdict is the exit status, because AppArmor may replace inherited fds such as the console
 * with /dev/null when the profile lacks them: 0 = allowed, otherwise the errno (255 = usage).
 *
 *   check file PATH r|w|rw          open with that mode, then close (never writes a byte)
 *   check cap NAME                  a syscall that needs exactly that capability
 *   check socket DOMAIN TYPE        socket(2)
 *   check mount FSTYPE SOURCE TARGET  mount(2) with no flags
 *
 * Capability probes count as allowed unless they fail with EPERM or EACCES (some are meant to
 * fail afterwards: delete_module of a missing module, reboot with a bad magic...). The VM is
 * disposable; still, every probe is harmless there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <unistd.h>

static int verdict(long rc) { return rc >= 0 ? 0 : (errno ? errno : 254); }

static int cap_verdict(long rc) {
  if (rc >= 0) return 0;
  return (errno == EPERM || errno == EACCES) ? errno : 0;
}

static int domain_of(const char *s) {
  if (!strcmp(s, "inet")) return AF_INET;
  if (!strcmp(s, "inet6")) return AF_INET6;
  if (!strcmp(s, "unix")) return AF_UNIX;
  if (!strcmp(s, "netlink")) return AF_NETLINK;
  if (!strcmp(s, "packet")) return AF_PACKET;
  if (!strcmp(s, "alg")) return 38;
  return -1;
}

static int type_of(const char *s) {
  if (!strcmp(s, "stream")) return SOCK_STREAM;
  if (!strcmp(s, "dgram")) return SOCK_DGRAM;
  if (!strcmp(s, "raw")) return SOCK_RAW;
  if (!strcmp(s, "seqpacket")) return SOCK_SEQPACKET;
  return -1;
}

static int cap(const char *n) {
  errno = 0;
  if (!strcmp(n, "chown")) return cap_verdict(chown("/tmp/cap/chown", 1000, 1000));
  if (!strcmp(n, "dac_override")) return cap_verdict(open("/tmp/cap/noperm", O_WRONLY));
  if (!strcmp(n, "fowner")) return cap_verdict(chmod("/tmp/cap/other", 0640));
  if (!strcmp(n, "setuid")) return cap_verdict(setuid(1000));
  if (!strcmp(n, "setgid")) return cap_verdict(setgid(1000));
  if (!strcmp(n, "mknod")) {
    char p[64];
    snprintf(p, sizeof p, "/tmp/cap/nod%d", (int)getpid());
    return cap_verdict(mknod(p, S_IFCHR | 0600, makedev(1, 3)));
  }
  if (!strcmp(n, "sys_admin")) return cap_verdict(sethostname("vm", 2));
  if (!strcmp(n, "sys_time")) return cap_verdict(syscall(SYS_settimeofday, NULL, NULL)); /* glibc's wrapper reads tv */
  if (!strcmp(n, "sys_module")) return cap_verdict(syscall(SYS_delete_module, "no_such_module", O_NONBLOCK));
  if (!strcmp(n, "sys_boot")) return cap_verdict(syscall(SYS_reboot, 0, 0, 0, NULL));
  if (!strcmp(n, "sys_chroot")) return cap_verdict(chroot("/tmp"));
  if (!strcmp(n, "sys_nice")) return cap_verdict(setpriority(PRIO_PROCESS, 0, -5));
  if (!strcmp(n, "sys_resource")) {
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r)) return 254;
    r.rlim_max += 1;
    return cap_verdict(setrlimit(RLIMIT_NOFILE, &r));
  }
  if (!strcmp(n, "setpcap")) return cap_verdict(prctl(PR_CAPBSET_DROP, 37 /* CAP_AUDIT_READ */, 0, 0, 0));
  if (!strcmp(n, "net_admin")) {
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) return errno ? errno : 253; /* the implied socket was refused */
    int v = 65536;
    return cap_verdict(setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof v));
  }
  if (!strcmp(n, "net_raw")) return cap_verdict(socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
  if (!strcmp(n, "net_bind_service")) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return errno ? errno : 253; /* the implied socket was refused */
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(80)};
    return cap_verdict(bind(s, (struct sockaddr *)&a, sizeof a));
  }
  if (!strcmp(n, "lease")) {
    int fd = open("/tmp/cap/other", O_RDONLY);
    if (fd < 0) return errno ? errno : 253; /* the implied open was refused */
    return cap_verdict(fcntl(fd, F_SETLEASE, F_RDLCK));
  }
  if (!strcmp(n, "syslog")) return cap_verdict(syscall(SYS_syslog, 7 /* CONSOLE_ON */, NULL, 0));
  return 255;
}

int main(int argc, char **argv) {
  if (argc >= 4 && !strcmp(argv[1], "file")) {
    const char *m = argv[3];
    int flags = !strcmp(m, "r") ? O_RDONLY : !strcmp(m, "w") ? O_WRONLY : !strcmp(m, "rw") ? O_RDWR : -1;
    if (flags < 0) return 255;
    int fd = open(argv[2], flags | O_NOCTTY | O_NONBLOCK);
    if (fd >= 0) close(fd);
    return verdict(fd);
  }
  if (argc >= 3 && !strcmp(argv[1], "cap")) return cap(argv[2]);
  if (argc >= 4 && !strcmp(argv[1], "socket")) {
    int d = domain_of(argv[2]), t = type_of(argv[3]);
    if (d < 0 || t < 0) return 255;
    return verdict(socket(d, t, 0));
  }
  if (argc >= 5 && !strcmp(argv[1], "mount")) return verdict(mount(argv[3], argv[4], argv[2], 0, NULL));
  return 255;
}
