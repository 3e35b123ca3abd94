#include "benchmarks/raw_hnsw_system.h"

// hnswlib 0.6.2 defines some functions and variables in its headers
// without `inline`. The index library includes the same headers, so this
// file renames its copies to link beside it.
#define cpuid vecdb_bench_cpuid
#define xgetbv vecdb_bench_xgetbv
#define AVXCapable vecdb_bench_AVXCapable
#define AVX512Capable vecdb_bench_AVX512Capable
#define InnerProductDistanceSIMD16Ext vecdb_bench_InnerProductDistanceSIMD16Ext
#define InnerProductDistanceSIMD4Ext vecdb_bench_InnerProductDistanceSIMD4Ext
#define InnerProductSIMD16Ext vecdb_bench_InnerProductSIMD16Ext
#define InnerProductSIMD4Ext vecdb_bench_InnerProductSIMD4Ext
#define L2SqrSIMD16Ext vecdb_bench_L2SqrSIMD16Ext
#define L2SqrSIMD4Ext vecdb_bench_L2SqrSIMD4Ext
#define L2SqrSIMD16ExtResiduals vecdb_bench_L2SqrSIMD16ExtResiduals
#define L2SqrSIMD4ExtResiduals vecdb_bench_L2SqrSIMD4ExtResiduals
#include <hnswlib/hnswlib.h>
#undef cpuid
#undef xgetbv
#undef AVXCapable
#undef AVX512Capable
#undef InnerProductDistanceSIMD16Ext
#undef InnerProductDistanceSIMD4Ext
#undef InnerProductSIMD16Ext
#undef InnerProductSIMD4Ext
#undef L2SqrSIMD16Ext
#undef L2SqrSIMD4Ext
#undef L2SqrSIMD16ExtResiduals
#undef L2SqrSIMD4ExtResiduals

#include <atomic>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmarks/bench_util.h"
#include "benchmarks/query_loop.h"

namespace vecdb::bench {
namespace {

using Index = hnswlib::HierarchicalNSW<float>;

// Bytes of hnswlib's own structures: level-0 block (links, vector, label)
// per slot, upper-level link lists per element, the label map, and the
// per-element lock array. Allocator overhead is not counted.
double HnswModelBytes(const Index& index) {
  double bytes =
      static_cast<double>(index.max_elements_) * index.size_data_per_element_;
  for (size_t i = 0; i < index.cur_element_count; ++i) {
    bytes += static_cast<double>(index.element_levels_[i]) *
             index.size_links_per_element_;
  }
  bytes += index.max_elements_ * (sizeof(void*) + sizeof(int));
  bytes += index.label_lookup_.size() * 32.0;  // node of an unordered_map
  bytes += index.max_elements_ * sizeof(std::mutex);
  return bytes;
}

// The labels of the k nearest, closest first.
void KnnIds(const Index& index, const float* query, size_t k,
            std::vector<uint32_t>& ids) {
  auto heap = index.searchKnn(query, k);
  ids.resize(heap.size());
  for (size_t i = heap.size(); i > 0; --i) {
    ids[i - 1] = static_cast<uint32_t>(heap.top().second);
    heap.pop();
  }
}

QueryFn SearchFn(const Index& index, size_t k) {
  return [&index, k](size_t, const std::vector<float>& q,
                     std::vector<uint32_t>& ids) {
    KnnIds(index, q.data(), k, ids);
    return true;
  };
}

// Adds every base row on HardwareThreads() threads. hnswlib throws from
// addPoint; a thread must not let it escape, so failures come back as false.
bool AddAll(const Dataset& data, Index& index) {
  std::atomic<bool> failed{false};
  ParallelFor(data.num_base(), HardwareThreads(), [&](size_t i, size_t) {
    try {
      index.addPoint(data.row(i), i);
    } catch (const std::exception&) {
      failed = true;
    }
  });
  return !failed;
}

void Run(const Dataset& data, const BenchConfig& config, SystemResult& r) {
  const size_t n = data.num_base();
  hnswlib::L2Space space(data.dim);
  const size_t rss0 = ResidentBytes();
  auto index = std::make_unique<Index>(&space, n, config.m,
                                       config.ef_construction, /*seed=*/100);
  r.insert_threads = HardwareThreads();
  Stopwatch build;
  const bool added = AddAll(data, *index);
  r.insert_s = build.Seconds();
  if (!added) {
    r.error = "addPoint failed";
    return;
  }
  r.points = n;
  r.insert_pts_per_s = n / r.insert_s;
  r.rss_mb = (ResidentBytes() - static_cast<double>(rss0)) / (1 << 20);
  r.index_model_mb = HnswModelBytes(*index) / (1 << 20);

  const QueryFn search = SearchFn(*index, config.k);
  for (size_t ef : EfSweepValues()) {
    index->setEf(ef);
    QueryRun run = RunQueries(data, config.k, 1, search);
    r.sweep.push_back({ef, run.recall, run.qps});
    r.ef = ef;
    if (run.recall >= config.target_recall) break;
  }
  index->setEf(r.ef);
  QueryRun single =
      RunQueries(data, config.k, 1, search, config.min_run_seconds);
  r.qps_1thr = single.qps;
  r.p50_ms = single.latency.PercentileMs(0.5);
  r.p99_ms = single.latency.PercentileMs(0.99);
  r.recall = single.recall;
  r.multi_threads = config.query_threads;
  r.qps_multi = RunQueries(data, config.k, config.query_threads, search,
                           config.min_run_seconds)
                    .qps;

  const std::string path = config.work_dir + "/raw.hnsw";
  Stopwatch save;
  index->saveIndex(path);
  r.save_s = save.Seconds();
  index.reset();
  Stopwatch load;
  index = std::make_unique<Index>(&space, path);
  r.restart_s = load.Seconds();
  index->setEf(r.ef);
  r.recall_after_restart =
      RunQueries(data, config.k, 1, SearchFn(*index, config.k)).recall;
  std::error_code ec;
  std::filesystem::remove(path, ec);
}

class HnswlibAnnIndex : public AnnIndex {
 public:
  explicit HnswlibAnnIndex(const AnnBuildParams& params) : params_(params) {}

