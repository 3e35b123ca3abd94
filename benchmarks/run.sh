#!/usr/bin/env bash
# Builds vecdb_bench (Release) and runs it. Flags go to vecdb_bench, e.g.
#   benchmarks/run.sh --quick
#   benchmarks/run.sh --sizes=sift5k,100k,1m --json-out=/tmp/bench.json
# With --filter first, builds and runs vecdb_filter_bench instead; with
# --ingest first, vecdb_ingest_bench (and the vecdb-ingest binary it runs);
# with --ann first, vecdb_ann_bench (recall/QPS curves against hnswlib and
# FAISS):
#   benchmarks/run.sh --filter --quick
#   benchmarks/run.sh --ingest --replicas=10
#   benchmarks/run.sh --ann --datasets=sift5k,fashion-mnist
# The whole suite (install, data, every tool, report): benchmarks/suite.sh.
# Build directory: $VECDB_BENCH_BUILD_DIR, default <repo>/build-bench.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${VECDB_BENCH_BUILD_DIR:-$root/build-bench}"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DVECDB_BUILD_TESTS=OFF
fi
target=vecdb_bench
if [[ "${1:-}" == "--filter" ]]; then
  target=vecdb_filter_bench
  shift
elif [[ "${1:-}" == "--ingest" ]]; then
  target=vecdb_ingest_bench
  shift
elif [[ "${1:-}" == "--ann" ]]; then
  target=vecdb_ann_bench
  shift
fi
ninja -C "$build" "$target"
exec "$build/benchmarks/$target" "$@"
