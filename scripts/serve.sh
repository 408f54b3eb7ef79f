#!/usr/bin/env bash
# Installs what is missing, then serves Consilium at http://127.0.0.1:3000 on the embedded SQLite
# database under ./data, loading the demo accounts and catalog on first start.
source "$(dirname "${BASH_SOURCE[0]}")/prelude.sh"
export CONSILIUM_DEMO_DATA="${CONSILIUM_DEMO_DATA:-1}"
exec cargo leptos serve --release --split
