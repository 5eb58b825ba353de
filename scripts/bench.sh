#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup/interrupted run from traps, which shellcheck cannot see
# `make bench`: throughput, memory and API efficiency of the release binary against the physical limit.
#
# Run through scripts/with-postgres.sh (a throwaway PostgreSQL; DATABASE_URL and PG* set, superuser):
#
#   bash scripts/with-postgres.sh bash scripts/bench.sh
#
# Phases, each in a database of its own, against the built-in simulator on loopback:
#   1. e2e      `mmetl backfill` of WABAS × TEMPLATES × DAYS (both template product types, pricing with
#               every dimension, catalog): wall, data points/s, fact rows/s, requests, bytes archived,
#               peak RSS (/usr/bin/time -v), CPU of mmetl, PostgreSQL and the simulator.
#   2. limit    the same final fact rows exported with `\copy (SELECT …) TO` and loaded with `psql \copy`
#               into a scratch schema (unpartitioned copies: LIKE … INCLUDING ALL), plus an equivalent
#               merge (INSERT … SELECT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM) from an
#               UNLOGGED staging copy into an empty keyed target; ratios limit ÷ mmetl.
#   3. small    the same backfill over SMALL_DAYS: peak RSS small vs large.
#   4. api      requests of the e2e run ÷ the minimum the API allows (scripts/bench/bench.py `minimum`).
#   4b. merge   `mmetl-bench merge`: one slice of BENCH_MERGE_ROWS synthetic pricing rows loaded into an empty
#               fact (all new), again (all unchanged), then with every value changed (every row revised).
#   5. latency  the nightly `mmetl run` over LAT_WABAS WABAs with the simulator at LAT_MS per response:
#               wall ÷ (requests × latency ÷ max_concurrency).
#   8. shards   the latency scenario as one `mmetl run` at max_concurrency 24 and as 3 shards at 8 each
#               plus `mmetl transform` (scripts/bench/shards.py): wall ratio = the cost of sharding.
#   7. scale    (only with BENCH_PHASES=scale: opt-in, ~10–20 min on 2 cores) a synthetic partner
#               warehouse generated in SQL (scripts/bench/scale.sql): 1,000 WABAs × 20 templates × 90
#               days, both products, conversions, clicks, pricing with every dimension, a send log of
#               5 M messages; the same ten cohorts at 100 WABAs in a second database. Figures (JSON
#               `scale`): transform_nightly_s (sql/transforms over the last 10 days, as after a nightly
#               load), benchmarks_s_100 / benchmarks_s_1000 (30_fact_benchmarks.sql over those days),
#               query_ms (scripts/bench/scale.py: every sql/queries example and mm view over 30 days,
#               all WABAs and one WABA) and pruned.
#   6. callgrind (only with BENCH_CALLGRIND=1) a small backfill under valgrind's callgrind (a copy of
#               the binary without DWARF, which valgrind 3.19 cannot read, and an LD_PRELOAD shim for
#               its sigsuspend bug); the top functions go to bench-results/callgrind-*.txt and the JSON.
# The e2e run also logs every statement's duration (BENCH_PG_LOG) and samples the CPU of mmetl,
# PostgreSQL and the simulator, split at the last slice (before: extract + load; after: sql/transforms).
# Wall time on the 2-core machine kind: ~3½ min at the default scale (+1 min with BENCH_CALLGRIND=1),
# ~40 s with BENCH_SCALE=small (most of it the latency phase), plus the release build.
# Output: a table on stdout; the figures as JSON in bench-results/bench-<git short sha>-<UTC timestamp>.json
# and bench-results/latest.json.
#
# Settings (environment):
#   BENCH_SCALE=default|small     default 50 WABAs × 40 templates × 90 days; small 10 × 20 × 30
#   BENCH_WABAS BENCH_TEMPLATES BENCH_DAYS   the e2e scenario (override the scale)
#   BENCH_SMALL_DAYS              days of the memory comparison run (default 30; 10 for small)
#   BENCH_CHUNK_DAYS              --chunk-days of the backfills (default 90: one window, the API minimum)
#   BENCH_AS_OF                   the simulator's and the run's as-of date (default: today, UTC). mmetl
#                                 checks template retention against the real today (90 days: today-89…),
#                                 so DAYS is clamped to fit it.
#   BENCH_CONCURRENCY (8) BENCH_PAGE_SIZE (500)
#   BENCH_LAT_WABAS (200) BENCH_LAT_TEMPLATES (5) BENCH_LAT_MS (100) BENCH_LAT_DAYS (3: start_date back)
#   BENCH_PHASES                  which phases run (default "e2e limit small merge latency shards"; "scale" is opt-in)
#   BENCH_MERGE_ROWS              rows of the merge phase's slice (default 200000)
#   BENCH_SCALE_WABAS (1000) BENCH_SCALE_WABAS_SMALL (100) BENCH_SCALE_TEMPLATES (20)
#   BENCH_SCALE_DAYS (90) BENCH_SCALE_MESSAGES (5000000)   the scale phase's warehouse
#   BENCH_CALLGRIND=1             also profile (BENCH_CG_WABAS 4, BENCH_CG_TEMPLATES 40, BENCH_CG_DAYS 30)
#   BENCH_TIMEOUT                 seconds one mmetl command may take (default 1200)
#   BENCH_PG_LOG=0                do not log statement durations of the e2e run (default on: the table
#                                 shows the statements PostgreSQL spent its time on)
#   BENCH_OUT                     where the JSON goes (default bench-results/)
#   BENCH_KEEP=1                  keep the work directory (archives, logs, exported rows)
#   MMETL_BIN                     the binary (default .build/release/mmetl)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
bin=${MMETL_BIN:-$root/.build/release/mmetl}
# The Swift micro-benchmarks (normalize alone, the warehouse's load paths): not shipped with mmetl.
bench_bin=${MMETL_BENCH_BIN:-$(dirname "$bin")/mmetl-bench}
helper=(python3 "$root/scripts/bench/bench.py")

