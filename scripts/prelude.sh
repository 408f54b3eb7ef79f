# Sourced first by the scripts people run (serve, test, bench): strict mode, the project root as
# the working directory, every tool this project needs installed (setup.sh, quick when nothing
# is missing), and cargo's tools on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
