FROM alpine:3.19
WORKDIR /app
WORKDIR sub/dir
WORKDIR /proc/self/fd/7
CMD ["sh"]
