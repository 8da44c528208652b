# Shared shell helpers for lab/vulnerable/<id>/run.sh (busybox sh). Sourced, not executed.
# Environment from the lab runner: BW_BIN (built binaries: <id>.manager, <id>.attack), BW_BUSYBOX,
# BW_WORK (a fresh empty directory for this run), the defence's BW_* (see bwlab.h), and
# BW_MGMT_PROFILE (AppArmor profile for the management process, or unset) and BW_SETTINGS
# (comma-separated runtime settings the scenario honours, or unset).

# bw_make_rootfs DIR [ATTACK_BINARY]: a busybox rootfs with the attacker's binary at /attack.
bw_make_rootfs() {
  _r=$1
  mkdir -p "$_r/bin" "$_r/proc" "$_r/dev" "$_r/sys" "$_r/tmp" "$_r/etc" "$_r/run" "$_r/usr/bin" || return 1
  cp "$BW_BUSYBOX" "$_r/bin/busybox" || return 1
  for a in sh ls cat echo sleep mkdir ln mv rm cp touch test grep readlink stat id mount umount chmod sed head tr wc true false kill ps; do
    ln -sf busybox "$_r/bin/$a"
  done
  if [ -n "$2" ]; then cp "$2" "$_r/attack" && chmod 755 "$_r/attack" || return 1; fi
}

# bw_setting NAME: true when BW_SETTINGS lists NAME.
bw_setting() {
  case ",${BW_SETTINGS:-}," in *",$1,"*) return 0 ;; *) return 1 ;; esac
}

# bw_confined PROFILE CMD ARGS...: runs CMD confined by the AppArmor profile PROFILE (empty: unconfined).
bw_confined() {
  _p=$1
  shift
  if [ -z "$_p" ]; then "$@"; return $?; fi
  (
    _a=/proc/self/attr/apparmor/exec
    [ -e "$_a" ] || _a=/proc/self/attr/exec
    echo "exec $_p" >"$_a" || { echo "@@bw-step {\"step\":\"confine management process\",\"ok\":false,\"errno\":\"EACCES\",\"detail\":\"$_p\"}"; exit 125; }
    exec "$@"
  )
}

# bw_canary reached|safe DETAIL: the run's verdict, decided on the host side after the scenario.
bw_canary() {
  echo "@@bw-canary $1 $2"
}

# ---- production host paths (BW_HOSTLIKE) -------------------------------------------------------
# The lab VM is disposable, so its runner sets BW_HOSTLIKE=1 and BW_RUN=<run index>: the scenarios
# then keep their host-side objects where a production host keeps them (/usr/bin/runc, /etc,
# /var/lib/docker, /var/lib/kubelet ...), and the AppArmor rules written for real hosts are the
# ones tested. Without BW_HOSTLIKE (a developer's machine) everything stays under $BW_WORK and no
# production path is touched. Every production path a run creates carries $BW_RUN or is one the
# run created itself, and is removed by bw_host_cleanup (run.sh calls it from an EXIT trap).

# bw_hostlike: true when BW_HOSTLIKE=1 (then BW_RUN must be a run index: exits 2 otherwise).
bw_hostlike() {
  [ "${BW_HOSTLIKE:-}" = 1 ] || return 1
  case "${BW_RUN:-}" in
    '' | *[!0-9]*) echo "lib.sh: BW_HOSTLIKE=1 needs BW_RUN=<run index>, got '${BW_RUN:-}'" >&2; exit 2 ;;
  esac
  return 0
}

BW_HOST_CREATED=
# bw_host_track PATH: bw_host_cleanup removes PATH (rm -rf).
bw_host_track() {
  BW_HOST_CREATED="$1
$BW_HOST_CREATED"
}

# bw_host_mkdir DIR: mkdir -p DIR (production paths, BW_HOSTLIKE only); the topmost directory it
# had to create is removed by bw_host_cleanup.
bw_host_mkdir() {
  bw_hostlike || { echo "lib.sh: bw_host_mkdir $1 without BW_HOSTLIKE=1" >&2; return 1; }
  _t=$1
  _top=
  _p=$_t
  while [ -n "$_p" ] && [ "$_p" != / ] && [ ! -e "$_p" ] && [ ! -L "$_p" ]; do
    _top=$_p
    _p=${_p%/*}
  done
  mkdir -p "$_t" || return 1
  [ -z "$_top" ] || bw_host_track "$_top"
  return 0
}

# bw_host_cleanup: removes what bw_host_mkdir / bw_host_track recorded, newest first.
bw_host_cleanup() {
  printf '%s\n' "$BW_HOST_CREATED" | while IFS= read -r _p; do
    [ -z "$_p" ] || [ "$_p" = / ] || rm -rf "$_p"
  done
  BW_HOST_CREATED=
}

# bw_benign CHECK ok|fail DETAIL: one normal management procedure's outcome (lab/benign).
bw_benign() {
  echo "@@bw-benign $1 $2 $3"
}
