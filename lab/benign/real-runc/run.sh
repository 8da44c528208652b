#!/bin/sh
# The host's real runc starting containers under the defence, itself confined by the runtime's
# management profile when the runner sets one (BW_MGMT_RUNTIME). Prints one @@bw-benign line per
# check, then @@bw-benign-done. See README.md.
. "$BW_LAB/common/lib.sh"
set -u
R="$BW_BIN/real-runc.runc"
W=$BW_WORK
STATE=$W/state
mkdir -p "$STATE" || exit 1
# runc needs a cgroup hierarchy; the VM has none mounted (a host has one already).
if ! grep -q " /sys/fs/cgroup " /proc/mounts; then mount -t cgroup2 none /sys/fs/cgroup || exit 1; fi
# The runc 1.1 of Debian 12: a process label is written with "exec" (no stacking).
aa_line=
[ -n "${BW_APPARMOR:-}" ] && aa_line="\"apparmorProfile\": \"$BW_APPARMOR\","

start() { # start NAME NNP -> prints the container's output, returns runc's status
  B=$W/$1
  mkdir -p "$B"
  bw_make_rootfs "$B/rootfs" "" || return 125
  sed -e "s|@APPARMOR@|$aa_line|" -e "s|@NNP@|$2|" "$BW_LAB/benign/real-runc/config.json.in" >"$B/config.json" || return 125
  bw_confined "${BW_MGMT_RUNTIME:-}" timeout -s KILL 20 "$R" --root "$STATE" run --bundle "$B" "bw-$1" 2>&1
  rc=$?
  "$R" --root "$STATE" delete -f "bw-$1" >/dev/null 2>&1
  return $rc
}

out=$(start plain false)
if [ $? -eq 0 ] && echo "$out" | grep -q "${BW_APPARMOR:-unconfined}"; then
  bw_benign runc-start ok "$(echo "$out" | head -1)"
else
  bw_benign runc-start fail "$(echo "$out" | tr '\n' ' ')"
fi

# With no-new-privileges, AppArmor lets a confined process hand its child only a label that
# stacks on its own; runc writes "exec", so under the runtime's management profile the container
# cannot start (it fails closed). Unconfined, it starts. Both are the documented behaviour.
out=$(start nnp true)
rc=$?
if [ -n "${BW_MGMT_RUNTIME:-}" ] && [ -n "${BW_APPARMOR:-}" ]; then
  if [ $rc -ne 0 ] && echo "$out" | grep -q "operation not permitted"; then
    bw_benign runc-start-nnp ok "refused as documented: a confined runc cannot hand a no-new-privileges container a profile that does not stack"
  else
    bw_benign runc-start-nnp fail "expected AppArmor's no-new-privs refusal, got: $(echo "$out" | tr '\n' ' ')"
  fi
elif [ $rc -eq 0 ] && echo "$out" | grep -q "NoNewPrivs:.1"; then
  bw_benign runc-start-nnp ok "$(echo "$out" | tr '\n' ' ')"
else
  bw_benign runc-start-nnp fail "$(echo "$out" | tr '\n' ' ')"
fi
echo "@@bw-benign-done"
exit 0
