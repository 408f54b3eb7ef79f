#!/usr/bin/env bash
# Installs what is missing, then serves Consilium at http://127.0.0.1:3000 on the embedded SQLite
# database under ./data, loading the demo accounts and catalog on first start.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
export CONSILIUM_DEMO_DATA="${CONSILIUM_DEMO_DATA:-1}"
exec cargo leptos serve --release
