#!/usr/bin/env bash
# The benchmark: builds and starts, in one run on this machine, the release server (fresh demo
# data on SQLite) and its peer (bench/peer: a minimal Leptos 0.8 page reading two SQLite rows,
# and a bare axum route), then prints one table:
#   - each role's main pages, signed in, and the peer: requests/s, p50, p99 (wrk, 8 connections,
#     5 s each), the ratio to the minimal Leptos page, and the SQL statements one render runs;
#   - in Debian's Chromium throttled to a mobile network (1.6 Mbit/s, 750 kbit/s, 150 ms), cold
#     cache: bytes transferred and time until hydrated, first and repeat visit, for the sign-in
#     page and a patient's case page;
#   - the WASM and JS each role downloads opening its main pages (raw, gzip, brotli), the client
#     being split into lazily loaded page groups;
#   - the 5-page report's render time.
# Targets are printed beside the figures; nothing here fails on a slow machine.
source "$(dirname "${BASH_SOURCE[0]}")/prelude.sh"
if ! command -v wrk >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
say() { printf '\033[1;34m== %s\033[0m\n' "$*" >&2; }

say "building the release server and the peer"
cargo leptos build --release --split 2>&1 | tail -n 2 >&2
# cargo-leptos builds the release server with this flag (always-erase-components); building the
# peer and the report benchmark with it too reuses the server's compiled dependencies instead of
# compiling them all again.
export RUSTFLAGS="--cfg erase_components"
cargo build --release -q -p peer
cargo build --release -q -p app --features ssr --example report_bench

WORK="$(mktemp -d)"
APP_ADDR=127.0.0.1:3200
PEER_ADDR=127.0.0.1:3201
BASE="http://$APP_ADDR"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

start_app() { # $1: RUST_LOG
  LEPTOS_OUTPUT_NAME=consilium LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="$APP_ADDR" \
    LEPTOS_HASH_FILES=true CONSILIUM_PUBLIC_URL="$BASE" CONSILIUM_DATA_DIR="$WORK/app" \
    DATABASE_URL="sqlite://$WORK/app/consilium.db" CONSILIUM_DEMO_DATA=1 RUST_LOG="$1" \
    target/release/consilium >>"$WORK/app.log" 2>&1 &
  APP_PID=$!
  PIDS+=("$APP_PID")
  for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && return; sleep 0.2; done
  echo "the server did not start; its log:" >&2; cat "$WORK/app.log" >&2; exit 1
}
stop_app() { kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; }

