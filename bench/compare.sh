#!/usr/bin/env bash
# One bench, the reference build's and this checkout's, back to back in one run (issue 23):
#   bash bench/make-ref.sh d9a8994 /tmp/ref      # once
#   BENCH_REF=/tmp/ref bash bench/compare.sh register|checks|renderer
# The renderer bench interleaves both builds itself (BENCH_REF); the others run the reference
# checkout's own copy of the bench, then this one's. Pass BENCH_RUNS to both.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bench="${1:?usage: BENCH_REF=<dir> bash bench/compare.sh register|checks|renderer}"
ref="${BENCH_REF:?BENCH_REF must name a reference checkout (bench/make-ref.sh)}"
if [ "$bench" = renderer ]; then cd "$here" && exec npx tsx bench/renderer.ts; fi
echo "== reference: $ref (its own bench/$bench.ts)"
(cd "$ref" && BENCH_REF= npx tsx "bench/$bench.ts") || echo "(reference bench failed: $?)"
echo "== this checkout: $here"
cd "$here" && BENCH_REF= npx tsx "bench/$bench.ts"
