#!/usr/bin/env bash
# Configures and builds vecdb with CMake + Ninja (+ ccache when present).
#   scripts/build.sh [BUILD_DIR] [ninja targets...]
# Environment: VECDB_BUILD_TYPE (default RelWithDebInfo), extra CMake
# arguments in VECDB_CMAKE_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"
# Let ccache reuse objects compiled in another checkout of the project.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
shift || true
if [ ! -f "$build_dir/build.ninja" ]; then
  # shellcheck disable=SC2086
  cmake -S . -B "$build_dir" -G Ninja \
    -DCMAKE_BUILD_TYPE="${VECDB_BUILD_TYPE:-RelWithDebInfo}" ${VECDB_CMAKE_ARGS:-}
fi
ninja -C "$build_dir" "$@"
