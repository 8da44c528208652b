docker run --security-opt=seccomp:unconfined --security-opt apparmor=unconfined alpine
docker run --security-opt seccomp=/etc/docker/seccomp.json --security-opt apparmor=my-profile --security-opt no-new-privileges alpine
docker run --security-opt no-new-privileges:true --security-opt systempaths=unconfined --security-opt label=disable alpine
docker run --security-opt no-new-privileges=false --cap-drop ALL --cap-add CAP_NET_BIND_SERVICE --cap-add=sys_admin,SYS_PTRACE alpine
docker run --security-opt seccomp --security-opt bogus=1 alpine
