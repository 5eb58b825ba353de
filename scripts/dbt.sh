#!/usr/bin/env bash
# The dbt package (dbt/) against a warehouse.
#
#   scripts/dbt.sh setup             # .venv-dbt with the pinned dbt-core + dbt-postgres (once; reused)
#   scripts/dbt.sh build [ARGS...]   # dbt build (models + tests) into mm_dbt as mmetl_dbt, then source freshness
#   scripts/dbt.sh sources [FILE]    # regenerate dbt/models/sources.yml from the warehouse catalog
#   scripts/dbt.sh dbt ARGS...       # any dbt command with the project and profile set
#   scripts/dbt.sh check             # make test: a simulator-loaded throwaway warehouse, sources up to
#                                    # date, dbt build, analyst reads the models, a duplicated key fails
#
# The warehouse is DATABASE_URL (a libpq URI), else the PG* variables. The profile (dbt/profiles.yml)
# reads MMETL_DBT_* variables this script exports from it: no password is written to a file.
# MMETL_DBT_ROLE (default mmetl_dbt) is the role dbt sets; the login must be a member of it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)

DBT_CORE_VERSION=1.10.23
DBT_POSTGRES_VERSION=1.10.2
venv="$root/.venv-dbt"
pins="dbt-core==$DBT_CORE_VERSION dbt-postgres==$DBT_POSTGRES_VERSION"

export DBT_PROFILES_DIR="$root/dbt" DBT_PROJECT_DIR="$root/dbt"
export DBT_TARGET_PATH="$root/.build/dbt/target" DBT_LOG_PATH="$root/.build/dbt/logs" DBT_PACKAGES_INSTALL_PATH="$root/.build/dbt/packages"
export DBT_SEND_ANONYMOUS_USAGE_STATS=false DBT_VERSION_CHECK=false DBT_USE_COLORS=false DBT_PRINTER_WIDTH=100

setup() {
    if [[ -f "$venv/.pins" && "$(cat "$venv/.pins")" == "$pins" && -x "$venv/bin/dbt" ]]; then
        return 0
    fi
    echo "dbt: creating $venv with $pins" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check $pins
    echo "$pins" >"$venv/.pins"
}

# Exports MMETL_DBT_HOST/PORT/USER/PASSWORD/DBNAME from DATABASE_URL (or PG*), unless already set.
profile_env() {
    local parsed
    parsed=$("$venv/bin/python" - <<'PY'
import os, shlex, urllib.parse
url = os.environ.get("DATABASE_URL", "")
u = urllib.parse.urlsplit(url) if url.startswith(("postgres://", "postgresql://")) else None
q = urllib.parse.parse_qs(u.query) if u else {}
def pick(name, from_url, env, default=""):
    v = os.environ.get("MMETL_DBT_" + name) or from_url or os.environ.get(env) or default
    print(f"export MMETL_DBT_{name}={shlex.quote(str(v))}")
pick("HOST", (u.hostname if u else None) or (q.get("host") or [None])[0], "PGHOST", "127.0.0.1")
pick("PORT", (u.port if u else None), "PGPORT", "5432")
pick("USER", urllib.parse.unquote(u.username) if u and u.username else None, "PGUSER", os.environ.get("USER", "postgres"))
pick("PASSWORD", urllib.parse.unquote(u.password) if u and u.password else None, "PGPASSWORD")
pick("DBNAME", (u.path.lstrip("/") if u and u.path.strip("/") else None), "PGDATABASE", "postgres")
PY
)
    eval "$parsed"
}

dbt() { "$venv/bin/dbt" "$@"; }

psql_url() {   # a conninfo for psql from the MMETL_DBT_* values (password via PGPASSWORD, never argv)
    echo "host=$MMETL_DBT_HOST port=$MMETL_DBT_PORT user=$MMETL_DBT_USER dbname=$MMETL_DBT_DBNAME"
}
q() { PGPASSWORD="$MMETL_DBT_PASSWORD" psql -X -q -t -A -v ON_ERROR_STOP=1 -d "$(psql_url)" "$@"; }

sources() {   # [file] → writes the generated sources.yml there (default: dbt/models/sources.yml)
    local out=${1:-dbt/models/sources.yml}
    q -f dbt/sources.sql >"$out.tmp"
    mv "$out.tmp" "$out"
}

