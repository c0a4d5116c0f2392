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

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "Installing npm packages (npm ci)"
  npm ci --no-audit --no-fund || exit 2
fi

status=0
step "Build";      npm run --silent build || status=1
step "Typecheck";  npm run --silent typecheck || status=1
step "Lint";       npm run --silent lint || status=1
step "Unit, integration, emulator, package and shell tests (vitest)"
npx vitest run || status=1
step "Browser tiers (Playwright: e2e, electron)"
npx playwright test || status=1

step "Summary"
node scripts/test-summary.mjs || status=1
exit $status
