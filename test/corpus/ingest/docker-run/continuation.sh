#!/bin/sh
# a long command, continued over lines
docker run \
  --name "my app" \
  --mount type=bind,source=/etc,target=/host-etc,readonly \
  --mount 'type=volume,src=data,dst=/data' \
  --tmpfs /run:rw,noexec \
  --device /dev/fuse --device=/dev/sda:/dev/xvda:r \
  --read-only --userns=host --cgroupns host \
  --sysctl net.ipv4.ip_forward=1 \
  registry.example.com/team/app:2.1 --flag-for-app -v

sudo docker --context prod container run --rm --user nobody busybox id
