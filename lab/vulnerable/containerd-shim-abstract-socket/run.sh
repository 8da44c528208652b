#!/bin/sh
# CVE-2020-15257: a host-network container drives the shim's API over its abstract socket.
# busybox sh; see README.md. Settings: shim-path-socket.
. "$BW_LAB/common/lib.sh"
set -u
ID=containerd-shim-abstract-socket
W=$BW_WORK
ROOTFS=$W/rootfs
CANARY=$W/canary
chmod 755 "$W" || exit 125
mkdir -p "$CANARY" || exit 125
bw_make_rootfs "$ROOTFS" "$BW_BIN/$ID.attack" || exit 125

# shim-path-socket: the fixed shim's filesystem socket, in a 0700 directory under $BW_WORK
# (containerd 1.4.3 uses /run/containerd/s/<hash>).
SOCKET_OPT=
mkdir -p "$W/containerd" || exit 125
bw_setting shim-path-socket && SOCKET_OPT="--path-socket $W/containerd/s"
# The attacker asks the shim to create the marker: the stand-in for a task whose bundle mounts the
# host's / (a path the attacker chose, acted on as host root).
bw_confined "${BW_MGMT_PROFILE:-}" timeout -s KILL 15 "$BW_BIN/$ID.manager" $SOCKET_OPT \
  "$ROOTFS" /attack "$CANARY/marker"
rc=$?
if [ "$rc" = 125 ]; then
  echo "$ID: the manager could not run the scenario (exit 125)" >&2
  exit 1
fi
if [ -f "$CANARY/marker" ]; then
  bw_canary reached "the shim created $CANARY/marker on the host for the container's request"
else
  bw_canary safe "no file created by the shim in $CANARY"
fi
exit 0
