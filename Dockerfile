# mmetl's container image: build with the Swift toolchain, run on a slim Debian with only the runtime
# libraries (docs/install.md). Not built by this repository's CI (no container engine there).
#
#   docker build --build-arg MMETL_BUILD_REVISION="$(git describe --tags --always --dirty)" \
#       -t registry.example.com/mmetl:0.1.0 .
#
# The build context has no .git (.dockerignore), so the revision comes in as a build argument.

FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev libcurl4-openssl-dev zlib1g-dev pkg-config python3 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
ARG MMETL_BUILD_REVISION=unknown
RUN MMETL_BUILD_REVISION="$MMETL_BUILD_REVISION" swift build -c release --static-swift-stdlib --product mmetl \
 && bash scripts/check-no-swift-libs.sh .build/release/mmetl \
 && bash scripts/install.sh install --binary .build/release/mmetl --prefix /usr/local --destdir /out

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 libcurl4 zlib1g libstdc++6 libgcc-s1 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/mmetl --create-home mmetl
COPY --from=build /out/usr/local/ /usr/local/
USER 10001:10001
WORKDIR /var/lib/mmetl
# Exec form: nothing runs through a shell at run time.
ENTRYPOINT ["/usr/local/bin/mmetl"]
CMD ["--help"]