die() { echo "bench: $*" >&2; exit 1; }
log() { printf 'bench: %s\n' "$*" >&2; }

[[ -x $bin ]] || die "$bin not found: run \`swift build -c release\` (or \`make bench\`)"
[[ -x $bench_bin ]] || die "$bench_bin not found: run \`swift build -c release\` (or \`make bench\`)"
[[ -n ${PGHOST:-} && -n ${PGPORT:-} ]] || die "no PostgreSQL: run through scripts/with-postgres.sh"
command -v psql >/dev/null || die "psql not found: run scripts/install-deps.sh"
command -v python3 >/dev/null || die "python3 not found"

# /usr/bin/time (peak RSS): installed like scripts/install-deps.sh does, only when missing.
if ! dpkg -s time 2>/dev/null | grep -q '^Status: install ok installed' || [[ ! -x /usr/bin/time ]]; then
    if [[ $(id -u) -eq 0 ]]; then sudo_cmd=(); elif command -v sudo >/dev/null; then sudo_cmd=(sudo); else
        die "/usr/bin/time missing; install the 'time' package"
    fi
    log "installing time"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -q >/dev/null
    "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends time >/dev/null
fi

# ------------------------------------------------------------------------------------------ settings
scale=${BENCH_SCALE:-default}
case $scale in
    default) d_wabas=50 d_templates=40 d_days=90 d_small=30 ;;
    small) d_wabas=10 d_templates=20 d_days=30 d_small=10 ;;
    *) die "BENCH_SCALE must be default or small, not $scale" ;;
