#!/usr/bin/env bash
# The whole evaluation and benchmark suite, end to end, with one command:
# installs the packages, builds (Release), prepares the data, runs every
# tool and writes a report folder with an index.html. How a benchmark run on
# a fresh cloud machine starts:
#
#   git clone <repo> vecdb && cd vecdb && benchmarks/suite.sh
#
#   benchmarks/suite.sh               full run (~2 1/4 h on 2 cores)
#   benchmarks/suite.sh --smoke       seconds-long run of every tool (CI)
#
# Options:
#   --out=DIR         report folder (default bench-results/<UTC time>)
#   --build-dir=DIR   build folder (default build-bench; --smoke: build)
#   --cache-dir=DIR   data and ground-truth cache, outside git
#                     (default $VECDB_BENCH_CACHE or ~/.cache/vecdb-bench)
#   --no-install      skip scripts/install_deps.sh
#   --skip-1m         leave out the 1M-vector synthetic run
#   --soak=DURATION   length of the soak run (default 10m)
#
# Every step runs even if an earlier one failed; the exit code is 1 if any
# step failed (a quality gate included), else 0. The steps and their logs
# are listed in <out>/index.html and <out>/steps.tsv.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

smoke=0
install=1
skip_1m=0
soak=10m
out=""
build=""
cache="${VECDB_BENCH_CACHE:-$HOME/.cache/vecdb-bench}"
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=1 ;;
    --no-install) install=0 ;;
    --skip-1m) skip_1m=1 ;;
    --soak=*) soak="${arg#*=}" ;;
    --out=*) out="${arg#*=}" ;;
    --build-dir=*) build="${arg#*=}" ;;
    --cache-dir=*) cache="${arg#*=}" ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "suite: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done
if [[ -z "$build" ]]; then
  if [[ $smoke == 1 ]]; then build="$root/build"; else build="$root/build-bench"; fi
fi
[[ -n "$out" ]] || out="$root/bench-results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out" "$cache"
out="$(cd "$out" && pwd)"
data="${VECDB_DATA_DIR:-$root/../shared/data}"
failed=0
printf 'step\tstatus\tseconds\tlog\n' > "$out/steps.tsv"

# step NAME COMMAND...: runs the command with its output in <out>/NAME.log
# (and on the terminal), records status and duration.
step() {
  local name="$1"
  shift
  local start=$SECONDS
  echo "== suite: $name ($(date -u +%H:%M:%S))"
  "$@" 2>&1 | tee "$out/$name.log"
  local rc=${PIPESTATUS[0]}
  local status=ok
  if [[ $rc -ne 0 ]]; then
    status="failed (exit $rc)"
    failed=1
  fi
  printf '%s\t%s\t%s\t%s\n' "$name" "$status" "$((SECONDS - start))" \
    "$name.log" >> "$out/steps.tsv"
  echo "== suite: $name: $status in $((SECONDS - start)) s"
}

bin="$build"
eval_bin="$bin/eval/vecdb-eval"
ingest_bin="$bin/ingest/vecdb-ingest"
server_bin="$bin/server/vecdb-server"
ann_bin="$bin/benchmarks/vecdb_ann_bench"
load_bin="$bin/benchmarks/load/vecdb_load"
writer_bin="$bin/benchmarks/vecdb_writer_bench"

# 1. Packages and build.
if [[ $install == 1 ]]; then
  if [[ $smoke == 1 ]]; then
    step install ./scripts/install_deps.sh
  else
    step install ./scripts/install_deps.sh --bench-data
  fi
fi
if [[ $smoke == 0 ]]; then
  build_release() {
    if [[ ! -f "$build/build.ninja" ]]; then
      cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DVECDB_BUILD_TESTS=OFF || return 1
    fi
    ninja -C "$build" vecdb-server vecdb-ingest vecdb-eval vecdb_ann_bench \
      vecdb_load vecdb_writer_bench vecdb_filter_bench vecdb_ingest_bench
  }
  step build build_release
fi