  absl::Status Build(const Dataset& data) override {
    try {
      space_ = std::make_unique<hnswlib::L2Space>(data.dim);
      index_ = std::make_unique<Index>(space_.get(), data.num_base(), params_.m,
                                       params_.ef_construction,
                                       /*seed=*/100);
    } catch (const std::exception& e) {
      return absl::InternalError(std::string("hnswlib: ") + e.what());
    }
    if (!AddAll(data, *index_)) return absl::InternalError("addPoint failed");
    return absl::OkStatus();
  }

  double ModelBytes() const override { return HnswModelBytes(*index_); }

  absl::Status SetSearchParam(size_t ef) override {
    index_->setEf(ef);
    return absl::OkStatus();
  }

  bool Search(size_t, const std::vector<float>& query, size_t k,
              std::vector<uint32_t>& ids) override {
    try {
      KnnIds(*index_, query.data(), k, ids);
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

 private:
  AnnBuildParams params_;
  std::unique_ptr<hnswlib::L2Space> space_;
  std::unique_ptr<Index> index_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<AnnIndex>> NewHnswlibAnnIndex(
    const AnnBuildParams& params) {
  return std::make_unique<HnswlibAnnIndex>(params);
}

const std::vector<size_t>& EfSweepValues() {
  static const std::vector<size_t> kValues = {
      10,  12,  16,  20,  24,  32,  40,  48,  64,  80,  96,
      128, 160, 200, 256, 320, 400, 512, 640, 800, 1024};
  return kValues;
}

SystemResult RunRawHnsw(const Dataset& data, const BenchConfig& config) {
  SystemResult r;
  r.system = "raw hnswlib";
  try {
    Run(data, config, r);
  } catch (const std::exception& e) {
    r.error = std::string("hnswlib: ") + e.what();
  }
  return r;
}

absl::Status SaveHnswlibIndex(const Dataset& data, size_t m,
                              size_t ef_construction,
                              const std::string& path) {
  try {
    hnswlib::L2Space space(data.dim);
    Index index(&space, data.num_base(), m, ef_construction, /*seed=*/100);
    if (!AddAll(data, index)) return absl::InternalError("addPoint failed");
    index.saveIndex(path);
  } catch (const std::exception& e) {
    return absl::InternalError(std::string("hnswlib: ") + e.what());
  }
  return absl::OkStatus();
}

absl::StatusOr<double> TimeHnswlibLoad(const std::string& path, size_t dim,
                                       size_t points) {
  try {
    hnswlib::L2Space space(dim);
    Stopwatch load;
    Index index(&space, path);
    const double seconds = load.Seconds();
    if (index.cur_element_count != points) {
      return absl::InternalError(
          absl::StrCat(path, " holds ", index.cur_element_count, " points"));
    }
    return seconds;
  } catch (const std::exception& e) {
    return absl::InternalError(std::string("hnswlib: ") + e.what());
  }
}

}  // namespace vecdb::bench
