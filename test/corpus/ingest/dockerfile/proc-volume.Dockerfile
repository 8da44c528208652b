FROM alpine:3.19
VOLUME ["/proc", "/data"]
VOLUME /var/lib/app /cache
RUN echo hi
