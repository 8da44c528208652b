#!/bin/sh
# CVE-2019-5736: `runc exec` runs the host runtime binary inside the container through a planted
# `#!/proc/self/exe`; the container overwrites it. The "host runtime binary" is a copy of the
# manager: /usr/bin/runc in the lab VM (BW_HOSTLIKE=1), $BW_WORK/runtime/runc elsewhere. See README.md.
set -u
. "$BW_LAB/common/lib.sh"

ID=runc-proc-self-exe-overwrite
W=$BW_WORK
MARK=BW-CANARY-CVE-2019-5736
RO=0

cleanup() {
  if [ "$RO" = 1 ]; then umount "$RUNC" || echo "run.sh: could not unmount $RUNC" >&2; fi
  RO=0
  bw_host_cleanup
}
trap cleanup EXIT
trap 'exit 143' HUP INT TERM

if bw_hostlike; then
  # Where a production host keeps runc. The VM has none; a run killed by its timeout may have left
  # its copy (or the read-only bind over it) behind. Anything else there is not replaced.
  RUNC=/usr/bin/runc
  if grep -q " $RUNC " /proc/mounts; then umount "$RUNC" || exit 2; fi
  if [ -e "$RUNC" ] || [ -L "$RUNC" ]; then
    if ! cmp -s "$RUNC" "$BW_BIN/$ID.manager" && [ "$(head -c ${#MARK} "$RUNC" | tr -d '\000')" != "$MARK" ]; then
      echo "run.sh: $RUNC exists and is not a lab copy: not replacing it" >&2
      exit 2
    fi
  fi
  bw_host_mkdir /usr/bin || exit 2
  bw_host_track "$RUNC"
else
  RUNC=$W/runtime/runc
  mkdir -p "$W/runtime" || exit 2
fi

# A user-namespaced container root (BW_USERNS) must be able to reach its rootfs under $W, as it can
# reach /var/lib/docker/<uid>.<gid>/ with userns-remap: search permission only, no listing.
chmod 711 "$W" || exit 2
mkdir -p "$W/state" || exit 2
cp "$BW_BIN/$ID.manager" "$RUNC" && chmod 755 "$RUNC" || exit 2
bw_make_rootfs "$W/rootfs" "$BW_BIN/$ID.attack" || exit 2

FLAGS=
bw_setting memfd-reexec && FLAGS=--memfd-reexec

# readonly-runtime-binary: the runtime binary lives on a read-only mount (a bind of the copy over
# itself, remounted read-only).
if bw_setting readonly-runtime-binary; then
  mount --bind "$RUNC" "$RUNC" || exit 2
  RO=1
  mount -o remount,bind,ro "$RUNC" || exit 2
fi

# `runc run -d`: starts the container (the attacker is its init) and becomes the shim.
bw_confined "${BW_MGMT_PROFILE:-}" "$RUNC" $FLAGS run "$W/rootfs" "$W/state" "$BW_BIN/$ID.manager" &
RUN=$!

# The operator's later `runc exec CONTAINER /bin/sh`, once the image has set its trap (bounded).
i=0
while [ ! -e "$W/rootfs/tmp/bw-ready" ] && [ $i -lt 50 ] && kill -0 $RUN 2>/dev/null; do
  sleep 0.1
  i=$((i + 1))
done
if [ -e "$W/rootfs/tmp/bw-ready" ]; then
  bw_confined "${BW_MGMT_PROFILE:-}" "$RUNC" $FLAGS exec "$W/state" /bin/sh
else
  # Not broken when a defence refused the trap (the attacker printed the refused step).
  echo "run.sh: the attacker never set its trap" >&2
fi

# The shim returns when the container's init exits (the attacker gives up after 10 s; the shim
# kills it after 15 s). Nonzero: the runtime could not start the container at all.
wait $RUN
RC=$?
[ $RC -eq 0 ] || echo "run.sh: runc run exited with $RC" >&2

if [ $RO = 1 ]; then
  RO=0
  umount "$RUNC" || { echo "run.sh: could not unmount $RUNC" >&2; exit 2; }
fi

GOT=$(head -c ${#MARK} "$RUNC" | tr -d '\000')
if [ "$GOT" = "$MARK" ]; then
  bw_canary reached "the host runtime binary copy ($RUNC) was overwritten from inside the container"
else
  bw_canary safe "the host runtime binary copy ($RUNC) is unchanged"
fi
[ $RC -eq 0 ] || exit 1
exit 0
