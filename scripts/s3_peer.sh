# Sourced by test.sh and cluster.sh: starts a real S3-compatible server (moto, from PyPI, in the
# virtualenv setup.sh makes) on the loopback, creates the buckets named, and exports the
# standard AWS variables pointing at it. Stops the run if the server does not come up.
MOTO_VENV="${MOTO_VENV:-$HOME/.local/share/consilium/moto}"

# start_s3_peer PORT LOG BUCKET... — sets S3_PEER_PID; the caller kills it when done.
start_s3_peer() {
  local port="$1" log="$2"
  shift 2
  "$MOTO_VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  S3_PEER_PID=$!
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
    sleep 0.1
  done
  if ! curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
    echo "the S3-compatible test server (moto) did not start on port $port; its log:" >&2
    cat "$log" >&2
    exit 1
  fi
  export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REGION=us-east-1
  export AWS_ACCESS_KEY_ID=consilium-test AWS_SECRET_ACCESS_KEY=consilium-test-secret
  local bucket
  for bucket in "$@"; do
    curl -fsS -o /dev/null -X PUT "http://127.0.0.1:$port/$bucket" \
      || { echo "could not create bucket $bucket on the S3-compatible test server" >&2; exit 1; }
  done
}