mkdir -p "$WORK/app"
say "starting the server (statement log on, to count SQL per page)"
start_app "warn,server::assets=info,sqlx::query=debug"
# The assets are compressed once at start; wait for that before measuring downloads.
for _ in $(seq 1 300); do grep -q "precompressed the assets" "$WORK/app.log" && break; ls target/site/pkg/*.wasm.br >/dev/null 2>&1 && [ -z "$(find target/site/pkg -name '*.wasm' -newer "$(ls -t target/site/pkg/*.wasm.br | head -n1)")" ] && break; sleep 0.5; done

cookie_for() { # email -> "name=value" of the session cookie
  local jar="$WORK/jar.$1"
  curl -s -o /dev/null -c "$jar" -H "Origin: $BASE" -H 'Accept: application/json' \
    --data-urlencode "email=$1" --data-urlencode 'password=consilium-demo' "$BASE/api/login"
  if grep -q consilium_sign_in "$jar"; then # staff: the code from the demo's second factor
    local code
    code=$(python3 -c 'import pyotp; print(pyotp.TOTP("CONSILIUMDEMOSTAFFTOTPSECRET2345").now())')
    curl -s -o /dev/null -b "$jar" -c "$jar" -H "Origin: $BASE" -H 'Accept: application/json' \
      --data-urlencode "code=$code" "$BASE/api/verify_sign_in_code"
  fi
  awk '$6 ~ /consilium_session/ { print $6 "=" $7 }' "$jar"
}
PATIENT=$(cookie_for tomasz.nowak@example.com)
COORDINATOR=$(cookie_for zofia.wojcik@consilium.test)
SPECIALIST=$(cookie_for henrik.larsen@consilium.test)
ADMIN=$(cookie_for admin@consilium.test)
read -r REVIEW DONE < <(curl -s -X POST -H "Cookie: $PATIENT" -H "Origin: $BASE" -H 'Accept: application/json' "$BASE/api/my_cases" \
  | python3 -c 'import json,sys; c=json.load(sys.stdin); print(next(x["id"] for x in c if x["status"]=="DoctorsAssigned"), next(x["id"] for x in c if x["status"]=="Completed"))')

PAGES=(
  "patient|$PATIENT|/cases"
  "patient|$PATIENT|/cases/$REVIEW"
  "patient|$PATIENT|/cases/$DONE/report"
  "coordinator|$COORDINATOR|/clinician"
  "coordinator|$COORDINATOR|/cases/$REVIEW"
  "specialist|$SPECIALIST|/clinician"
  "specialist|$SPECIALIST|/cases/$REVIEW"
  "admin|$ADMIN|/admin"
  "admin|$ADMIN|/cases/$REVIEW"
)

declare -A SQL
for entry in "${PAGES[@]}"; do
  IFS='|' read -r who cookie path <<<"$entry"
  curl -s -o /dev/null -H "Cookie: $cookie" "$BASE$path"   # once, so one-off work is not counted
  sleep 0.2
  before=$(grep -c 'sqlx::query' "$WORK/app.log" || true)
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$BASE$path")
  sleep 0.2
  after=$(grep -c 'sqlx::query' "$WORK/app.log" || true)
  [ "$status" = 200 ] || { echo "$who $path answered $status" >&2; exit 1; }
  SQL["$who $path"]=$((after - before))
done
stop_app

say "load: each page for 5 s with 8 connections (statement log off)"
start_app "warn"
target/release/peer "$PEER_ADDR" "$WORK/peer.db" >"$WORK/peer.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 1 50); do curl -sf "http://$PEER_ADDR/bare" >/dev/null && break; sleep 0.2; done

# wrk's summary -> "rps p50_ms p99_ms"
load() { # url [cookie]
  local args=(-t1 -c8 -d5s --latency)
  [ -n "${2:-}" ] && args+=(-H "Cookie: $2")
  wrk "${args[@]}" "$1" | python3 -c '
import re, sys
text = sys.stdin.read()
def ms(v, unit): return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p = {k: ms(v, u) for k, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)", text, re.M)}
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors: sys.exit("non-2xx answers under load: " + errors.group(1))
print("%.0f %.2f %.2f" % (rps, p["50"], p["99"]))'
}

read -r PEER_RPS PEER_P50 PEER_P99 < <(load "http://$PEER_ADDR/")
read -r BARE_RPS BARE_P50 BARE_P99 < <(load "http://$PEER_ADDR/bare")
ROWS=()
for entry in "${PAGES[@]}"; do
  IFS='|' read -r who cookie path <<<"$entry"
  read -r rps p50 p99 < <(load "$BASE$path" "$cookie")
  ROWS+=("$who|$path|$rps|$p50|$p99|${SQL["$who $path"]}")
done

say "first load in Chromium on a throttled mobile network"
LOADS="$(cd end2end && node bench/first-load.mjs "$BASE" tomasz.nowak@example.com consilium-demo)"

say "what each role downloads, opening its main pages in Chromium"
ROLE_VISITS=()
for who in patient coordinator specialist admin; do
  paths="" cookie=""
  for entry in "${PAGES[@]}"; do
    IFS='|' read -r w c path <<<"$entry"
    [ "$w" = "$who" ] && { cookie="$c"; paths="${paths:+$paths,}$path"; }
  done
  ROLE_VISITS+=("$who|$cookie|$paths")
done
DOWNLOADS="$(cd end2end && node bench/role-downloads.mjs "$BASE" "${ROLE_VISITS[@]}")"
stop_app

say "the 5-page report"
REPORT="$(cargo run --release -q -p app --features ssr --example report_bench 2>/dev/null | grep -i median)"

# ---- the table ------------------------------------------------------------------------------
short() { sed -E 's#/cases/[0-9a-f-]{36}#/cases/{id}#' <<<"$1"; }
printf '\nServer, signed in (wrk -t1 -c8 -d5s on 2 cores shared with the server)\n'
printf '%-12s %-26s %9s %9s %9s %12s %12s %5s\n' role page 'req/s' 'p50 ms' 'p99 ms' 'rps ratio' 'p99 ratio' SQL
printf '%-12s %-26s %9s %9s %9s %12s %12s %5s\n' peer 'minimal Leptos, 2 rows' "$PEER_RPS" "$PEER_P50" "$PEER_P99" 1.00 1.00 1
printf '%-12s %-26s %9s %9s %9s %12s %12s %5s\n' peer 'bare axum' "$BARE_RPS" "$BARE_P50" "$BARE_P99" \
  "$(python3 -c "print(f'{$BARE_RPS/$PEER_RPS:.2f}')")" "$(python3 -c "print(f'{$BARE_P99/$PEER_P99:.2f}')")" 0
for row in "${ROWS[@]}"; do
  IFS='|' read -r who path rps p50 p99 sql <<<"$row"
  printf '%-12s %-26s %9s %9s %9s %12s %12s %5s\n' "$who" "$(short "$path")" "$rps" "$p50" "$p99" \
    "$(python3 -c "print(f'{$rps/$PEER_RPS:.2f}')")" "$(python3 -c "print(f'{$p99/$PEER_P99:.2f}')")" "$sql"
done
printf 'targets: rps ratio >= 0.50, p99 ratio <= 2.00, SQL <= 5 per page\n'

printf '\nFirst load, Chromium, 1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT\n'
printf '%-14s %14s %14s %14s %14s\n' page 'first KB' 'first s' 'repeat KB' 'repeat s'
python3 - "$LOADS" <<'PY'
import json, sys
for line in sys.argv[1].splitlines():
    m = json.loads(line)
    f, r = m["first"], m["repeat"]
    print(f'{m["page"]:<14} {f["bytes"]/1000:14.1f} {f["hydratedMs"]/1000:14.2f} {r["bytes"]/1000:14.1f} {r["hydratedMs"]/1000:14.2f}')
PY
printf 'targets: first visit <= 250 KB and hydrated <= 2.0 s; repeat visit <= 20 KB\n'

printf '\nWhat each role downloads opening its main pages (WASM and JS; the client is split by page group)\n'
printf '%-12s %6s %10s %10s %10s\n' role files raw gzip brotli
python3 - "$DOWNLOADS" target/site/pkg <<'PY'
import json, os, sys
pkg = sys.argv[2]
size = lambda name: os.path.getsize(os.path.join(pkg, name))
for line in sys.argv[1].splitlines():
    m = json.loads(line)
    files = m["files"]
    raw, gz, br = (sum(size(f + ext) for f in files) for ext in ("", ".gz", ".br"))
    print(f'{m["role"]:<12} {len(files):6} {raw:10} {gz:10} {br:10}')
PY
printf 'everything built (all roles together):'
python3 - target/site/pkg <<'PY'
import os, sys
pkg = sys.argv[1]
names = [n for n in os.listdir(pkg) if n.endswith((".wasm", ".js"))]
raw, gz, br = (sum(os.path.getsize(os.path.join(pkg, n + ext)) for n in names) for ext in ("", ".gz", ".br"))
print(f" {len(names)} files, {raw} raw, {gz} gzip, {br} brotli")
PY

printf '\nReport: %s (target: 5-page report <= 10 ms)\n' "$REPORT"
