# Multi-stage build: compile, build the database from data/ at image build time, then run
# the read-only server as an unprivileged user.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY .cargo ./.cargo
COPY src ./src
COPY migrations ./migrations
COPY openapi ./openapi
COPY static ./static
COPY data ./data
RUN cargo build --release --locked \
    && ./target/release/zhengce load --data data --db /src/zhengce.db

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --home-dir /srv/zhengce --create-home zhengce
WORKDIR /srv/zhengce
COPY --from=build /src/target/release/zhengce /usr/local/bin/zhengce
COPY --from=build --chown=zhengce:zhengce /src/zhengce.db /srv/zhengce/zhengce.db
COPY --from=build --chown=zhengce:zhengce /src/data /srv/zhengce/data
USER zhengce
EXPOSE 8080
ENV RUST_LOG=info
CMD ["zhengce", "serve", "--db", "/srv/zhengce/zhengce.db", "--data", "/srv/zhengce/data", "--bind", "0.0.0.0:8080"]
