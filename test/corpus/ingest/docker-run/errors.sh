docker run --rm alpine; rm -rf /
docker run -v "$(pwd)":/app node:20 ls
docker run -v `pwd`:/app node:20 ls
docker run --name 'unterminated alpine
docker run --frobnicate --cap-add SYS_MODULE alpine
docker run -itZ alpine sh
docker run --privileged=maybe --rm=false alpine
docker run -p 80:80 -v
docker run --rm
echo hello
docker run -v a:b:c:d -p 99999 --sysctl novalue --mount type=bind,src=/x alpine
docker run alpine env | grep A
