#!/usr/bin/env bash
# The fault matrix: drives the built mmetl binary through every fault against the simulator and a
# real PostgreSQL (run under scripts/with-postgres.sh, which exports MMETL_PG_CTL to stop/start it).
#
# Each fault: a database of its own; the command with the fault (its exit code); the command again
# with the fault removed (must exit 0); the clean send log; then the warehouse is compared with an
# uninterrupted reference run, table by table, on ordered value rows (bookkeeping columns aside):
# rows lost = reference rows missing, rows duplicated = rows not in the reference. Every output the
# commands wrote (stdout, stderr, archive files and sidecars, the temp directory, a pg_dump of the
# database) is scanned for the planted token, app secret, appsecret_proof, hash key and recipients'
# numbers. One row per fault, then `faults: N of N survived, …`. Exit 1 when any fault did not survive.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${MMETL_BIN:-.build/debug/mmetl}
[[ -x $BIN ]] || { echo "faults: $BIN not built (swift build)" >&2; exit 69; }
[[ -n ${DATABASE_URL:-} && -n ${MMETL_PG_CTL:-} ]] || { echo "faults: run under scripts/with-postgres.sh" >&2; exit 64; }
ONLY=${FAULTS_ONLY:-}   # a regex of fault names, to run some

work=$(mktemp -d /tmp/mmetl-faults.XXXXXX)
sim_pid=0
cleanup() { [[ $sim_pid -ne 0 ]] && kill "$sim_pid" 2>/dev/null; rm -rf -- "$work"; }
trap cleanup EXIT

ASOF=2026-11-24
START=2026-11-14
TOKEN="EAAFaultMatrix$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')PlantedToken"
APPSECRET="fault-matrix-app-secret-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
HASHKEY="fault-matrix-hash-key-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
PROOF=$(printf '%s' "$TOKEN" | openssl dgst -sha256 -hmac "$APPSECRET" -r | cut -d' ' -f1)
export MMETL_ACCESS_TOKEN=$TOKEN MMETL_APP_SECRET=$APPSECRET MMETL_RECIPIENT_HASH_KEY=$HASHKEY
mkdir -p "$work/tmp" "$work/sendlog" "$work/out"
export TMPDIR="$work/tmp" MMETL_STOP_GRACE_SECONDS=5

q() { psql -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }
qdb() { q -d "$DATABASE_URL" "$@"; }

# --- the simulator -------------------------------------------------------------------------------
start_sim() {   # extra flags…; sets sim_pid, sim_url
    "$BIN" simulate --port 0 --as-of $ASOF --days 12 --wabas 2 --templates 5 --token "$TOKEN" "$@" \
        >"$work/sim.out" 2>>"$work/out/simulator.err" &
    sim_pid=$!
    # Up to 30 s: a loaded machine (other builds beside this one) starts it slowly.
    for _ in $(seq 1 600); do
        if grep -q '^listening on' "$work/sim.out" 2>/dev/null; then break; fi
        kill -0 "$sim_pid" 2>/dev/null || break
        sleep 0.05
    done
    sim_url=$(awk '/^listening on/ {print $3; exit}' "$work/sim.out")
    wabas=$(awk '/^listening on/ {for (i = 1; i <= NF; i++) if ($i ~ /^wabas=/) {sub(/^wabas=/, "", $i); print $i}}' "$work/sim.out")
    [[ -n $sim_url ]] || { echo "faults: the simulator did not start" >&2; exit 70; }
}
stop_sim() { kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; sim_pid=0; }

