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
