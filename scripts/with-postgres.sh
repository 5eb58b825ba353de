#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup/interrupted run from traps, which shellcheck cannot see
# Run a command against a throwaway PostgreSQL 15 cluster, then tear the cluster down.
#
#   scripts/with-postgres.sh swift test --filter WarehousePGTests
#
# The cluster lives in a fresh `mktemp -d` directory (under $MMETL_PG_TMPDIR, default /tmp, never a
# root-only home), listens on 127.0.0.1 at a free port and on a Unix socket inside that directory,
# and trusts local connections (it is throwaway). The command sees DATABASE_URL, PGHOST, PGPORT,
# PGUSER and PGDATABASE. The cluster is stopped and its directory removed on every exit path
# (success, failure, Ctrl-C, TERM); the script exits with the command's status.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
SUPERUSER=${MMETL_PG_SUPERUSER:-postgres}

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 64
fi
if [[ ! -x "$PG_BIN/initdb" ]]; then
    echo "with-postgres: $PG_BIN/initdb not found; run scripts/install-deps.sh" >&2
    exit 69
fi

# PostgreSQL refuses to run as root: run the server as the `postgres` system user then.
as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

tmp_parent=${MMETL_PG_TMPDIR:-/tmp}
work=$(mktemp -d "$tmp_parent/mmetl-pg.XXXXXX")
data="$work/data"
sock="$work/run"
log="$work/server.log"
started=0

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ $started -eq 1 ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf -- "$work"
    exit "$status"
}
# On INT/TERM stop the command first (it runs in the background so the signal is seen at once).
child=0
interrupted() {
    if [[ $child -ne 0 ]]; then
        kill -TERM "$child" 2>/dev/null || true
        wait "$child" 2>/dev/null || true
    fi
    exit "$1"
}
trap cleanup EXIT
trap 'interrupted 130' INT
trap 'interrupted 143' TERM

chmod 0755 "$work"
mkdir -p "$sock"
if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$work" "$sock"
fi

as_pg "$PG_BIN/initdb" -D "$data" -U "$SUPERUSER" -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$work/initdb.log" 2>&1 || {
    cat "$work/initdb.log" >&2
    exit 70
}

# Pick a free port by trying: a port can be taken between the probe and the start, so a failed
# start moves on to the next candidate.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=$((20000 + RANDOM % 30000))
for _ in $(seq 1 20); do
    port=$((port + 1))
    if port_in_use "$port"; then
        continue
    fi
    if as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -p $port -k $sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        >/dev/null 2>&1; then
        started=1
        break
    fi
done
if [[ $started -ne 1 ]]; then
    echo "with-postgres: could not start PostgreSQL; server log:" >&2
    tail -n 30 "$log" >&2 || true
    exit 70
fi

export PGHOST=127.0.0.1 PGPORT="$port" PGUSER="$SUPERUSER" PGDATABASE=postgres
export DATABASE_URL="postgresql://$SUPERUSER@127.0.0.1:$port/postgres"
# For tests that stop and restart the server (the fault matrix): `$MMETL_PG_CTL stop -m immediate`.
pg_ctl_cmd="$PG_BIN/pg_ctl -D $data -l $log -w -t 60"
if [[ $(id -u) -eq 0 ]]; then pg_ctl_cmd="runuser -u postgres -- $pg_ctl_cmd"; fi
export MMETL_PG_CTL="$pg_ctl_cmd"
export MMETL_PG_START_OPTS="-c listen_addresses=127.0.0.1 -p $port -k $sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
unset PGPASSWORD PGSERVICE PGSSLMODE 2>/dev/null || true

# Background + wait so a signal interrupts the wait; `<&0` keeps the caller's stdin.
"$@" <&0 &
child=$!
set +e
wait "$child"
status=$?
set -e
child=0
exit "$status"
