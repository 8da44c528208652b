#!/bin/sh
# Benign management procedures: a fixed runtime, shim and copy helper doing ordinary work under the
# defence (and, with BW_MGMT_RUNTIME / BW_MGMT_SHIM / BW_MGMT_CP_HELPER, under the management-plane
# profiles). busybox sh; see README.md. Prints one "@@bw-benign <check> ok|fail <detail>" line per
# check, then "@@bw-benign-done"; exits 0 whenever it ran, failures included.
. "$BW_LAB/common/lib.sh"
set -u
ID=management-procedures
M=$BW_BIN/$ID.manager
W=$BW_WORK
T0=$(date +%s)
# The whole run stays under 30 s: each check gets at most 7 s (the manager bounds its own waits to
# 6 s per step) and none starts after 27 s.
DEADLINE=$((T0 + 27))

cleanup() {
  rm -rf "$W/rootfs" "$W/volumes" "$W/containerd" "$W/out" "$W/app.conf" "$W/check.out"
  bw_host_cleanup
}
trap cleanup EXIT
trap 'exit 143' HUP INT TERM

# A user-namespaced container root must reach its rootfs and volume under $W.
chmod 755 "$W" || exit 1
ROOTFS=$W/rootfs
if bw_hostlike; then
  # Where the kubelet keeps a pod's emptyDir volume and Docker's overlay2 driver the container root
  # (a plain directory here). The runtime profile denies mounts ONTO volumes directories, not from them.
  POD=/var/lib/kubelet/pods/bw-benign-$BW_RUN
  VOLUME=$POD/volumes/kubernetes.io~empty-dir/data
  CPROOT=/var/lib/docker/overlay2/bw-benign-$BW_RUN/merged
  bw_host_mkdir "$POD" || exit 1
  bw_host_mkdir "$CPROOT" || exit 1
  # The fixed shim's socket directory (containerd: /run/containerd/s, 0700), when this run creates
  # it (and so removes it); a host's existing one is left alone.
  SOCKDIR=/run/containerd/s
  if [ -e "$SOCKDIR" ]; then SOCKDIR=$W/containerd/s; mkdir -p "$W/containerd" || exit 1
  else bw_host_mkdir "$SOCKDIR" || exit 1; fi
else
  VOLUME=$W/volumes/data
  CPROOT=$ROOTFS
  SOCKDIR=$W/containerd/s
  mkdir -p "$W/containerd" || exit 1
fi
mkdir -p "$VOLUME" "$W/out" || exit 1
chmod 755 "$VOLUME" || exit 1
bw_make_rootfs "$ROOTFS" "" || exit 1
[ "$CPROOT" = "$ROOTFS" ] || bw_make_rootfs "$CPROOT" "" || exit 1
if [ "${BW_USERNS:-}" = 1 ]; then
  # As the kubelet does for a user-namespaced pod: the volume belongs to the pod's mapped root.
  chown "${BW_USERNS_BASE:-100000}:${BW_USERNS_BASE:-100000}" "$VOLUME" || exit 1
fi
printf 'listen=8080\nmode=benign\n' >"$W/app.conf" || exit 1

# check NAME CONFINE ARGS...: runs the manager's check NAME (under the profile CONFINE for the
# whole process; empty: unconfined), passes its step lines through and prints its verdict, or a
# failure when it printed none.
check() {
  _name=$1
  _prof=$2
  shift 2
  _left=$((DEADLINE - $(date +%s)))
  if [ "$_left" -lt 1 ]; then
    bw_benign "$_name" fail "not run: the 30 s budget is spent"
    return
  fi
  [ "$_left" -gt 7 ] && _left=7
  bw_confined "$_prof" timeout -s TERM "$_left" "$M" "$_name" "$@" </dev/null >"$W/check.out"
  _rc=$?
  grep -v '^@@bw-benign ' "$W/check.out"
  _v=$(grep -E "^@@bw-benign $_name (ok|fail) " "$W/check.out" | head -1)
  if [ -n "$_v" ]; then
    echo "$_v"
  else
    bw_benign "$_name" fail "the manager printed no verdict (exit status $_rc$([ "$_rc" = 143 ] && echo ': timed out'))"
  fi
}

RT=${BW_MGMT_RUNTIME:-}
# 1-5: the runtime's own work, the whole manager confined as the runtime.
check start "$RT" "$ROOTFS"
check volume "$RT" "$ROOTFS" "$VOLUME"
check exec "$RT" "$ROOTFS"
check masked "$RT" "$ROOTFS"
check sysctl "$RT" "$ROOTFS"
# 6-7: the manager plays the daemon (unconfined) and confines the runtime, copy helper and shim it
# forks with their own profiles.
check cp-out "" "$CPROOT" "$W/out/report.txt"
check cp-in "" "$W/app.conf" "$CPROOT"
check shim "" "$ROOTFS" "$SOCKDIR"
echo "@@bw-benign-done"
exit 0
