#!/usr/bin/env bash
# make demo: a local PostgreSQL under .local (reused next time), then `mmetl demo`, which starts the
# built-in Graph API simulator, migrates, runs the nightly pipeline, writes and loads the matching
# send log, runs the transforms and prints what an analyst would see.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/pg-local.sh start >/dev/null
DATABASE_URL="$(bash scripts/pg-local.sh url)"
export DATABASE_URL
export MMETL_RECIPIENT_HASH_KEY="${MMETL_RECIPIENT_HASH_KEY:-demo-only-not-a-secret}"
exec .build/debug/mmetl demo --database "$DATABASE_URL" "$@"
