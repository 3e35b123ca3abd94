#!/usr/bin/env bash
# Installs everything vecdb needs to build, test and run on Debian 12.
# Idempotent: packages already present are left alone; apt-get update runs
# only when a package is missing. Runs apt-get through sudo when not root.
#
#   scripts/install_deps.sh               build, test and run
#   scripts/install_deps.sh --bench-data  also the image packages the
#                                         sift-images benchmark set is
#                                         computed from (~200 MB)
#   scripts/install_deps.sh --no-bench    without the packages only the
#                                         benchmarks and their tests use
#                                         (FAISS, OpenCV, Fashion-MNIST):
#                                         what the Docker image needs
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev libabsl-dev libhnswlib-dev zlib1g-dev
  catch2 nlohmann-json3-dev libroaring-dev libutf8proc-dev
  libgumbo-dev libpoppler-cpp-dev libcurl4-openssl-dev libssl-dev
  libcpp-httplib-dev
  python3 python3-grpcio python3-protobuf
)
BENCH_PACKAGES=(
  libfaiss-dev libblas-dev liblapack-dev
  python3-numpy python3-opencv dataset-fashion-mnist
)
BENCH_DATA_PACKAGES=(
  plasma-workspace-wallpapers gnome-backgrounds mate-backgrounds
  ukui-wallpapers
)
case "${1:-}" in
  "") PACKAGES+=("${BENCH_PACKAGES[@]}") ;;
  --bench-data) PACKAGES+=("${BENCH_PACKAGES[@]}" "${BENCH_DATA_PACKAGES[@]}") ;;
  --no-bench) ;;
  *) echo "install_deps: unknown option $1" >&2; exit 2 ;;
esac

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install_deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install_deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