esac
wabas=${BENCH_WABAS:-$d_wabas}
templates=${BENCH_TEMPLATES:-$d_templates}
days=${BENCH_DAYS:-$d_days}
small_days=${BENCH_SMALL_DAYS:-$d_small}
chunk=${BENCH_CHUNK_DAYS:-90}
concurrency=${BENCH_CONCURRENCY:-8}
page_size=${BENCH_PAGE_SIZE:-500}
lat_wabas=${BENCH_LAT_WABAS:-200}
lat_templates=${BENCH_LAT_TEMPLATES:-5}
lat_ms=${BENCH_LAT_MS:-100}
lat_days=${BENCH_LAT_DAYS:-3}
merge_rows=${BENCH_MERGE_ROWS:-200000}
phases=" ${BENCH_PHASES:-e2e limit small merge latency shards} "
cmd_timeout=${BENCH_TIMEOUT:-1200}
today=$(date -u +%F)
as_of=${BENCH_AS_OF:-$today}
# mmetl refuses backfills starting before today-89 (template retention, against the real date).
floor=$(date -u -d "$today - 89 days" +%F)
clamp_days() {  # days → the largest count ending at as_of that starts on or after the floor
    local n=$1 from
    from=$(date -u -d "$as_of - $((n - 1)) days" +%F)
    if [[ $from < $floor ]]; then
        n=$(( ($(date -u -d "$as_of" +%s) - $(date -u -d "$floor" +%s)) / 86400 + 1 ))
        log "clamping $1 days to $n: mmetl checks template retention against today ($today, earliest $floor)"
    fi
    echo "$n"
}
days=$(clamp_days "$days")
small_days=$(clamp_days "$small_days")
(( days >= 1 && small_days >= 1 )) || die "BENCH_AS_OF $as_of leaves no day within retention"

work=$(mktemp -d "${TMPDIR:-/tmp}/mmetl-bench.XXXXXX")
figs=$work/figures
mkdir -p "$figs"
out_dir=${BENCH_OUT:-$root/bench-results}
mkdir -p "$out_dir"

sim_pid=0 cmd_pid=0 sampler_pid=0
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local p
    for p in "$cmd_pid" "$sampler_pid"; do
        if [[ $p -ne 0 ]]; then
            kill -TERM "$p" 2>/dev/null || true
            wait "$p" 2>/dev/null || true
        fi
    done
    stop_simulator
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then log "kept $work"; else rm -rf -- "$work"; fi
    exit "$status"
}
stop_simulator() {
    if [[ $sim_pid -ne 0 ]]; then
        kill -TERM "$sim_pid" 2>/dev/null || true
        wait "$sim_pid" 2>/dev/null || true
        sim_pid=0
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export MMETL_ACCESS_TOKEN=bench
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
fig() { printf '%s\n' "$2" >"$figs/$1.json"; }   # one figure: a JSON value
q() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }
db_url() { echo "postgresql://${PGUSER:-postgres}@${PGHOST}:${PGPORT}/$1"; }
pg_data=$(q postgres 'SHOW data_directory')
pg_pid() { head -n 1 "$pg_data/postmaster.pid"; }
# scripts/with-postgres.sh writes the server log beside the data directory.
pg_log=$(dirname "$pg_data")/server.log

new_database() {  # name → migrated database URL
    local name=$1 url
    q postgres "DROP DATABASE IF EXISTS $name" >/dev/null
    q postgres "CREATE DATABASE $name" >/dev/null
    url=$(db_url "$name")
    "$bin" migrate --database "$url" --quiet >"$work/migrate-$name.log" 2>&1 || {
        cat "$work/migrate-$name.log" >&2
        die "migrate $name failed"
    }
    echo "$url"
}

