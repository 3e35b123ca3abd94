#!/usr/bin/env bash
# One command: install dependencies, build, and run the whole test suite:
#   1. every test (ctest) in a RelWithDebInfo build;
#   2. the concurrency tests again under ThreadSanitizer (skip with
#      VECDB_SKIP_TSAN=1);
#   3. seconds-long smoke runs of the benchmarks and of the whole
#      evaluation and benchmark suite (benchmarks/suite.sh --smoke: every
#      tool once), so none of them rots.
# Slow suites: VECDB_CRASH_ROUNDS=200 scripts/test.sh runs 200 crash rounds;
# VECDB_POWER_CUT_ROUNDS=500 runs 500 power-cut rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install_deps.sh
jobs="$(nproc)"

./scripts/build.sh build
ctest --test-dir build --output-on-failure -j "$jobs" --timeout 900

if [ "${VECDB_SKIP_TSAN:-0}" != "1" ]; then
  VECDB_CMAKE_ARGS="-DVECDB_SANITIZER=thread -DVECDB_BUILD_BENCHMARKS=OFF" \
    ./scripts/build.sh build-tsan collection_test
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp" \
    ./build-tsan/tests/collection/collection_test "[concurrency],[commit_queue]"
fi

if [ -x build/benchmarks/vecdb_bench ]; then
  ./build/benchmarks/vecdb_bench --quick --json-out=build/bench-smoke.json
fi
if [ -x build/benchmarks/vecdb_filter_bench ]; then
  ./build/benchmarks/vecdb_filter_bench --quick --json-out=build/filter-bench-smoke.json
fi
if [ -x build/benchmarks/vecdb_ingest_bench ]; then
  ./build/benchmarks/vecdb_ingest_bench --quick --json-out=build/ingest-bench-smoke.json
fi
if [ -x build/benchmarks/vecdb_restart_bench ]; then
  rm -rf build/restart-smoke
  ./build/benchmarks/vecdb_restart_bench --dataset=20k --doc-words=10 \
    --repeats=1 --work-dir=build/restart-smoke \
    --json-out=build/restart-bench-smoke.json
fi
if [ -x build/benchmarks/vecdb_churn_bench ]; then
  ./build/benchmarks/vecdb_churn_bench --dataset=20k --rounds=1 --queries=100 \
    --work-dir=build --json-out=build/churn-bench-smoke.json
fi
./benchmarks/suite.sh --smoke --no-install --build-dir=build \
  --out=build/suite-smoke --cache-dir=build/bench-cache
