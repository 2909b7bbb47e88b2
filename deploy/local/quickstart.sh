#!/usr/bin/env bash
# The main job on the embedded default: one process, no servers.
# Installs what is missing, then runs `nightjar run` until Ctrl-C.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
bash deploy/local/bootstrap.sh
export PATH="$ROOT/.tools/bin:$PATH"
export NIGHTJAR_LOG_FORMAT="${NIGHTJAR_LOG_FORMAT:-pretty}"
exec node services/nightjar/bin/nightjar.js run --mode embedded "$@"
