# syntax=docker/dockerfile:1
# CleanStation container image: one static-stdlib binary on a small Ubuntu.
#   docker build --build-arg APP_VERSION=1.2.3 -t cleanstation:1.2.3 .
#   docker run --rm -p 3000:3000 cleanstation:1.2.3          # serve (default)
#   docker run --rm cleanstation:1.2.3 migrate                # any subcommand
# The build stage and the runtime share Ubuntu 24.04 (noble), so the
# shared libraries the binary still links (glibc, libcurl, libharu,
# libqrencode, libpng) are the ones it was built against.

ARG SWIFT_IMAGE=swift:6.3-noble
ARG RUNTIME_IMAGE=ubuntu:noble

# ---------------------------------------------------------------- build ---
FROM ${SWIFT_IMAGE} AS build
WORKDIR /build
# A failing command anywhere in a pipeline fails the step.
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# The C libraries behind the PDF, QR-code and PNG exports (the system
# library targets CHaru, CQRencode, CPNG; scripts/provision.sh on Debian).
RUN export DEBIAN_FRONTEND=noninteractive \
 && apt-get update \
 && apt-get install -y --no-install-recommends libhpdf-dev libqrencode-dev libpng-dev \
 && rm -rf /var/lib/apt/lists/*

# Dependencies first: this layer is reused while only our sources change.
# Package.resolved is not committed (.gitignore); the glob keeps COPY valid
# whether or not a pinned one is present in the build context.
COPY Package.swift Package.resolved* ./
RUN swift package resolve

# SwiftPM checks every declared target's folder when it loads the package,
# so the test and benchmark folders are needed even for one product.
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
# Resource bundles of any dependency must sit beside the binary. Not
# stripped: Swift's crash backtraces need the symbols.
RUN swift build -c release --product cleanstation --static-swift-stdlib \
 && mkdir -p /staging \
 && bin="$(swift build -c release --show-bin-path)" \
 && cp "$bin/cleanstation" /staging/ \
 && find "$bin" -maxdepth 1 -name '*.resources' -exec cp -R {} /staging/ \;

# The Ubuntu packages that own the shared libraries the binary still links
# (libhpdf, libqrencode, libpng, libcurl, ...), listed for the runtime
# stage: build and runtime are both noble, so the names match, and a new
# dependency needs no edit here. The build fails if a library has no owner.
RUN ldd /staging/cleanstation | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u \
  | while read -r lib; do \
        owner=""; real="$(realpath "$lib")"; \
        for candidate in "$lib" "$real" "/usr${lib#/usr}" "${lib#/usr}" "/usr${real#/usr}" "${real#/usr}"; do \
            owner="$(dpkg -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1)"; [ -n "$owner" ] && break; \
        done; \
        [ -n "$owner" ] || { echo "no package owns $lib" >&2; exit 1; }; \
        echo "$owner"; \
    done | sort -u > /runtime-packages.txt \
 && cat /runtime-packages.txt

# -------------------------------------------------------------- runtime ---
FROM ${RUNTIME_IMAGE}
ARG APP_VERSION=dev

# The binary's shared libraries (listed by the build stage), and:
# ca-certificates: TLS to RDS, S3, SMTP. tzdata: local times in reports.
# curl: the HEALTHCHECK. postgresql-client: pg_dump/pg_restore for
# `cleanstation backup|restore`; noble ships client 16, and pg_dump reads
# older servers (PostgreSQL 15) as documented.
COPY --from=build /runtime-packages.txt /tmp/runtime-packages.txt
RUN export DEBIAN_FRONTEND=noninteractive \
 && apt-get update \
 && xargs -a /tmp/runtime-packages.txt apt-get install -y --no-install-recommends \
        ca-certificates tzdata curl postgresql-client \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt

# A fixed, unprivileged uid/gid so volume ownership is predictable (ECS,
# compose, Kubernetes' runAsUser all see 10001).
RUN groupadd --system --gid 10001 cleanstation \
 && useradd --system --uid 10001 --gid cleanstation --home-dir /app --shell /usr/sbin/nologin cleanstation \
 && mkdir -p /app/data/documents /var/log/cleanstation \
 && chown -R cleanstation:cleanstation /app /var/log/cleanstation

COPY --from=build /staging/ /usr/local/bin/
# The web pages' templates and static files, read from the working directory.
COPY --chown=cleanstation:cleanstation Resources /app/Resources
COPY --chown=cleanstation:cleanstation Public /app/Public

WORKDIR /app
# /app/data: SQLite fallback and local documents when S3 is not configured.
# /var/log/cleanstation: the rotated audit JSON-lines file (ops.md).
VOLUME ["/app/data", "/var/log/cleanstation"]

ENV HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    APP_VERSION=${APP_VERSION} \
    DOCUMENTS_DIR=/app/data/documents \
    SQLITE_PATH=/app/data/cleanstation.sqlite \
    AUDIT_LOG_PATH=/var/log/cleanstation/audit.log

USER cleanstation:cleanstation
EXPOSE 3000

# Liveness only: /api/health never touches the database, so a database
# outage does not get healthy containers killed (readiness is /api/ready,
# used by the load balancer and scripts/health-check.sh).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${PORT:-3000}/api/health" >/dev/null || exit 1

ENTRYPOINT ["cleanstation"]
CMD ["serve"]
