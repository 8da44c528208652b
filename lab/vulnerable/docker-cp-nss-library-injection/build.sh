#!/bin/sh
# Built by the lab runner (src/simulate/procedures/vm-lab.ts) with BW_OUT, BW_COMMON and BW_ID set.
# The copy helper is dynamically linked, as docker-tar was: glibc's NSS can only dlopen() a module
# from a dynamic executable. The runner ships its libc and loader into the VM.
set -e
gcc -O2 -Wall -Werror -I "$BW_COMMON" -o "$BW_OUT/$BW_ID.manager" manager.c "$BW_COMMON/bwlab.c" \
  -Wl,-Bstatic -lseccomp -Wl,-Bdynamic
gcc -shared -fPIC -O2 -Wall -Werror -o "$BW_OUT/$BW_ID.nss.so" nss.c
gcc -static -O2 -Wall -Werror -I "$BW_COMMON" -o "$BW_OUT/$BW_ID.attack" attack.c "$BW_COMMON/bwlab.c" -lseccomp
