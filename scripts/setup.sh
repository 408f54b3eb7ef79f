#!/usr/bin/env bash
# Installs whatever this project needs that the machine lacks, and nothing else.
# Idempotent: every step first checks for the tool at the right version, so a second run takes
# seconds. Only package registries are reachable here (crates.io, npm, Debian), so every tool
# that cargo-leptos would otherwise download is installed from a registry instead.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.11"
BINARYEN_VERSION="132.0.0"
BUILD_DIR="${CONSILIUM_TOOL_BUILD_DIR:-$HOME/.cache/consilium-tools}"
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock, or the generated glue
# does not match the WASM. cargo-leptos does not check this, so we do.
wasm_bindgen_locked_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_debian_packages() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
  command -v qpdf >/dev/null || missing+=(qpdf)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Debian's binaryen (wasm-opt 108) produces release WASM that fails in the browser; npm's
# binaryen 132 works. It goes into npm's global prefix, which is on PATH before Cargo's bin.
ensure_wasm_opt() {
  if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    log "installing wasm-opt from npm binaryen@$BINARYEN_VERSION"
    npm install -g --silent "binaryen@$BINARYEN_VERSION"
  fi
  local found
  found="$(wasm-opt --version)"
  case "$found" in
    *"version ${BINARYEN_VERSION%%.*}"*) ;;
    *) echo "wasm-opt on PATH is '$found', expected binaryen $BINARYEN_VERSION" >&2; exit 1 ;;
  esac
}

# `cargo install --locked` fails for these two tools on the registry as it is today (a lock entry
# wants a newer rustc, or names a crate version the registry lacks). We let cargo unpack the
# source, copy it out, pin the one offending dependency and install from the copy.
unpack_crate_source() {
  local name="$1" version="$2" src
  src="$(ls -d "$HOME"/.cargo/registry/src/*/"$name-$version" 2>/dev/null | head -n1 || true)"
  if [ -z "$src" ]; then
    # A deliberately impossible install makes cargo download and unpack the crate.
    cargo install "$name" --version "$version" --locked --root "$BUILD_DIR/unused" \
      --no-track >/dev/null 2>&1 || true
    src="$(ls -d "$HOME"/.cargo/registry/src/*/"$name-$version" 2>/dev/null | head -n1 || true)"
  fi
  [ -n "$src" ] || { echo "could not unpack $name $version from crates.io" >&2; exit 1; }
  rm -rf "$BUILD_DIR/$name-$version"
  mkdir -p "$BUILD_DIR"
  cp -r "$src" "$BUILD_DIR/$name-$version"
  echo "$BUILD_DIR/$name-$version"
}

ensure_wasm_bindgen_cli() {
  local want
  want="$(wasm_bindgen_locked_version)"
  [ -n "$want" ] || { echo "no wasm-bindgen in Cargo.lock" >&2; exit 1; }
  if wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $want"; then return; fi
  log "building wasm-bindgen-cli $want (about 4 minutes, once per machine)"
  local dir
  dir="$(unpack_crate_source wasm-bindgen-cli "$want")"
  (cd "$dir" && cargo update -q -p webpki-roots --precise 1.0.10 2>/dev/null || true)
  (cd "$dir" && cargo install -q --path . --locked --force)
}

ensure_cargo_leptos() {
  if cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then return; fi
  log "building cargo-leptos $CARGO_LEPTOS_VERSION without downloads (15-20 minutes, once per machine)"
  local dir
  dir="$(unpack_crate_source cargo-leptos "$CARGO_LEPTOS_VERSION")"
  (cd "$dir" && cargo update -q -p cargo-util-schemas --precise 0.14.1)
  # cargo-leptos only orchestrates the build, so a lighter release profile costs nothing at run
  # time and cuts the install's memory from 3.7 GB to about 1 GB.
  (cd "$dir" && CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install -q --path . --locked --force --features no_downloads)
}

ensure_end2end_packages() {
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] \
     || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    log "installing the end-to-end test packages (Playwright without its own browser)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund)
  fi
}

# A real SMTP server for the email test (aiosmtpd, from PyPI).
ensure_smtp_peer() {
  if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    log "installing aiosmtpd (the SMTP server the email test delivers to)"
    python3 -m pip install --quiet aiosmtpd
  fi
}

# An independent TOTP implementation (pyotp, from PyPI): the end-to-end tests compute staff
# sign-in codes with it, and the benchmark signs staff in with it.
ensure_totp_peer() {
  if ! python3 -c 'import pyotp' 2>/dev/null; then
    log "installing pyotp (computes two-factor codes for the tests)"
    python3 -m pip install --quiet pyotp
  fi
}

# A real S3-compatible server for the storage tests (moto, from PyPI), in a virtualenv of its own
# so its many dependencies stay out of the system Python.
ensure_s3_peer() {
  local venv="$HOME/.local/share/consilium/moto"
  if [ ! -x "$venv/bin/moto_server" ]; then
    log "installing moto (the S3-compatible server the storage tests run against)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'moto[server]'
  fi
}

main() {
  ensure_wasm_target
  ensure_debian_packages
  ensure_wasm_opt
  ensure_wasm_bindgen_cli
  ensure_cargo_leptos
  ensure_end2end_packages
  ensure_smtp_peer
  ensure_totp_peer
  ensure_s3_peer
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
