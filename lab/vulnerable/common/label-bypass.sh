# Shared shell of the two AppArmor label-bypass re-creations, runc-proc-volume-apparmor-bypass
# (CVE-2019-16884) and runc-proc-symlink-apparmor-bypass (CVE-2023-28642): their run.sh source it
# after lib.sh (their manager.c share label-bypass.h, their attack.c label-bypass-attack.c). Each
# run.sh keeps what gets the fake procfs over /proc (the image's /proc symlink) and the manager's
# operands. Sourced, not executed; environment as in lib.sh.

# label_bypass_rootfs ID: the container's rootfs at $BW_WORK/rootfs with $BW_BIN/ID.attack.
label_bypass_rootfs() {
  # A user-namespaced container root (BW_USERNS) must be able to reach its rootfs under $BW_WORK, as
  # it can reach /var/lib/docker/<uid>.<gid>/ with userns-remap: search permission only, no listing.
  chmod 711 "$BW_WORK" || return 1
  bw_make_rootfs "$BW_WORK/rootfs" "$BW_BIN/$1.attack"
}

# label_bypass_volume DIR: the volume's content in DIR, a fake procfs tree (the files the runtime
# writes, as the engine copies them from the image), and the canary directory $BW_WORK/canary.
label_bypass_volume() {
  mkdir -p "$1/self/attr/apparmor" "$1/self/fd" || return 1
  for _f in self/status self/attr/current self/attr/exec self/attr/prev self/attr/apparmor/current \
    self/attr/apparmor/exec self/attr/apparmor/prev; do
    : >"$1/$_f" || return 1
  done
  # Writable to any container root (also a user-namespaced one): the canary measures AppArmor, not DAC.
  mkdir -p "$BW_WORK/canary" && chmod 777 "$BW_WORK/canary"
}

# label_bypass_run ID OPERANDS...: runs $BW_BIN/ID.manager [--verify-procfs] OPERANDS... (confined by
# BW_MGMT_PROFILE), prints the verdict from $BW_WORK/canary and exits: 1 when the manager failed,
# else 0.
label_bypass_run() {
  _id=$1
  shift
  _flags=
  bw_setting verify-procfs && _flags=--verify-procfs
  # The manager bounds its own wait for the container (10 s, then SIGKILL).
  bw_confined "${BW_MGMT_PROFILE:-}" "$BW_BIN/$_id.manager" $_flags "$@"
  _rc=$?
  [ $_rc -eq 0 ] || echo "run.sh: manager exited with $_rc" >&2

  if [ -e "$BW_WORK/canary/bw-marker" ]; then
    bw_canary reached "the container wrote /sys/kernel/security/bw-marker (denied by any applied container profile): it ran unconfined"
  else
    bw_canary safe "no marker in $BW_WORK/canary (bound at the container's /sys/kernel/security)"
  fi
  [ $_rc -eq 0 ] || exit 1
  exit 0
}