# Starts the simulator; sets sim_url and sim_wabas (comma-separated ids).
start_simulator() {
    local name=$1
    shift
    local outf=$work/sim-$name.out
    "$bin" simulate --port 0 --as-of "$as_of" --quiet --log-format json "$@" >"$outf" 2>"$work/sim-$name.err" &
    sim_pid=$!
    local line=""
    for _ in $(seq 1 600); do
        line=$(grep -m 1 '^listening on ' "$outf" 2>/dev/null || true)
        [[ -n $line ]] && break
        kill -0 "$sim_pid" 2>/dev/null || { cat "$work/sim-$name.err" >&2; die "the simulator exited"; }
        sleep 0.1
    done
    [[ -n $line ]] || die "the simulator did not start within 60 s"
    sim_url=${line#listening on }
    sim_url=${sim_url%% *}
    sim_wabas=${line##*wabas=}
}

# write_pipeline FILE NAME START_DATE ARCHIVE_DIR. Every WABA gets an `industry`, so mmetl makes no
# business-profile call; the values mirror the verticals the simulator's profiles would return (by WABA
# position: RETAIL, RETAIL, APPAREL, then APPAREL, APPAREL, RETAIL, RETAIL, GROCERY repeating), so the
# benchmark transform sees the same cohorts as without the override.
industry_at() {
    local cycle=(apparel apparel retail retail grocery)
    case $1 in
        0 | 1) echo retail ;;
        2) echo apparel ;;
        *) echo "${cycle[$(( ($1 - 3) % 5 ))]}" ;;
    esac
}
write_pipeline() {
    local file=$1 name=$2 start=$3 archive=$4 id i=0
    {
        echo "name: $name"
        echo "start_date: $start"
        echo "graph: { base_url: \"$sim_url\", api_version: v25.0, token_env: MMETL_ACCESS_TOKEN, max_concurrency: $concurrency, page_size: $page_size, timeout_seconds: 60 }"
        echo "warehouse: { url_env: DATABASE_URL }"
        echo "archive: { dir: \"$archive\" }"
        echo "datasets:"
        echo "  pricing:   { granularity: DAILY, dimensions: [PRICING_CATEGORY, PRICING_TYPE, COUNTRY, PHONE, TIER], settle_days: 7, max_window_days: 90 }"
        echo "  templates: { product_types: [MARKETING_MESSAGES_LITE_API, CLOUD_API], use_waba_timezone: true, settle_days: 10, max_window_days: 90 }"
        echo "  catalog:   {}"
        echo "wabas:"
        for id in ${sim_wabas//,/ }; do
            echo "  - { id: \"$id\", industry: $(industry_at "$i") }"
            i=$((i + 1))
        done
    } >"$file"
}

# timed PREFIX URL ARGS… — runs mmetl under /usr/bin/time -v; records wall, time -v figures and CPU
# of PostgreSQL and the simulator over the command.
timed() {
    local prefix=$1 url=$2
    shift 2
    local pg sim_cpu0 pg_cpu0 t0 t1 status
    pg=$(pg_pid)
    pg_cpu0=$("${helper[@]}" cpu "$pg")
    sim_cpu0=$("${helper[@]}" cpu "$sim_pid")
    t0=$(now)
    DATABASE_URL=$url timeout "$cmd_timeout" /usr/bin/time -v -o "$work/$prefix.timev" "$bin" "$@" \
        >"$work/$prefix.stdout" 2>"$work/$prefix.stderr" &
    cmd_pid=$!
    "${helper[@]}" sample "$work/$prefix.samples" "mmetl=$cmd_pid" "postgres=$pg" "simulator=$sim_pid" &
    sampler_pid=$!
    set +e
    wait "$cmd_pid"
    status=$?
    set -e
    t1=$(now)
    cmd_pid=0
    kill -TERM "$sampler_pid" 2>/dev/null || true
    wait "$sampler_pid" 2>/dev/null || true
    sampler_pid=0
    fig "${prefix}_samples_path" "\"$work/$prefix.samples\""
    fig "${prefix}_t0" "$t0"
    fig "${prefix}_wall_s" "$(elapsed "$t0" "$t1")"
    fig "${prefix}_cpu_postgres_s" "$(awk -v a="$pg_cpu0" -v b="$("${helper[@]}" cpu "$pg")" 'BEGIN { printf "%.3f", b - a }')"
    fig "${prefix}_cpu_simulator_s" "$(awk -v a="$sim_cpu0" -v b="$("${helper[@]}" cpu "$sim_pid")" 'BEGIN { printf "%.3f", b - a }')"
    fig "${prefix}_timev" "$("${helper[@]}" timev "$work/$prefix.timev")"
    sed 's/^/    /' "$work/$prefix.stdout" >&2
    if [[ $status -ne 0 ]]; then
        log "mmetl ($prefix) exited $status; last log lines:"
        tail -n 5 "$work/$prefix.stderr" >&2
    fi
    return 0
}

# backfill PREFIX DAYS — a backfill scenario in its own database, against its own simulator.
backfill_scenario() {
    local prefix=$1 n=$2 from url pipeline
    from=$(date -u -d "$as_of - $((n - 1)) days" +%F)
    log "$prefix: backfill $wabas WABAs × $templates templates × $n days ($from…$as_of, chunk $chunk d)"
    url=$(new_database "bench_$prefix")
    local log_offset=""
    if [[ $prefix == e2e && ${BENCH_PG_LOG:-1} == 1 && -f $pg_log ]]; then
        # Every statement's duration in the server log, for this database only (sessions started from now).
        q postgres "ALTER DATABASE bench_$prefix SET log_min_duration_statement = 0" >/dev/null
        log_offset=$(stat -c %s "$pg_log")
    fi
    start_simulator "$prefix" --wabas "$wabas" --templates "$templates" --days "$n"
    pipeline=$work/$prefix.yaml
    write_pipeline "$pipeline" "bench_$prefix" "$from" "$work/archive-$prefix"
    fig "${prefix}_scenario" "{\"wabas\": $wabas, \"templates\": $templates, \"days\": $n, \"from\": \"$from\", \"to\": \"$as_of\", \"chunk_days\": $chunk, \"max_concurrency\": $concurrency, \"page_size\": $page_size}"
    timed "$prefix" "$url" backfill --pipeline "$pipeline" --from "$from" --to "$as_of" --chunk-days "$chunk"
    stop_simulator
    if [[ -n $log_offset ]]; then
        q postgres "ALTER DATABASE bench_$prefix RESET log_min_duration_statement" >/dev/null
        fig "${prefix}_pg_statements" "$("${helper[@]}" pg-statements "$pg_log" "$log_offset")"
    fi
    fig "${prefix}_run" "$("${helper[@]}" run-figures "$url")"
    if [[ $prefix == e2e ]]; then
        fig e2e_api_min "$("${helper[@]}" api-minimum "$url" "$templates" "$from" "$as_of" 90 "$page_size" mm_api,cloud_api 1)"
        e2e_url=$url
        # Normalize alone: the normalizers over the e2e run's archived pages, in memory (no I/O, no gunzip).
        fig e2e_normalize "$("$bench_bin" normalize "$work/archive-$prefix" --passes 1)"
    fi
}

# The physical limit on the e2e run's final fact rows.
limit_phase() {
    local url=$1 t name file t0 t1 rows export_s copy_s stage_s merge_s merge json=""
    log "limit: export the final facts, then psql \\copy + merge into a scratch schema"
    q "$url" "DROP SCHEMA IF EXISTS bench_limit CASCADE; CREATE SCHEMA bench_limit" >/dev/null
    for t in mm.fact_template_daily mm.fact_pricing mm.fact_conversions mm.fact_template_clicks; do
        name=${t#mm.}
        file=$work/limit-$name.copy
        q "$url" "CREATE TABLE bench_limit.${name}_copy (LIKE $t INCLUDING ALL);
                  CREATE UNLOGGED TABLE bench_limit.${name}_stage (LIKE $t INCLUDING DEFAULTS);
                  CREATE TABLE bench_limit.${name}_target (LIKE $t INCLUDING ALL)" >/dev/null
        merge=$("${helper[@]}" merge-sql "$url" "$t" bench_limit)
        t0=$(now); q "$url" "\\copy (SELECT * FROM $t) TO '$file'" >/dev/null; t1=$(now); export_s=$(elapsed "$t0" "$t1")
        rows=$(wc -l <"$file")
        t0=$(now); q "$url" "\\copy bench_limit.${name}_copy FROM '$file'" >/dev/null; t1=$(now); copy_s=$(elapsed "$t0" "$t1")
        t0=$(now); q "$url" "\\copy bench_limit.${name}_stage FROM '$file'" >/dev/null; t1=$(now); stage_s=$(elapsed "$t0" "$t1")
        t0=$(now); q "$url" "$merge" >/dev/null; t1=$(now); merge_s=$(elapsed "$t0" "$t1")
        [[ $(q "$url" "SELECT count(*) FROM bench_limit.${name}_target") == "$rows" ]] || die "limit: $name target row count differs"
        json+="${json:+, }\"$t\": {\"rows\": $rows, \"export_s\": $export_s, \"copy_s\": $copy_s, \"stage_copy_s\": $stage_s, \"merge_s\": $merge_s}"
        rm -f -- "$file"
    done
    fig limit "{\"tables\": {$json}, \"merge_sql_example\": $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$merge")}"
    q "$url" "DROP SCHEMA bench_limit CASCADE" >/dev/null
}

