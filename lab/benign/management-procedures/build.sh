#!/bin/sh
# Built by the lab runner (src/simulate/procedures/vm-lab.ts) with BW_OUT, BW_COMMON and BW_ID set.
# Dynamically linked against glibc, as dockerd is: the fixed `docker cp` initialises glibc's NSS
# (and so loads its modules) from the host before the chroot, which needs a dynamic executable (a
# static glibc cannot load NSS modules reliably). libseccomp stays static; the runner ships the
# binary's libc and loader into the VM.
set -e
gcc -O2 -Wall -Werror -I "$BW_COMMON" -o "$BW_OUT/$BW_ID.manager" manager.c "$BW_COMMON/bwlab.c" \
  -Wl,-Bstatic -lseccomp -Wl,-Bdynamic
