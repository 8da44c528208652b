# Common docker run lines: boolean bundles, values glued and separate, the image, then the command.
docker run -it --rm -v /:/host alpine sh
docker run -itd --name web -p 8080:80 -p 127.0.0.1:8443:443/tcp nginx:1.27
docker run --privileged --pid=host --net host --ipc host alpine nsenter -t 1 -m sh

docker run -v=/var/run/docker.sock:/var/run/docker.sock:ro -w /app -u 1000:1000 node:20 npm start
podman run --rm -dp 5432:5432 -e POSTGRES_PASSWORD=x --name db postgres:16   # trailing comment