# The warehouse's load paths on one slice of synthetic pricing rows (mmetl-bench merge): all new,
# all unchanged, all changed (every row revised).
merge_phase() {
    local url
    log "merge: one slice of ${merge_rows} pricing rows loaded new, unchanged, then with every value changed"
    url=$(new_database bench_merge)
    fig merge "$("$bench_bin" merge --database "$url" --rows "$merge_rows")"
}

latency_phase() {
    local url pipeline start
    start=$(date -u -d "$as_of - $lat_days days" +%F)
    log "latency: nightly run over $lat_wabas WABAs × $lat_templates templates, ${lat_ms} ms per response (start_date $start)"
    url=$(new_database bench_latency)
    start_simulator latency --wabas "$lat_wabas" --templates "$lat_templates" --days "$((lat_days + 1))" --latency-ms "$lat_ms"
    pipeline=$work/latency.yaml
    write_pipeline "$pipeline" bench_latency "$start" "$work/archive-latency"
    fig latency_scenario "{\"wabas\": $lat_wabas, \"templates\": $lat_templates, \"latency_ms\": $lat_ms, \"start_date\": \"$start\", \"as_of\": \"$as_of\", \"max_concurrency\": $concurrency}"
    timed latency "$url" run --pipeline "$pipeline" --as-of "$as_of"
    stop_simulator
    fig latency_run "$("${helper[@]}" run-figures "$url")"
    fig latency_api_min "$("${helper[@]}" api-minimum "$url" "$lat_templates" "$start" "$as_of" 90 "$page_size" mm_api,cloud_api 1)"
}