# 2. Data: SIFT descriptors from the images of Debian packages (computed
# once, cached); Fashion-MNIST comes from its package as it is.
sift_dir="$cache/sift-images"
if [[ $smoke == 1 ]]; then
  # Three generated textures stand in for the photographs.
  sift_dir="$out/smoke-cache/sift-images"
  make_smoke_images() {
    /usr/bin/python3 - "$out/smoke-images" <<'EOF' || return 1
import os, sys
import cv2, numpy as np
folder = sys.argv[1]
os.makedirs(folder, exist_ok=True)
rng = np.random.default_rng(7)
for i in range(3):
    noise = rng.integers(0, 256, (240, 320), dtype=np.uint8)
    image = cv2.GaussianBlur(noise, (0, 0), 1.2)
    image = cv2.normalize(image, None, 0, 255, cv2.NORM_MINMAX)
    cv2.imwrite(os.path.join(folder, f"texture{i}.png"), image)
EOF
    /usr/bin/python3 benchmarks/data/extract_sift.py --out "$sift_dir" \
      --images "$out"/smoke-images/*.png --holdout-every=3 --queries=50
  }
  step data-sift make_smoke_images
elif [[ ! -f "$sift_dir/base.fvecs" ]]; then
  step data-sift /usr/bin/python3 benchmarks/data/extract_sift.py \
    --out "$sift_dir"
fi

# 3. Retrieval quality with gates: MED and ADI ingested, all three modes.
eval_collection() {
  local name="$1" upper="$2" gate="$3"
  "$eval_bin" --collection="$name" \
    --ingest="$data/$name/$upper.ALL" --ingest-arg=--format=smart \
    --queries="$data/$name/$upper.QRY" --qrels="$data/$name/$upper.REL" \
    --modes=dense,text,hybrid --ks=1,5,10,20 \
    --json-out="$out/eval-$name.json" --html-out="$out/eval-$name.html" \
    --gate="$gate"
}
step eval-adi eval_collection adi ADI 'hybrid:ndcg@10>=0.35'
if [[ $smoke == 0 ]]; then
  step eval-med eval_collection med MED 'hybrid:ndcg@10>=0.6'
fi

# 4. ANN curves: vecdb embedded and over gRPC, hnswlib, FAISS HNSW and IVF.
ann() {
  local name="$1"
  shift
  "$ann_bin" --cache-dir="$cache" --json-out="$out/ann-$name.json" \
    --svg-dir="$out" "$@"
}
if [[ $smoke == 1 ]]; then
  step ann-quick ann quick --quick
  step ann-sift-images ann sift-images --datasets=sift-images \
    --cache-dir="$out/smoke-cache" --ef=16,64 --nprobe=1,8 \
    --min-run-seconds=0.05
else
  step ann-real ann real --datasets=fashion-mnist,sift-images,sift5k \
    --ef=10,16,24,32,48,64,96,128,256,512 --runs=2 --min-run-seconds=0.5
  if [[ $skip_1m == 0 ]]; then
    step ann-1m ann 1m --datasets=1m --queries=1000 \
      --ef=16,32,64,128,256,512 --nprobe=4,16,64,256 --runs=2 \
      --min-run-seconds=0.5
  fi
fi

# 5. Load over gRPC on loopback (1, 4, 16 clients), queries beside one
# writer, then the soak.
if [[ $smoke == 1 ]]; then
  step load "$load_bin" --spawn-server="$server_bin" \
    --spawn-flag=--sync=none --dataset=sift5k --clients=1,4 --requests=500 \
    --warmup=0 --mix=query:90,upsert:10 --max-error-rate=0 \
    --cache-dir="$cache" --json-out="$out/load.json"
  step writer-bench "$writer_bin" --quick --server-binary="$server_bin" \
    --server-flag=--sync=none --json-out="$out/writer-bench.json"
  step soak "$load_bin" --spawn-server="$server_bin" \
    --spawn-flag=--sync=none --dataset=sift5k --clients=2 --mode=rate \
    --rate=200 --duration=3s --warmup=0 --soak --sample-every=1s \
    --cache-dir="$cache" --json-out="$out/soak.json"
else
  step load "$load_bin" --spawn-server="$server_bin" --dataset=100k \
    --clients=1,4,16 --duration=30s --warmup=3s --mix=query:95,upsert:5 \
    --cache-dir="$cache" --json-out="$out/load.json"
  step writer-bench "$writer_bin" --server-binary="$server_bin" \
    --json-out="$out/writer-bench.json"
  step filter-bench "$bin/benchmarks/vecdb_filter_bench" \
    --json-out="$out/filter-bench.json" --cache-dir="$cache"
  step ingest-bench "$bin/benchmarks/vecdb_ingest_bench" \
    --json-out="$out/ingest-bench.json"
  step soak "$load_bin" --spawn-server="$server_bin" --dataset=sift5k \
    --clients=4 --mode=rate --rate=300 --duration="$soak" \
    --mix=query:95,upsert:5 --soak --sample-every=10s \
    --cache-dir="$cache" --json-out="$out/soak.json"
fi

# 6. The report folder's front page.
write_index() {
  {
    echo '<!doctype html><html><head><meta charset="utf-8">'
    echo '<title>vecdb benchmark suite</title>'
    echo '<style>body{font-family:sans-serif;max-width:70em;margin:2em auto}'
    echo 'td,th{padding:.2em .8em;text-align:left}img{max-width:100%}</style>'
    echo '</head><body><h1>vecdb benchmark suite</h1>'
    echo "<p>commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown),"
    echo " $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores,"
    echo " $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo),"
    echo " $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/&/\&amp;/g;s/</\&lt;/g')</p>"
    echo '<h2>Steps</h2><table><tr><th>step</th><th>status</th><th>seconds</th></tr>'
    tail -n +2 "$out/steps.tsv" | while IFS=$'\t' read -r name status secs log; do
      echo "<tr><td><a href=\"$log\">$name</a></td><td>$status</td><td>$secs</td></tr>"
    done
    echo '</table><h2>Retrieval quality</h2><ul>'
    for f in "$out"/eval-*.html; do
      [[ -f "$f" ]] && echo "<li><a href=\"$(basename "$f")\">$(basename "$f")</a></li>"
    done
    echo '</ul><h2>ANN curves</h2>'
    for f in "$out"/*.svg; do
      [[ -f "$f" ]] && echo "<p><img src=\"$(basename "$f")\" alt=\"$(basename "$f")\"></p>"
    done
    echo '<h2>JSON</h2><ul>'
    for f in "$out"/*.json; do
      [[ -f "$f" ]] && echo "<li><a href=\"$(basename "$f")\">$(basename "$f")</a></li>"
    done
    echo '</ul></body></html>'
  } > "$out/index.html"
}
write_index
echo "== suite: report in $out/index.html"
column -t -s $'\t' "$out/steps.tsv"
exit $failed
