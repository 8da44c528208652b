# syntax=docker/dockerfile:1.7
FROM golang:1.22 AS build
USER builder
ADD https://go.dev/dl/tools.tar.gz /tmp/
WORKDIR /src
RUN go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static-debian12:nonroot AS runtime
COPY --from=build /out/app /app
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/app"]