# The cost of sharding: the latency scenario as 1 process × 24 vs 3 shards × 8 (scripts/bench/shards.py).
shards_phase() {
    log "shards: $lat_wabas WABAs at ${lat_ms} ms, one process × 24 vs 3 shards × 8 + mmetl transform"
    fig shards "$(python3 "$root/scripts/bench/shards.py" "$bin" "$(db_url postgres)" "$work/shards" "$as_of" \
        "$lat_wabas" "$lat_templates" "$lat_ms" "$lat_days" 24 3)"
}

callgrind_phase() {
    local cg_wabas=${BENCH_CG_WABAS:-4} cg_templates=${BENCH_CG_TEMPLATES:-40} cg_days=${BENCH_CG_DAYS:-30}
    local url from pipeline cg_out annotated
    cg_days=$(clamp_days "$cg_days")
    from=$(date -u -d "$as_of - $((cg_days - 1)) days" +%F)
    command -v valgrind >/dev/null || { log "callgrind: valgrind not installed, skipped"; return 0; }
    log "callgrind: backfill $cg_wabas WABAs × $cg_templates templates × $cg_days days under valgrind (slow)"
    url=$(new_database bench_callgrind)
    start_simulator callgrind --wabas "$cg_wabas" --templates "$cg_templates" --days "$cg_days"
    pipeline=$work/callgrind.yaml
    write_pipeline "$pipeline" bench_callgrind "$from" "$work/archive-callgrind"
    # valgrind 3.19 cannot read the DWARF 5 the Swift toolchain writes ("unhandled dwarf2 abbrev form"):
    # profile a copy without debug sections (the ELF symbol table keeps the function names, demangled
    # below), with a shim for its sigsuspend bug (scripts/bench/sigsuspend_shim.c).
    local cg_bin=$work/mmetl-nodebug shim=$work/sigsuspend_shim.so demangle=(cat)
    objcopy --strip-debug "$bin" "$cg_bin"
    cc -shared -fPIC -O2 -o "$shim" "$root/scripts/bench/sigsuspend_shim.c" -ldl
    if command -v swift-demangle >/dev/null; then demangle=(swift-demangle --simplified); fi
    cg_out=$work/callgrind.out
    DATABASE_URL=$url MMETL_SQL_DIR=$root/sql LD_PRELOAD=$shim timeout "$cmd_timeout" \
        valgrind --tool=callgrind --callgrind-out-file="$cg_out" \
        "$cg_bin" backfill --pipeline "$pipeline" --from "$from" --to "$as_of" --chunk-days "$chunk" \
        >"$work/callgrind.stdout" 2>"$work/callgrind.stderr" || log "callgrind run exited $?"
    sed 's/^/    /' "$work/callgrind.stdout" >&2
    stop_simulator
    annotated=$out_dir/callgrind-$stamp.txt
    callgrind_annotate --threshold=100 "$cg_out" 2>/dev/null | "${demangle[@]}" >"$work/callgrind.self.txt" || true
    callgrind_annotate --inclusive=yes --threshold=100 "$cg_out" 2>/dev/null | "${demangle[@]}" >"$work/callgrind.incl.txt" || true
    fig callgrind "$("${helper[@]}" callgrind-summary "$work/callgrind.self.txt" "$work/callgrind.incl.txt" "$annotated" \
        "backfill $cg_wabas WABAs × $cg_templates templates × $cg_days days, chunk $chunk")"
    log "callgrind: annotated profile in $annotated"
}