pipeline() {   # name extra-graph-yaml → path
    local p="$work/$1.yaml" list=""
    for w in ${wabas//,/ }; do list+="  - { id: \"$w\" }"$'\n'; done
    cat >"$p" <<YAML
name: $1
start_date: $START
graph:
  base_url: "$sim_url"
  api_version: v25.0
  token_env: MMETL_ACCESS_TOKEN
  app_secret_env: MMETL_APP_SECRET
  max_concurrency: 2
  timeout_seconds: 3
$(if [[ $2 == *max_wait_seconds* ]]; then echo "$2"; else printf '  max_wait_seconds: 30\n%s' "$2"; fi)
warehouse: { url_env: DATABASE_URL }
archive: { dir: $work/archive-$1 }
datasets:
  pricing:   { settle_days: 7 }
  templates: { settle_days: 10 }
  catalog:   {}
wabas:
$list
YAML
    echo "$p"
}

newdb() {   # name → exports DATABASE_URL for it, migrated
    local db="f_${1//-/_}"
    q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1
    DATABASE_URL="postgresql://${PGUSER}@${PGHOST}:${PGPORT}/$db"
    export DATABASE_URL
    "$BIN" migrate >>"$work/out/$1.log" 2>&1
}

mm() {   # fault-name args… → exit code; output kept for the secret scan
    local name=$1; shift
    set +e
    "$BIN" "$@" >>"$work/out/$name.log" 2>&1
    local code=$?
    set -e
    echo "$code"
}

# --- comparing warehouses ------------------------------------------------------------------------
TABLES="mm.fact_template_daily mm.fact_pricing mm.fact_conversions mm.fact_template_clicks mm.fact_sends_daily
        mm.fact_errors mm.fact_benchmarks mm.dim_waba mm.dim_template sendlog.messages sendlog.statuses"
SKIP="'run_id','last_seen_run_id','first_fetched_at','last_fetched_at','updated_at','first_seen_at','last_seen_at',
      'computed_at','source_sha256','loaded_at','source_line','revision','is_final','valid_from','valid_to','is_current'"
dump() {   # dir
    mkdir -p "$1"
    for t in $TABLES; do
        local cols
        cols=$(qdb -c "SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position) FROM information_schema.columns
                     WHERE table_schema || '.' || table_name = '$t' AND column_name NOT IN ($SKIP)")
        [[ -n $cols ]] || continue
        qdb -c "\\copy (SELECT $cols FROM $t) TO '$1/$t'"
        LC_ALL=C sort -o "$1/$t" "$1/$t"
    done
}
compare() {   # dir → "lost dup"
    local lost=0 dup=0
    for t in $TABLES; do
        [[ -f $work/ref/$t ]] || continue
        lost=$((lost + $(LC_ALL=C comm -23 "$work/ref/$t" "$1/$t" | wc -l)))
        dup=$((dup + $(LC_ALL=C comm -13 "$work/ref/$t" "$1/$t" | wc -l)))
    done
    echo "$lost $dup"
}

# --- secrets -------------------------------------------------------------------------------------
secret_scan() {   # name → number of planted secrets found in its outputs
    local name=$1 hits=0 f
    local haystack="$work/hay-$name"
    : >"$haystack"
    cat "$work/out/$name.log" >>"$haystack" 2>/dev/null || true
    if [[ -d $work/archive-$name ]]; then
        while IFS= read -r -d '' f; do
            case $f in *.gz) zcat -f "$f" >>"$haystack" 2>/dev/null || true ;; *) cat "$f" >>"$haystack" ;; esac
        done < <(find "$work/archive-$name" -type f -print0)
    fi
    pg_dump --no-owner "$DATABASE_URL" >>"$haystack" 2>/dev/null
    find "$TMPDIR" -type f -exec cat {} + >>"$haystack" 2>/dev/null || true
    # Also with separators between digits removed and JSON \u003N digit escapes decoded.
    sed -E 's/\\u003([0-9])/\1/g' "$haystack" | tr -d ' .()/+-' >"$haystack.flat"
    hits=$(( $(grep -c -F -f "$work/planted" "$haystack" || true) + $(grep -c -F -f "$work/planted.digits" "$haystack.flat" || true) ))
    rm -f "$haystack.flat"
    if [[ $hits -gt 0 ]]; then grep -o -F -f "$work/planted" "$haystack" | sort | uniq -c | head -5 >&2; fi
    rm -f "$haystack"
    echo "$hits"
}

