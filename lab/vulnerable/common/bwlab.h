/*
 * bwlab: the building blocks every vulnerable-procedure simulator (lab/vulnerable/<id>/manager.c)
 * shares. A simulator re-creates ONE management step the way the vulnerable runtime did it; the rest
 * of container setup (namespaces, root, /proc, /dev, masked paths) and the defence (capabilities,
 * no-new-privileges, AppArmor exec label, seccomp) come from here, done the way a FIXED runtime does
 * them, so the only weakness in a scenario is the one being re-created.
 *
 * The defence arrives in the environment (the lab runner sets it per defence):
 *   BW_SECCOMP    path of a rule file (see bw_defence_from_env) or unset: no seccomp
 *   BW_APPARMOR   container profile name or unset: no AppArmor exec label
 *   BW_CAPS       "all" or comma-separated CAP_ names (bounding/effective/permitted); unset = "all"
 *   BW_NNP        1: set no_new_privs before exec
 *   BW_USERNS     1: the container gets a user namespace mapping 0 -> BW_USERNS_BASE (default 100000), 65536 ids
 *   BW_MASKED     colon-separated paths to mask (bind /dev/null on files, empty ro tmpfs on dirs)
 *   BW_READONLY   colon-separated paths to remount read-only
 *
 * Seccomp rule file (one rule per line, '#' comments), loaded with libseccomp:
 *   default <action>
 *   <action> <syscall-name> [<arg-index> <op> <value> [<value-two>]]...
 * action: allow | errno <N> | kill | trap | log ; op: eq ne lt le gt ge masked_eq (value-two = datum)
 *
 * Every function prints a diagnostic to stderr and returns -1 (or exits 125 where noted) on failure.
 */
#ifndef BWLAB_H
#define BWLAB_H

#include <sys/types.h>

struct bw_defence {
  char *seccomp_file;     /* NULL: none */
  void *seccomp_ctx;      /* scmp_filter_ctx, built by bw_defence_from_env (before any chroot) */
  char *apparmor;         /* NULL: none */
  int all_caps;           /* 1: keep every capability */
  unsigned long long caps;/* bit mask of capability numbers kept when !all_caps */
  int nnp;
  int userns;
  unsigned userns_base;
  char *masked;           /* colon-separated, NULL: none */
  char *readonly;         /* colon-separated, NULL: none */
};

/* Reads BW_* (above); parses and compiles the seccomp file now. Exits 125 on a bad value. */
void bw_defence_from_env(struct bw_defence *d);

/* ---- container creation ------------------------------------------------------------------- */

struct bw_container_opts {
  const char *rootfs;        /* host path of the container's root directory */
  char *const *argv;         /* the container process (path inside the rootfs) */
  const char *cwd;           /* working directory inside the container; NULL: "/" */
  int host_network;          /* 1: stay in the host network namespace */
  /* Called in the container's namespaces (as its root, before the root switch), for volume mounts
     and the like: `rootfs` is still the host path. May be NULL. Return nonzero to abort. */
  int (*before_root)(void *arg, const char *rootfs);
  /* Called after the root switch, /proc, /dev and masked paths are set up, before the defence is
     applied (a vulnerable runtime's late steps go here). May be NULL. Return nonzero to abort. */
  int (*before_defence)(void *arg);
  /* Replaces bw_apply_defence (e.g. a re-creation of a vulnerable AppArmor apply). May be NULL. */
  int (*apply_defence)(void *arg, const struct bw_defence *d);
  void *arg;
  /* Descriptors that stay open across the exec (everything else above 2 is closed). -1 ends. */
  const int *keep_fds;
  /* 1: the before_root hook mounted the container's /proc itself (a re-creation of a vulnerable
     proc mount); bwlab then neither mounts procfs nor refuses a symlinked /proc. */
  int proc_done_by_hook;
};

/*
 * Starts a container: new mount, pid, uts, ipc (and net unless host_network; user when d->userns)
 * namespaces; the rootfs bind-mounted and made the root (pivot_root and detach the old root, as runc;
 * MS_MOVE + chroot on an initramfs root, as runc's no-pivot mode); proc on /proc; a tmpfs /dev with null, zero, full, random,
 * urandom, tty bound from the host; masked and read-only paths; then the defence; then execve.
 * With a user namespace the rootfs is chowned to the mapped root first.
 * Returns the pid (in the caller's namespace) of the container's init, or -1.
 */
pid_t bw_container_start(const struct bw_defence *d, const struct bw_container_opts *o);

/*
 * A runtime-like exec into a running container (what `runc exec` does): joins the namespaces of
 * `init_pid` (user first when present), chroots to /proc/<pid>/root, chdirs to cwd, applies the
 * defence and execs argv. The exec'd process runs as a child; returns its pid, or -1.
 * `before_exec` (may be NULL) runs in that child right before the defence is applied.
 */
pid_t bw_container_exec(const struct bw_defence *d, pid_t init_pid, char *const *argv, const char *cwd,
                        int (*before_exec)(void *arg), void *arg);

/* AppArmor label for the next exec (the procfs is verified), bounding set, no_new_privs, seccomp,
   then the capability sets: in that order, as runc does. */
int bw_apply_defence(const struct bw_defence *d);
/* The AppArmor step alone: writes "exec <profile>" to /proc/self/attr/apparmor/exec (or
   /proc/self/attr/exec), after checking that /proc is a real procfs (the CVE-2019-16884 fix).
   A caller that is itself confined (a management-plane profile) writes "stack <profile>": under
   no_new_privs AppArmor refuses a plain transition out of a confined profile. */
int bw_apply_apparmor(const char *profile);

/* Waits up to timeout_s for pid; kills it (SIGKILL) after. Returns the exit status (128+sig if
   signalled) or -1 on timeout. */
int bw_wait(pid_t pid, int timeout_s);

/* ---- helpers ------------------------------------------------------------------------------ */

/* mkdir -p */
int bw_mkdirs(const char *path, unsigned mode);
/* Writes a whole small file (O_CREAT|O_TRUNC, 0644). */
int bw_write_file(const char *path, const char *data);
/* Prints the result line the lab runner reads, on stdout:
   @@bw-step {"step":"<step>","ok":true|false,"errno":"<ENAME>","detail":"<detail>"}
   (strings JSON-escaped). Use it for every step that can be refused, on both sides. */
void bw_step(const char *step, int ok, int err, const char *detail);

#endif