# run_transform URL FILE FROM TO — one sql/transforms file as SendLogTransformRunner runs it (its own
# transaction, mmetl.from/to set locally); prints its seconds.
run_transform() {
    local url=$1 file=$2 from=$3 to=$4 t0
    t0=$(now)
    PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d "$url" >/dev/null <<SQL
BEGIN;
SELECT set_config('mmetl.from', '$from', true), set_config('mmetl.to', '$to', true);
\i $file
COMMIT;
SQL
    elapsed "$t0" "$(now)"
}

scale_phase() {
    local big=${BENCH_SCALE_WABAS:-1000} small=${BENCH_SCALE_WABAS_SMALL:-100} tpl=${BENCH_SCALE_TEMPLATES:-20}
    local sdays=${BENCH_SCALE_DAYS:-90} msgs=${BENCH_SCALE_MESSAGES:-5000000}
    local first nightly url_small url t0 gen_s prep_s bm_small f s per="" total=0 bm_big queries
    first=$(date -u -d "$as_of - $((sdays - 1)) days" +%F)
    nightly=$(date -u -d "$as_of - 9 days" +%F)
    local gen=(psql -X -q -v ON_ERROR_STOP=1 -v "templates=$tpl" -v "days=$sdays" -v "as_of=$as_of" -f "$root/scripts/bench/scale.sql")
    log "scale: $small WABAs (benchmarks only), then $big WABAs × $tpl templates × $sdays days + $msgs send-log messages"
    url_small=$(new_database bench_scale_small)
    "${gen[@]}" -v "wabas=$small" -v messages=0 -d "$url_small" >/dev/null
    bm_small=$(run_transform "$url_small" "$root/sql/transforms/30_fact_benchmarks.sql" "$nightly" "$as_of")
    log "scale: benchmarks at $small WABAs ${bm_small} s"
    q postgres "DROP DATABASE bench_scale_small" >/dev/null
    url=$(new_database bench_scale)
    t0=$(now)
    "${gen[@]}" -v "wabas=$big" -v "messages=$msgs" -d "$url" >/dev/null
    gen_s=$(elapsed "$t0" "$(now)")
    log "scale: generated in $gen_s s; send-log facts for all $sdays days (preparation, not measured)"
    t0=$(now)
    for f in 10_fact_sends_daily.sql 20_fact_errors.sql; do
        run_transform "$url" "$root/sql/transforms/$f" "$first" "$as_of" >/dev/null
    done
    run_transform "$url" "$root/sql/transforms/15_fact_template_performance.sql" "$first" "$nightly" >/dev/null
    prep_s=$(elapsed "$t0" "$(now)")
    q "$url" "VACUUM ANALYZE" >/dev/null
    log "scale: nightly transforms over $nightly…$as_of"
    for f in "$root"/sql/transforms/*.sql; do
        s=$(run_transform "$url" "$f" "$nightly" "$as_of")
        per+="${per:+, }\"$(basename "$f")\": $s"
        total=$(awk -v a="$total" -v b="$s" 'BEGIN { printf "%.3f", a + b }')
        [[ $(basename "$f") == 30_fact_benchmarks.sql ]] && bm_big=$s
    done
    q "$url" "VACUUM ANALYZE" >/dev/null
    log "scale: transforms $total s (benchmarks $bm_big s); timing queries and views"
    queries=$(python3 "$root/scripts/bench/scale.py" queries "$url" "$as_of" "sw00042" "$root/sql/queries")
    fig scale "{\"scenario\": {\"wabas\": $big, \"wabas_small\": $small, \"templates\": $tpl, \"days\": $sdays, \"messages\": $msgs, \"as_of\": \"$as_of\", \"nightly_from\": \"$nightly\"},
      \"generate_s\": $gen_s, \"prepare_s\": $prep_s, \"transform_nightly_s\": $total, \"transform_nightly_by_file_s\": {$per},
      \"benchmarks_s_100\": $bm_small, \"benchmarks_s_1000\": $bm_big, \"facts\": $(q "$url" "SELECT json_build_object(
        'fact_template_daily', (SELECT count(*) FROM mm.fact_template_daily), 'fact_conversions', (SELECT count(*) FROM mm.fact_conversions),
        'fact_template_clicks', (SELECT count(*) FROM mm.fact_template_clicks), 'fact_pricing', (SELECT count(*) FROM mm.fact_pricing),
        'sendlog_messages', (SELECT count(*) FROM sendlog.messages), 'fact_sends_daily', (SELECT count(*) FROM mm.fact_sends_daily),
        'fact_template_performance_daily', (SELECT count(*) FROM mm.fact_template_performance_daily),
        'fact_benchmarks', (SELECT count(*) FROM mm.fact_benchmarks))"),
      \"queries\": $queries}"
    [[ ${BENCH_KEEP:-0} == 1 ]] || q postgres "DROP DATABASE bench_scale" >/dev/null
}

# ----------------------------------------------------------------------------------------------- run
stamp=$(date -u +%Y%m%dT%H%M%SZ)
sha=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=false
if [[ -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]] || [[ -n $(git ls-files --others --exclude-standard Sources sql 2>/dev/null) ]]; then
    dirty=true
fi
fig meta "{\"git_sha\": \"$sha\", \"git_dirty\": $dirty, \"timestamp\": \"$stamp\", \"scale\": \"$scale\", \"as_of\": \"$as_of\", \"cores\": $(nproc), \"loadavg_at_start\": $(cut -d ' ' -f 1 /proc/loadavg), \"mem_gb\": $(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo), \"postgres\": \"$(q postgres 'SHOW server_version')\", \"binary\": \"$bin\", \"mmetl_version\": \"$("$bin" --version 2>/dev/null || echo unknown)\"}"

if awk '{ exit !($1 > 0.5) }' /proc/loadavg; then
    log "note: load average $(cut -d ' ' -f 1-3 /proc/loadavg) before the bench: other work on this machine skews the figures"
fi
bench_t0=$(now)
e2e_url=""
if [[ $phases == *" e2e "* ]]; then backfill_scenario e2e "$days"; fi
if [[ $phases == *" limit "* && -n $e2e_url ]]; then limit_phase "$e2e_url"; fi
if [[ $phases == *" small "* ]]; then backfill_scenario small "$small_days"; fi
if [[ $phases == *" merge "* ]]; then merge_phase; fi
if [[ $phases == *" latency "* ]]; then latency_phase; fi
if [[ $phases == *" shards "* ]]; then shards_phase; fi
if [[ ${BENCH_CALLGRIND:-0} == 1 ]]; then callgrind_phase; fi
if [[ $phases == *" scale "* ]]; then scale_phase; fi
log "all phases took $(elapsed "$bench_t0" "$(now)") s"

result=$out_dir/bench-$sha-$stamp.json
"${helper[@]}" report "$figs" "$result" "$out_dir/latest.json"
echo "figures: $result (and $out_dir/latest.json)"
