#!/bin/sh
# CVE-2019-16884: the image's VOLUME /proc (a fake procfs) is mounted over the container's /proc, so
# the runtime's AppArmor label write lands in a plain file and the container runs unconfined. The
# canary: a marker in /sys/kernel/security (bind of $BW_WORK/canary), which any applied container
# profile denies. See README.md.
set -u
. "$BW_LAB/common/lib.sh"
# The rootfs, the fake procfs volume, the manager and the verdict: CVE-2023-28642's too.
. "$BW_LAB/common/label-bypass.sh"

ID=runc-proc-volume-apparmor-bypass
W=$BW_WORK

label_bypass_rootfs $ID || exit 2
# The volume's content, copied by the engine from the image's /proc.
label_bypass_volume "$W/volume" || exit 2

label_bypass_run $ID "$W/rootfs" "$W/volume" "$W/canary"
