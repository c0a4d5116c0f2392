#!/usr/bin/env bash
# The one command that runs every test tier on a fresh machine (README: `npm test`).
# It installs what the tests need: Debian's Chromium and Dovecot (as root, when missing) and the
# npm packages (when node_modules is missing or older than the lockfile), builds, then runs
# typecheck, lint, unit + integration + emulator + package + shell tests (vitest), and the browser tiers
# (Playwright: e2e in Chromium, electron where the binary exists). Ends with the counts.
set -uo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-}"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# Node 22 LTS or newer (package.json engines: >=22.12; Node 20 reached end of life in April 2026 and
# electron's own packages need 22.12+). Where the machine's Node is older, the whole run uses the npm
# registry's node@22 package, installed once into a cache folder and put first on PATH (npm, npx,
# vitest and Playwright workers all start from it).
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' 2>/dev/null; then
  node22="${MOA_NODE22_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mail-oauth-node22}"
  if [ ! -x "$node22/node_modules/node/bin/node" ]; then
    step "Node $(node -v 2>/dev/null || echo missing) is older than 22.12: installing node@22 from the npm registry into $node22"
    mkdir -p "$node22" && npm install --no-audit --no-fund --no-save --prefix "$node22" node@22 >/dev/null || { echo "npm install node@22 failed: install Node 22 LTS (see README)"; exit 2; }
  fi
  export PATH="$node22/node_modules/node/bin:$PATH"
fi
echo "Node $(node -v), npm $(npm -v)"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || need_apt+=(dovecot-imapd)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v swaks >/dev/null 2>&1 || need_apt+=(swaks)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "Installing system packages: ${need_apt[*]}"
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null || { echo "apt-get install ${need_apt[*]} failed"; exit 2; }
  else
    echo "Missing ${need_apt[*]}: run as root, or: sudo apt-get install -y ${need_apt[*]}" >&2
    exit 2
  fi
fi
# Dovecot's package enables a system service; the tests start their own instances on loopback.
if command -v systemctl >/dev/null 2>&1; then systemctl stop dovecot >/dev/null 2>&1 || true; fi

# A node_modules that is a symlink is someone else's tree (a git worktree sharing its main checkout's):
# never reinstalled from here, `npm ci` would empty the tree it points to for every checkout using it.
if [ -L node_modules ]; then
  [ package-lock.json -nt node_modules/.package-lock.json ] && echo "node_modules is a symlink to $(readlink node_modules): not reinstalled from this checkout" >&2
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "Installing npm packages (npm ci)"
  npm ci --no-audit --no-fund || exit 2
fi

status=0
step "Build";      npm run --silent build || status=1
# Tests that spawn the CLI run the bundle just built (node dist/cli/mail-oauth.cjs, 1-2 s a spawn)
# instead of compiling the TypeScript through tsx on every spawn (5-7 s on 2 cores).
export MAIL_OAUTH_CLI=dist
step "Typecheck";  npm run --silent typecheck || status=1
step "Lint";       npm run --silent lint || status=1
step "Unit, integration, emulator, package and shell tests (vitest)"
npx vitest run || status=1
step "Browser tiers (Playwright: e2e, electron)"
npx playwright test || status=1

step "Summary"
node scripts/test-summary.mjs || status=1
exit $status
