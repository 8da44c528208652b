docker run -v $PWD:/src -v "${HOME}/.cache:/cache" -v '/path with spaces':/data alpine env
docker run --name=my\ box -e "A=b c" --workdir="/srv/my app" $'alpine' echo 'hi there'
docker run --cap-add="SYS_ADMIN" alpine
docker run \
    -v /etc:/etc:ro \
    --privileged=true \
    alpine