build() {
    dbt build "$@"
    dbt source freshness
}

# Loads a throwaway warehouse from the simulator, then everything make test asserts about the package.
check() {
    : "${DATABASE_URL:?check runs under scripts/with-postgres.sh}"
    # Globals: the EXIT trap reads them after check returns.
    admin=$DATABASE_URL db="mmetl_dbt_check_$$"
    work=$(mktemp -d)
    trap 'rm -rf "$work"; PGPASSWORD="${MMETL_DBT_PASSWORD:-}" psql -X -q -d "$admin" -c "DROP DATABASE IF EXISTS '"$db"' WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
    psql -X -q -d "$admin" -c "CREATE DATABASE $db" >/dev/null
    export DATABASE_URL="${admin%/*}/$db"
    echo "dbt check: loading a warehouse from the simulator (mmetl demo, 3 WABAs × 5 templates × 14 days)"
    MMETL_RECIPIENT_HASH_KEY=dbt-check-key .build/debug/mmetl demo --database "$DATABASE_URL" --wabas 3 --templates 5 --days 14 \
        --workdir "$work/demo" --quiet --log-format json >"$work/demo.log" 2>&1 || { tail -20 "$work/demo.log"; exit 1; }
    profile_env

    echo "dbt check: dbt/models/sources.yml matches the catalog"
    sources "$work/sources.yml"
    if ! diff -u dbt/models/sources.yml "$work/sources.yml" >"$work/sources.diff"; then
        head -40 "$work/sources.diff"
        echo "dbt check: dbt/models/sources.yml is out of date: run scripts/dbt.sh sources against a migrated warehouse" >&2
        exit 1
    fi

    echo "dbt check: dbt build"
    build
    local rows
    rows=$(q -c "SET ROLE mmetl_analyst" -c "SELECT count(*) FROM mm_dbt.whatsapp__ad_reporting")
    [[ "$rows" -gt 0 ]] || { echo "dbt check: mmetl_analyst reads no rows of mm_dbt.whatsapp__ad_reporting" >&2; exit 1; }
    echo "dbt check: mmetl_analyst reads $rows rows of mm_dbt.whatsapp__ad_reporting"

    echo "dbt check: a duplicated key fails the grain test"
    q -c "CREATE SCHEMA mm_grain_check" \
      -c "CREATE TABLE mm_grain_check.fact_template_daily AS SELECT * FROM mm.fact_template_daily" \
      -c "INSERT INTO mm_grain_check.fact_template_daily SELECT * FROM mm.fact_template_daily LIMIT 1" \
      -c "GRANT USAGE ON SCHEMA mm_grain_check TO mmetl_dbt" -c "GRANT SELECT ON ALL TABLES IN SCHEMA mm_grain_check TO mmetl_dbt"
    set +e
    dbt test --select "source:mm.fact_template_daily,test_name:mmetl_unique_key" --vars '{mm_schema: mm_grain_check}' >"$work/grain.log" 2>&1
    local code=$?
    set -e
    if [[ $code -eq 0 ]] || ! grep -q "FAIL 1 source_mmetl_unique_key_mm_fact_template_daily" "$work/grain.log"; then
        cat "$work/grain.log"
        echo "dbt check: the grain test did not fail on a duplicated key (exit $code)" >&2
        exit 1
    fi
    echo "dbt check: the grain test failed on the duplicated key, as it must (exit $code)"
    dbt test --select "source:mm.fact_template_daily,test_name:mmetl_unique_key" >"$work/grain-ok.log" 2>&1 \
        || { cat "$work/grain-ok.log"; echo "dbt check: the grain test fails on the real table" >&2; exit 1; }
    echo "dbt check: passed"
}

cmd=${1:-build}
shift || true
setup
case "$cmd" in
    setup) ;;
    build) profile_env; build "$@" ;;
    sources) profile_env; sources "$@" ;;
    dbt) profile_env; dbt "$@" ;;
    check) check ;;
    *) echo "usage: $0 setup|build|sources [FILE]|dbt ARGS...|check" >&2; exit 64 ;;
esac
