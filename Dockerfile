# netdemo in a container, for load runs spread over several machines (deploy/, README's
# "Load from several machines"). Build: docker build -t netdemo .
FROM rust:1-bookworm AS build
WORKDIR /src
# .dockerignore lets in only the sources the build reads: never target/, .git or scratch.
COPY . .
RUN cargo build --release --locked --bin netdemo

FROM debian:bookworm-slim
# CA certificates, so `tcp connect --tls` verifies servers as it does elsewhere.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/netdemo /usr/local/bin/netdemo
ENTRYPOINT ["netdemo"]
