#!/usr/bin/env bash
# Installs what is missing, then runs every test: domain and service tests (SQLite always,
# PostgreSQL too when CONSILIUM_TEST_POSTGRES_URL is set), router tests, and the Playwright
# journeys in Chromium against a freshly built server on a fresh demo database.
source "$(dirname "${BASH_SOURCE[0]}")/prelude.sh"
# cargo-leptos builds debug servers with this flag; using it here too lets the test build and
# the end-to-end build share one set of compiled dependencies instead of compiling twice.
export RUSTFLAGS="${RUSTFLAGS:-} --cfg erase_components"

LOG="$(mktemp)"
S3_PEER_PID="" SMTP_PID=""
trap 'kill $S3_PEER_PID $SMTP_PID 2>/dev/null || true; rm -f "$LOG"' EXIT
step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }

# The storage, document and report tests also run on a real S3-compatible server (moto).
source "$ROOT/scripts/s3_peer.sh"
mkdir -p "$ROOT/target"
start_s3_peer "${S3_TEST_PORT:-9321}" "$ROOT/target/moto-test.log" consilium-test
export CONSILIUM_TEST_S3_URL=s3://consilium-test

if [ -n "${CONSILIUM_TEST_POSTGRES_URL:-}" ]; then
  step "domain, service and router tests on SQLite and PostgreSQL ($CONSILIUM_TEST_POSTGRES_URL), files on disk and in S3 ($AWS_ENDPOINT_URL)"
else
  step "domain, service and router tests on SQLite (set CONSILIUM_TEST_POSTGRES_URL to add PostgreSQL)"
fi
timeout 1200 cargo test -p app --features ssr --lib --tests 2>&1 | tee -a "$LOG"
# One test at a time: each test builds its own runtime and router, and Leptos keeps some process-wide
# state that, shared by parallel tests in one process, occasionally left a request waiting forever
# (seen about once in ten runs; never in a server, which builds one router). They take a second.
timeout 600 cargo test -p server --test router --test assets --test sql_budget --test documents --test stripe --test authorization --test crash --test forms --test cluster --test language -- --test-threads=1 2>&1 | tee -a "$LOG"

step "end-to-end journeys in Chromium"
E2E_DATA="$ROOT/target/e2e-data"
rm -rf "$E2E_DATA"
mkdir -p "$E2E_DATA"
# Its own port, so a server you are running on 3000 does not get in the way.
E2E_ADDR="${E2E_ADDR:-127.0.0.1:3100}"
# Our own crates log at debug level here, so the P2 check below also covers debug logging.
# The public URL is the only origin writes are accepted from; the test payment secret is one
# this run makes up, shared with the suite's Stripe-SDK check (a server otherwise generates its
# own); the suite reads the emails the server writes under $CONSILIUM_DATA_DIR/outbox.
E2E_PAYMENT_SECRET="whsec_e2e_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
# The server sends its email over SMTP to a real SMTP server (aiosmtpd), which keeps each message
# in a Maildir the journeys read their links from (E2E_MAILDIR).
E2E_SMTP_PORT="${E2E_SMTP_PORT:-2526}"
python3 -m aiosmtpd -n -l "127.0.0.1:$E2E_SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$E2E_DATA/maildir" &
SMTP_PID=$!
for _ in $(seq 1 100); do (echo > "/dev/tcp/127.0.0.1/$E2E_SMTP_PORT") 2>/dev/null && break; sleep 0.1; done
(echo > "/dev/tcp/127.0.0.1/$E2E_SMTP_PORT") 2>/dev/null || { echo "aiosmtpd did not start on port $E2E_SMTP_PORT" >&2; exit 1; }
# --split: the client is cut into its lazily loaded parts as in a release build, so the journeys
# cover loading them (split.spec.ts checks who downloads which part).
RUST_LOG="info,app=debug,server=debug,consilium=debug" LEPTOS_SITE_ADDR="$E2E_ADDR" BASE_URL="http://$E2E_ADDR" \
  CONSILIUM_PUBLIC_URL="http://$E2E_ADDR" CONSILIUM_TEST_PAYMENT_SECRET="$E2E_PAYMENT_SECRET" \
  CONSILIUM_DATA_DIR="$E2E_DATA" DATABASE_URL="sqlite://$E2E_DATA/consilium.db" CONSILIUM_DEMO_DATA=1 \
  CONSILIUM_SMTP_URL="smtp://127.0.0.1:$E2E_SMTP_PORT" E2E_MAILDIR="$E2E_DATA/maildir" \
  timeout 1200 cargo leptos end-to-end --split 2>&1 | tee -a "$LOG"
kill "$SMTP_PID" 2>/dev/null || true

# P2: nothing the journeys typed as health data or as a password, no session or sign-in cookie, not the
# demo password and not the payment secret may appear in what the server logged (the values
# are planted in end2end/tests/helpers.ts).
step "no planted health data, password or session token in the logs"
if grep -n -e 'Canary-history-7Q4Z' -e 'Canary-question-7Q4Z' -e 'canary-password-7Q4Z' -e 'consilium_session=' -e 'consilium_sign_in=' \
  -e 'password: consilium-demo' -e "$E2E_PAYMENT_SECRET" "$LOG"; then
  echo "planted values leaked into the logs (lines above)" >&2
  exit 1
fi
echo "none found in $(wc -l < "$LOG") lines"

# One closing line over all runners (the commands above stop the script on any failure).
passed=$(grep -Eo 'test result: ok\. [0-9]+ passed' "$LOG" | grep -Eo '[0-9]+' | awk '{ s += $1 } END { print s + 0 }')
e2e=$(grep -Eo '^ +[0-9]+ passed' "$LOG" | grep -Eo '[0-9]+' | tail -n1)
printf '\n%s passed, 0 failed\n' "$(( passed + ${e2e:-0} ))"
