#!/usr/bin/env bash
# The whole test suite against real Kafka and Redis, from a fresh clone:
# toolchain, dependencies, local infrastructure, typecheck, lint, tests.
# Infrastructure this run started is stopped at the end; set
# NIGHTJAR_KEEP_INFRA=1 to leave it running for the next run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
started_at=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - started_at ))"; }

step "toolchain and dependencies"
bash deploy/local/bootstrap.sh
export PATH="$ROOT/.tools/bin:$PATH"

step "local infrastructure"
before="$(cat deploy/local/.run/started 2>/dev/null || true)"
bash deploy/local/infra.sh up >/dev/null
stop_infra() {
  if [[ "${NIGHTJAR_KEEP_INFRA:-}" != "1" && -z "$before" && -s deploy/local/.run/started ]]; then
    bash deploy/local/infra.sh down >&2 || true
  fi
}
trap stop_infra EXIT
set -a
# shellcheck disable=SC1091
source deploy/local/.run/env
set +a
bash deploy/local/infra.sh status

step "typecheck"
pnpm run -s typecheck

step "lint"
pnpm run -s lint
pnpm run -s format:check

step "tests"
mkdir -p test-results
set +e
pnpm exec vitest run --reporter=verbose --reporter=json --outputFile.json=test-results/vitest.json "$@"
status=$?
set -e
stop_infra
trap - EXIT
printf '\n== finished in %ss\n' "$(( $(date +%s) - started_at ))"
# Last line, in the plain form CI reads.
node deploy/local/summarize-tests.ts test-results/vitest.json
exit "$status"