# --- the reference -------------------------------------------------------------------------------
start_sim --write-sendlog "$work/sendlog"
sim_flags=()
stop_sim
{
    printf '%s\n' "$TOKEN" "$APPSECRET" "$HASHKEY" "$PROOF"
    # Every recipient number of the send log, in its digits-only and its written form.
    grep -ohE '"(recipient|recipient_id|wa_id)":"[^"]+"' "$work"/sendlog/*.ndjson | cut -d'"' -f4 | sort -u
    grep -ohE '"(recipient|recipient_id|wa_id)":"[^"]+"' "$work"/sendlog/*.ndjson | cut -d'"' -f4 | tr -cd '0-9\n' | awk 'length >= 7' | sort -u
} >"$work/planted"
grep -E '^[0-9]{10,}$' "$work/planted" >"$work/planted.digits"
mapfile -t SENDLOG < <(ls "$work"/sendlog/*.ndjson)

# The scan must be able to find what it looks for: a planted token, and a number written with spaces.
mkdir -p "$work/archive-selftest"
printf 'Authorization: Bearer %s\n' "$TOKEN" >"$work/out/selftest.log"
printf 'note +%s %s\n' "$(grep -m1 -E '^[0-9]{10,}$' "$work/planted" | sed -E 's/^(..)(...)(.*)$/\1 \2 \3/')" x \
    | gzip >"$work/archive-selftest/x.json.gz"
selftest=$(secret_scan selftest 2>/dev/null)
[[ $selftest -ge 2 ]] || { echo "faults: the secret scan found $selftest of 2 planted secrets: it cannot be trusted" >&2; exit 1; }
rm -rf "$work/archive-selftest" "$work/out/selftest.log"

start_sim
newdb ref
P=$(pipeline ref "")
code=$(mm ref run --pipeline "$P" --as-of $ASOF)
[[ $code -eq 0 ]] || { echo "faults: the reference run failed ($code)"; cat "$work/out/ref.log"; exit 1; }
code=$(mm ref sendlog load --pipeline "$P" "${SENDLOG[@]}")
[[ $code -eq 0 ]] || { echo "faults: the reference send-log load failed ($code)"; tail "$work/out/ref.log"; exit 1; }
dump "$work/ref"
stop_sim

# --- the faults ----------------------------------------------------------------------------------
rows=()
total=0 survived=0 all_lost=0 all_dup=0 all_secrets=0

# Fault driver: name, expected exit codes (regex), the faulted step (a function), extra graph yaml.
run_fault() {
    local name=$1 expect=$2 step=$3 extra=${4:-}
    [[ -z $ONLY || $name =~ $ONLY ]] || return 0
    total=$((total + 1))
    newdb "$name"
    start_sim "${sim_flags[@]}"
    P=$(pipeline "$name" "$extra")
    local c1 c2 c3
    c1=$($step "$name" "$P")
    stop_sim
    if [[ $MMETL_PG_STATE == down ]]; then $MMETL_PG_CTL start -o "$MMETL_PG_START_OPTS" >/dev/null; MMETL_PG_STATE=up; fi
    start_sim
    P=$(pipeline "$name" "$(echo "$extra" | grep -vE 'max_pages|max_body' || true)")
    c2=$(mm "$name" run --pipeline "$P" --as-of $ASOF)
    c3=$(mm "$name" sendlog load --pipeline "$P" "${SENDLOG[@]}")
    [[ $c3 -eq 0 ]] || c2="$c2/sendlog:$c3"
    stop_sim
    dump "$work/cur-$name"
    read -r lost dup < <(compare "$work/cur-$name")
    local secrets
    secrets=$(secret_scan "$name")
    local ok=no
    if [[ $c1 =~ ^($expect)$ && $c2 == 0 && $lost -eq 0 && $dup -eq 0 && $secrets -eq 0 ]]; then ok=yes; survived=$((survived + 1)); fi
    all_lost=$((all_lost + lost)); all_dup=$((all_dup + dup)); all_secrets=$((all_secrets + secrets))
    rows+=("$(printf '%-24s %-8s %-6s %-7s %-6s %-6s %-8s %s' "$name" "$expect" "$c1" "$c2" "$lost" "$dup" "$secrets" "$ok")")
    [[ $ok == yes ]] || { echo "--- $name did not survive; its log:" >&2; tail -n 15 "$work/out/$name.log" >&2; }
    rm -rf "$work/cur-$name" "$work/archive-$name"
    sim_flags=()
}
MMETL_PG_STATE=up

plain_run() { mm "$1" run --pipeline "$2" --as-of $ASOF; }

# A run in the background, stopped by $2 once the first slice committed.
interrupt_run() {   # name pipeline signal-or-action
    local name=$1 p=$2 action=$3
    set +e
    "$BIN" run --pipeline "$p" --as-of $ASOF >>"$work/out/$name.log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 400); do
        [[ $(qdb -c "SELECT count(*) FROM etl.run_items WHERE status = 'succeeded'" 2>/dev/null || echo 0) -ge 1 ]] && break
        sleep 0.05
    done
    case $action in
        KILL|TERM) kill -"$action" "$pid" ;;
        pg-stop) $MMETL_PG_CTL stop -m immediate >/dev/null; MMETL_PG_STATE=down; sleep 1 ;;
        pg-restart) $MMETL_PG_CTL stop -m immediate >/dev/null; $MMETL_PG_CTL start -o "$MMETL_PG_START_OPTS" >/dev/null ;;
    esac
    wait "$pid"
    local code=$?
    set -e
    if [[ $MMETL_PG_STATE == down ]]; then $MMETL_PG_CTL start -o "$MMETL_PG_START_OPTS" >/dev/null; MMETL_PG_STATE=up; fi
    echo "$code"
}
sigkill_run() { interrupt_run "$1" "$2" KILL; }
sigterm_run() { interrupt_run "$1" "$2" TERM; }
pg_stop_run() { interrupt_run "$1" "$2" pg-stop; }
pg_restart_run() { interrupt_run "$1" "$2" pg-restart; }

# `sendlog load -` fed slowly, stopped mid-file.
interrupt_sendlog() {   # name pipeline signal
    local name=$1 p=$2 sig=$3 code
    mm "$name" run --pipeline "$p" --as-of $ASOF >/dev/null
    set +e
    { cat "${SENDLOG[@]}"; sleep 20; } | "$BIN" sendlog load --pipeline "$p" - >>"$work/out/$name.log" 2>&1 &
    local pid=$!
    sleep 1.5
    kill -"$sig" "$pid" || true
    wait "$pid"
    code=$?
    set -e
    [[ -z $(ls -A "$TMPDIR") ]] || code="$code+tmpfile"
    echo "$code"
}
sigkill_sendlog() { interrupt_sendlog "$1" "$2" KILL; }
sigterm_sendlog() { interrupt_sendlog "$1" "$2" TERM; }

disk_full() {   # archive writes over 1 KiB fail with EFBIG (SIGXFSZ ignored)
    set +e
    # The log goes through a pipe (not a file), so only the archive's writes meet the limit.
    (ulimit -f 1; trap '' XFSZ; exec "$BIN" run --pipeline "$2" --as-of $ASOF) 2>&1 | cat >>"$work/out/$1.log"
    local code=${PIPESTATUS[0]}
    set -e
    echo "$code"
}

together() {   # nightly + backfill + send-log load at once
    set +e
    "$BIN" run --pipeline "$2" --as-of $ASOF >>"$work/out/$1.log" 2>&1 & local a=$!
    "$BIN" backfill --pipeline "$2" --from $START --to 2026-11-23 --chunk-days 5 >>"$work/out/$1.log" 2>&1 & local b=$!
    "$BIN" sendlog load --pipeline "$2" "${SENDLOG[@]}" >>"$work/out/$1.log" 2>&1 & local c=$!
    wait $a; local ca=$?; wait $b; local cb=$?; wait $c; local cc=$?
    set -e
    echo "$((ca + cb + cc))"
}

# 22 ways a log may write a recipient's number ($1: its digits, e.g. 4915112345678).
shapes() {
    local n=$1 esc="" i
    for ((i = 0; i < ${#n}; i++)); do esc+=$(printf '\\u%04x' "'${n:i:1}"); done
    printf '%s\n' "+$n" "$n" "00$n" "+${n:0:2} ${n:2:3} ${n:5}" "+${n:0:2} ${n:2:4} ${n:6}" "+${n:0:2}-${n:2:3}-${n:5:3}-${n:8:3}-${n:11}" \
        "+${n:0:2} (${n:2:3}) ${n:5:3}-${n:8}" "(+${n:0:2}) ${n:2:3} ${n:5:4} ${n:9}" "${n:0:2}.${n:2:3}.${n:5:3}.${n:8:3}.${n:11}" \
        "+${n:0:2}.${n:2:3}.${n:5}" "${n:0:2} ${n:2:3} ${n:5:4} ${n:9}" "+${n:0:2}/${n:2:3}/${n:5}" "00${n:0:2} (0)${n:2:3} ${n:5}" \
        "+${n:0:2} ${n:2:3}-${n:5:4} ${n:9}" "tel:+$n" "wa.me/$n" "$esc" "+${n:0:2} ${n:2:3} ${n:5:3} ${n:8:2} ${n:10}" \
        "${n:0:2}-${n:2:3}-${n:5}" "+${n:0:2} ${n:2:3} ${n:5:7} ${n:12}" "(${n:0:2}) ${n:2:4}-${n:6:3}-${n:9}" "+${n:0:1}${n:1:1} ${n:2}"
}

bad_sendlog() {   # NUL, invalid UTF-8, an over-long line, 22 shapes of numbers under odd keys, a CSV without a header
    mm "$1" run --pipeline "$2" --as-of $ASOF >/dev/null
    local bad="$work/bad-$1.ndjson" csv="$work/bad-$1.csv" n shape k=0
    n=$(head -n 1 "$work/planted.numbers")
    {
        head -n 50 "${SENDLOG[0]}"
        printf '{"kind":"send","wamid":"wamid.NUL","sent_at":"2026-11-20T10:00:00Z","recipient":"+%s","campaign":"a\0b"}\n' "$n"
        printf '{"kind":"send","wamid":"wamid.BAD","sent_at":"2026-11-20T10:00:00Z","customer":"%s","campaign":"\xff\xfe"}\n' "$n"
        printf '{"kind":"send","wamid":"wamid.LONG","customer_phone":"+%s","pad":"%s"}\n' "$n" "$(head -c 1200000 /dev/zero | tr '\0' x)"
        while IFS= read -r shape; do
            k=$((k + 1))
            printf '{"kind":"send","wamid":"wamid.S%d","sent_at":"yesterday","customer_phone":"%s","note":"call %s"}\n' "$k" "$shape" "$shape"
            printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messages":[{"from":"%s"}],"statuses":[{"id":"w%d","status":"sent"}]}}]}]}\n' "$shape" "$k"
            printf '{"kind":"status","wamid":"w%d","status":"sent","timestamp":"at %s","recip\\u0069ent":"%s"}\n' "$k" "$shape" "$shape"
        done < <(shapes "$n")
        tail -n +51 "${SENDLOG[0]}"
    } >"$bad"
    {
        while IFS= read -r shape; do printf '%s,wamid.C,2026-11-20T10:00:00Z,"%s"\n' "$shape" "$shape"; done < <(shapes "$n")
    } >"$csv"
    mm "$1" sendlog load --pipeline "$2" "$bad" "$csv"
}

grep -ohE '"recipient":"[^"]+"' "$work"/sendlog/*.ndjson | cut -d'"' -f4 | tr -cd '0-9\n' | awk 'length >= 10' | sort -u | head -n 3 >"$work/planted.numbers" || true

#          name                     expect   step              extra graph yaml
sim_flags=(--fault 5xx:0.15);       run_fault api-5xx                0      plain_run
sim_flags=(--fault timeout@6);      run_fault api-timeout            0      plain_run
sim_flags=(--fault throttle:1);     run_fault throttle-80007         75     plain_run   "  max_wait_seconds: 5"
sim_flags=(--fault appthrottle:1);  run_fault throttle-app-4         75     plain_run   "  max_wait_seconds: 5"
sim_flags=(--fault truncated:0.1);  run_fault truncated-body         0      plain_run
sim_flags=(--fault malformed@5);    run_fault malformed-body         0      plain_run
sim_flags=(--fault token);          run_fault token-190              77     plain_run
sim_flags=(--fault foreignnext);    run_fault paging-foreign-host    1      plain_run
sim_flags=(--fault endless);        run_fault paging-endless         1      plain_run   "  max_pages: 20"
sim_flags=(--fault bomb --bomb-megabytes 64);          run_fault gzip-bomb  1  plain_run "  max_body_megabytes: 2"
sim_flags=(--fault oversize --oversize-megabytes 3);   run_fault oversize-page 1 plain_run "  max_body_megabytes: 2"
sim_flags=(--latency-ms 100);       run_fault pg-stopped-mid-load    75     pg_stop_run
sim_flags=(--latency-ms 100);       run_fault pg-restarted-lock      75     pg_restart_run
sim_flags=(--latency-ms 100);       run_fault sigkill-run            137    sigkill_run
sim_flags=(--latency-ms 100);       run_fault sigterm-run            75     sigterm_run
run_fault sigkill-sendlog          137    sigkill_sendlog
run_fault sigterm-sendlog          75     sigterm_sendlog
run_fault disk-full-archive        '1|3'  disk_full
run_fault nightly-backfill-sendlog 0      together
run_fault sendlog-bad-lines        3      bad_sendlog
run_fault hostile-strings          0      plain_run

printf '%-24s %-8s %-6s %-7s %-6s %-6s %-8s %s\n' fault expected exit rerun lost dup secrets survived
printf '%s\n' "${rows[@]}"
line="faults: $survived of $total survived, $all_lost rows lost, $all_dup duplicated, $all_secrets secrets leaked"
echo "$line"
[[ $survived -eq $total && $total -gt 0 ]]
