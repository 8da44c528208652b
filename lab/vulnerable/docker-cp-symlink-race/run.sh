#!/bin/sh
# CVE-2018-15664: `docker cp` into a container that swaps the target directory for a symlink.
# busybox sh; see README.md. Settings: cp-chroot.
. "$BW_LAB/common/lib.sh"
set -u
ID=docker-cp-symlink-race
W=$BW_WORK
ROOTFS=$W/rootfs
trap bw_host_cleanup EXIT
trap 'exit 143' HUP INT TERM
# The host directory the escaped copy lands in: a directory of the host's system tree in the lab VM
# (BW_HOSTLIKE=1), $BW_WORK/canary elsewhere.
if bw_hostlike; then
  CANARY=/etc/bw-canary-$BW_RUN
  bw_host_mkdir "$CANARY" || exit 125
else
  CANARY=$W/canary
fi
chmod 755 "$W" || exit 125
mkdir -p "$CANARY" "$W/src" || exit 125
bw_make_rootfs "$ROOTFS" "$BW_BIN/$ID.attack" || exit 125
# The operator's file: `docker cp $W/src/marker <container>:/w/dir/`.
echo "copied by docker cp" >"$W/src/marker" || exit 125

CHROOT=
bw_setting cp-chroot && CHROOT=--chroot
# The container's symlink points at $CANARY, a host directory outside the rootfs (the PoC's was
# "/"; a host directory the lab can afford to write into).
bw_confined "${BW_MGMT_PROFILE:-}" timeout -s KILL 15 "$BW_BIN/$ID.manager" $CHROOT \
  "$W/src/marker" /w/dir "$ROOTFS" /attack /w/dir "$CANARY"
rc=$?
if [ "$rc" = 125 ]; then
  echo "$ID: the manager could not run the scenario (exit 125)" >&2
  exit 1
fi
if [ -f "$CANARY/marker" ]; then
  bw_canary reached "docker cp wrote $CANARY/marker on the host, outside the container root"
else
  bw_canary safe "nothing written to $CANARY"
fi
exit 0
