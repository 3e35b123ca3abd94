#!/usr/bin/env bash
# One command: install dependencies, build, and start vecdb-server on the
# embedded default data directory (./data), listening on 127.0.0.1:50051.
# Also builds the `vecdb` CLI and `vecdb-ingest` next to it (build-release/).
# Extra arguments go to vecdb-server (e.g. --listen 0.0.0.0:50051).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install_deps.sh
VECDB_BUILD_TYPE=Release ./scripts/build.sh build-release vecdb-server vecdb vecdb-ingest
exec ./build-release/server/vecdb-server --data_dir ./data "$@"
