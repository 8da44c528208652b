/*
 * The in-root path resolution two re-creations share: the host-side runtime resolves a path inside
 * the container's root with symlinks followed as if that root were "/", gets back a HOST PATH
 * STRING, and uses it later (the race both re-create is in that gap). Shared by
 *   - docker-cp-symlink-race (CVE-2018-15664): dockerd's symlink.FollowSymlinkInScope(root+path,
 *     root) before extracting the archive into the result;
 *   - runc-mount-destination-symlink-exchange (CVE-2021-30465): runc's securejoin.SecureJoin(root,
 *     unsafe) before mounting onto the result;
 * (their manager.c include this header; the build passes -I lab/vulnerable/common). Both resolve
 * the same way, here secure_join.
 * A static function: include it once per program (from manager.c), after defining _GNU_SOURCE.
 */
#ifndef SECUREJOIN_H
#define SECUREJOIN_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before any include (every lab program is built with it)"
#endif

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Walks `path` under `root` one component at a time, following symlinks as if `root` were "/", and
   writes root + the resolved path to `out`. Correct at the moment it runs: the returned string is
   what the race invalidates. Returns 0, or -1 (errno ELOOP, ENAMETOOLONG, or readlink's). */
static int secure_join(const char *root, const char *path, char *out, size_t outlen) {
  char resolved[4096] = ""; /* inside root, "" or "/a/b" */
  char rest[8192];
  snprintf(rest, sizeof rest, "%s", path);
  int links = 0;
  while (rest[0]) {
    char *p = rest;
    while (*p == '/') p++;
    char *slash = strchr(p, '/');
    char comp[256];
    size_t clen = slash ? (size_t)(slash - p) : strlen(p);
    if (clen >= sizeof comp) return -1;
    memcpy(comp, p, clen);
    comp[clen] = 0;
    char tail[8192];
    snprintf(tail, sizeof tail, "%s", slash ? slash : "");
    snprintf(rest, sizeof rest, "%s", tail);
    if (clen == 0 || strcmp(comp, ".") == 0) continue;
    if (strcmp(comp, "..") == 0) {
      char *last = strrchr(resolved, '/');
      if (last) *last = 0;
      continue;
    }
    char candidate[4096], host[8192];
    snprintf(candidate, sizeof candidate, "%s/%s", resolved, comp);
    snprintf(host, sizeof host, "%s%s", root, candidate);
    struct stat st;
    if (lstat(host, &st) != 0 || !S_ISLNK(st.st_mode)) {
      /* Missing components are kept as they are, as FollowSymlinkInScope and SecureJoin do. */
      snprintf(resolved, sizeof resolved, "%s", candidate);
      continue;
    }
    if (++links > 255) {
      errno = ELOOP;
      return -1;
    }
    char target[4096];
    ssize_t n = readlink(host, target, sizeof target - 1);
    if (n < 0) return -1;
    target[n] = 0;
    /* An absolute target restarts from the scope's root; a relative one from here. */
    if (target[0] == '/') resolved[0] = 0;
    char next[8192];
    int n2 = snprintf(next, sizeof next, "%s/%s", target, rest);
    if (n2 < 0 || (size_t)n2 >= sizeof next) {
      errno = ENAMETOOLONG;
      return -1;
    }
    memcpy(rest, next, (size_t)n2 + 1);
  }
  int n = snprintf(out, outlen, "%s%s", root, resolved[0] ? resolved : "/");
  return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

#endif
