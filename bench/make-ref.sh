#!/usr/bin/env bash
# Builds a reference checkout for the benches' side-by-side figures (issue 23):
#   bash bench/make-ref.sh [commit=d9a8994] [dir=/tmp/ref]
# then run a bench with BENCH_REF=<dir>, e.g. BENCH_REF=/tmp/ref npm run bench:renderer.
# The checkout is a plain `git archive` export (no worktree), sharing this checkout's node_modules.
set -euo pipefail
commit="${1:-d9a8994}"
dir="${2:-/tmp/ref}"
here="$(cd "$(dirname "$0")/.." && pwd)"
rm -rf "$dir" && mkdir -p "$dir"
git -C "$here" archive "$commit" | tar -x -C "$dir"
ln -s "$(readlink -f "$here/node_modules")" "$dir/node_modules"
(cd "$dir" && npm run --silent build >/dev/null)
echo "reference $commit built in $dir"
