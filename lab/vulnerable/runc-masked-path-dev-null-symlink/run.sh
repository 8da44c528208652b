#!/bin/sh
# CVE-2025-31133: the runtime masks /proc/kcore by bind-mounting the container's /dev/null over it;
# the container's /dev is a volume shared with another container of the attacker's, which made
# `null` a symlink to /proc/kcore, so the "mask" leaves the file exposed. The host file the mask
# should hide is a stand-in, $BW_WORK/control, bind-mounted at the container's /proc/kcore
# (/proc/timer_list on a kernel without kcore).
# See README.md.
set -u
. "$BW_LAB/common/lib.sh"

ID=runc-masked-path-dev-null-symlink
W=$BW_WORK
INITIAL="host control file: untouched"

# A user-namespaced container root (BW_USERNS) must be able to reach its rootfs under $W, as it can
# reach /var/lib/docker/<uid>.<gid>/ with userns-remap: search permission only, no listing.
chmod 711 "$W" || exit 2
bw_make_rootfs "$W/rootfs-a" "$BW_BIN/$ID.attack" || exit 2
bw_make_rootfs "$W/rootfs" "$BW_BIN/$ID.attack" || exit 2
mkdir -p "$W/shared" || exit 2
# The stand-in host file: root's, 0644, as the host-global files under /proc are.
echo "$INITIAL" >"$W/control" && chmod 644 "$W/control" || exit 2

# The masked file: /proc/kcore (the advisory's example), /proc/timer_list on a kernel without
# kcore; both are in runc's default masked paths and denied to containers by both AppArmor profiles.
MASKED=/proc/kcore
[ -e /proc/kcore ] || MASKED=/proc/timer_list

FLAGS=
bw_setting masked-path-check && FLAGS=--masked-path-check

# The manager bounds its waits (5 s per container, then SIGKILL).
bw_confined "${BW_MGMT_PROFILE:-}" "$BW_BIN/$ID.manager" $FLAGS "$W/rootfs-a" "$W/rootfs" "$W/shared" \
  "$W/control" "$MASKED"
RC=$?
[ $RC -eq 0 ] || echo "run.sh: manager exited with $RC" >&2

if grep -q BW-CANARY "$W/control"; then
  bw_canary reached "the container wrote the host file ($W/control) through the masked $MASKED"
else
  bw_canary safe "the host file ($W/control) is unchanged"
fi
[ $RC -eq 0 ] || exit 1
exit 0
