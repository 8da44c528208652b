FROM alpine:3.19 AS fetch
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/
ADD ["https://example.com/a b.txt", "git@github.com:moby/buildkit.git#v0.14.0", "/src/"]
ADD local.tar.gz /opt/local/
ADD <<EOF /etc/motd
hello https://not-a-source.example
EOF

FROM scratch
ADD http://insecure.example/app /app
COPY --from=fetch /opt /opt
