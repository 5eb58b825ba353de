#!/usr/bin/env bash
# A persistent local PostgreSQL 15 cluster for the demo and for poking around by hand.
#
#   scripts/pg-local.sh start    # initdb on first use, start if not running (port 54329 or $MMETL_PG_PORT)
#   scripts/pg-local.sh stop
#   scripts/pg-local.sh status
#   scripts/pg-local.sh url      # prints DATABASE_URL for the `mmetl` database
#   scripts/pg-local.sh psql [ARG...]
#
# The cluster lives in <project>/.local/pg (ignored by git). When the `postgres` system user cannot
# reach the project folder (e.g. it is under /root), the cluster lives in
# /var/tmp/mmetl-pg-<hash of the project path> and .local/pg is a symlink to it.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PORT=${MMETL_PG_PORT:-54329}
SUPERUSER=${MMETL_PG_SUPERUSER:-postgres}
DBNAME=${MMETL_PG_DATABASE:-mmetl}

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
link="$project/.local/pg"

as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Resolves (and on first use creates) the cluster's base folder; prints its real path.
base_dir() {
    if [[ -e "$link" ]]; then
        (cd "$link" && pwd -P)
        return
    fi
    mkdir -p "$project/.local"
    if [[ $(id -u) -ne 0 ]]; then
        mkdir -p "$link"
        (cd "$link" && pwd -P)
        return
    fi
    mkdir -p "$link"
    chown postgres: "$link"
    if runuser -u postgres -- test -w "$link" 2>/dev/null; then
        (cd "$link" && pwd -P)
        return
    fi
    # postgres cannot traverse the project path: keep the cluster outside and link to it.
    rmdir "$link"
    local hash dir
    hash=$(printf '%s' "$project" | sha256sum | cut -c1-12)
    dir="/var/tmp/mmetl-pg-$hash"
    mkdir -p "$dir"
    chmod 0700 "$dir"
    chown postgres: "$dir"
    ln -s "$dir" "$link"
    echo "$dir"
}

url() { echo "postgresql://$SUPERUSER@127.0.0.1:$PORT/$DBNAME"; }

is_running() { as_pg "$PG_BIN/pg_ctl" -D "$1/data" status >/dev/null 2>&1; }

start() {
    local base
    base=$(base_dir)
    if [[ ! -f "$base/data/PG_VERSION" ]]; then
        as_pg mkdir -p "$base/run"
        as_pg "$PG_BIN/initdb" -D "$base/data" -U "$SUPERUSER" -A trust -E UTF8 --locale=C.UTF-8 \
            >"$base/initdb.log" 2>&1 || {
            cat "$base/initdb.log" >&2
            exit 70
        }
    fi
    if is_running "$base"; then
        echo "pg-local: already running at $(url)"
        return
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
        echo "pg-local: port $PORT is taken by another program; set MMETL_PG_PORT" >&2
        exit 69
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$base/data" -l "$base/server.log" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -p $PORT -k $base/run" >/dev/null || {
        echo "pg-local: start failed; server log:" >&2
        tail -n 30 "$base/server.log" >&2 || true
        exit 70
    }
    if ! psql "postgresql://$SUPERUSER@127.0.0.1:$PORT/postgres" -Atqc \
        "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'" | grep -q 1; then
        psql "postgresql://$SUPERUSER@127.0.0.1:$PORT/postgres" -qc "CREATE DATABASE \"$DBNAME\"" >/dev/null
    fi
    echo "pg-local: running at $(url)"
}

stop() {
    if [[ ! -e "$link" ]]; then
        echo "pg-local: no local cluster"
        return
    fi
    local base
    base=$(base_dir)
    if is_running "$base"; then
        as_pg "$PG_BIN/pg_ctl" -D "$base/data" -m fast -w stop >/dev/null
        echo "pg-local: stopped"
    else
        echo "pg-local: not running"
    fi
}

status() {
    if [[ -e "$link" ]] && is_running "$(base_dir)"; then
        echo "pg-local: running at $(url)"
    else
        echo "pg-local: not running"
        exit 3
    fi
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
url) url ;;
psql)
    shift
    exec psql "$(url)" "$@"
    ;;
*)
    echo "usage: $0 start|stop|status|url|psql [ARG...]" >&2
    exit 64
    ;;
esac
