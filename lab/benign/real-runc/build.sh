#!/bin/sh
# Built by the lab runner (src/simulate/procedures/vm-lab.ts) with BW_OUT and BW_ID set: the
# host's real runc (dynamically linked; the runner ships its libraries into the VM).
set -e
command -v runc >/dev/null || { echo "real-runc: runc is not installed (apt-get install runc)" >&2; exit 1; }
cp "$(command -v runc)" "$BW_OUT/$BW_ID.runc"
