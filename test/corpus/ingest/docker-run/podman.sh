podman run --rm --userns=keep-id --security-opt unmask=ALL --network=host fedora:40 bash
podman run --uidmap 0:100000:65536 --pod mypod --systemd=always --http-proxy=false --tls-verify=false ubi9 /sbin/init
podman --remote run -it --privileged --device /dev/kvm quay.io/podman/stable
docker run --pod mypod alpine
podman run --use-api-socket alpine
nerdctl run -d --net=host nginx
