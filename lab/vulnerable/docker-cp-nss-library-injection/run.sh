#!/bin/sh
# CVE-2019-14271: `docker cp` out of a container whose NSS module is the attacker's.
# busybox sh; see README.md. Settings: cp-preload-nss.
. "$BW_LAB/common/lib.sh"
set -u
ID=docker-cp-nss-library-injection
W=$BW_WORK
CANARY=$W/canary
trap bw_host_cleanup EXIT
trap 'exit 143' HUP INT TERM
# The container's root: where Docker's overlay2 driver mounts it in the lab VM (BW_HOSTLIKE=1; a
# plain directory, not an overlay), $BW_WORK/rootfs elsewhere.
if bw_hostlike; then
  ROOTFS=/var/lib/docker/overlay2/bw-$BW_RUN/merged
  bw_host_mkdir "$ROOTFS" || exit 125
else
  ROOTFS=$W/rootfs
fi
chmod 755 "$W" || exit 125
mkdir -p "$CANARY" "$W/out" || exit 125
bw_make_rootfs "$ROOTFS" "$BW_BIN/$ID.attack" || exit 125
# The image: the attacker's library, and the file the operator will copy out.
cp "$BW_BIN/$ID.nss.so" "$ROOTFS/nss.so" || exit 125
mkdir -p "$ROOTFS/data" && echo "report" >"$ROOTFS/data/report.txt" || exit 125

PRELOAD=
bw_setting cp-preload-nss && PRELOAD=--preload-nss
# `docker cp <container>:/data/report.txt $W/out/report.txt`; the module writes $CANARY/marker.
# The manager plays dockerd (unconfined) and confines only its docker-tar child with
# $BW_MGMT_PROFILE: the container, started by the runtime, is not under the copy helper's profile.
timeout -s KILL 15 "$BW_BIN/$ID.manager" $PRELOAD \
  /data/report.txt "$W/out/report.txt" "$ROOTFS" /attack "$CANARY/marker"
rc=$?
if [ "$rc" = 125 ]; then
  echo "$ID: the manager could not run the scenario (exit 125)" >&2
  exit 1
fi
if [ -f "$CANARY/marker" ]; then
  bw_canary reached "the container's NSS module ran in the cp helper as host root and wrote $CANARY/marker"
else
  bw_canary safe "nothing written to $CANARY"
fi
exit 0
