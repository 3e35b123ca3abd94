#include "benchmarks/faiss_system.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIVFFlat.h>
#include <omp.h>

#include <exception>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace vecdb::bench {
namespace {

using FaissId = faiss::Index::idx_t;

// FAISS reports errors by throwing; nothing escapes this file.
template <typename Fn>
absl::Status Guarded(const char* what, Fn fn) {
  try {
    fn();
    return absl::OkStatus();
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("faiss ", what, ": ", e.what()));
  }
}

// One query on the calling thread, labels as row numbers.
bool SearchOne(const faiss::Index& index, const std::vector<float>& query,
               size_t k, std::vector<uint32_t>& ids) {
  // A per-thread setting: the query runs without an OpenMP team.
  omp_set_num_threads(1);
  std::vector<float> distances(k);
  std::vector<FaissId> labels(k);
  try {
    index.search(1, query.data(), static_cast<FaissId>(k), distances.data(),
                 labels.data());
  } catch (const std::exception&) {
    return false;
  }
  ids.clear();
  for (FaissId label : labels) {
    if (label >= 0) ids.push_back(static_cast<uint32_t>(label));
  }
  return true;
}

// Adds on every core (OpenMP's default team size on this thread).
void AddAll(const Dataset& data, faiss::Index& index) {
  omp_set_num_threads(omp_get_num_procs());
  index.add(static_cast<FaissId>(data.num_base()), data.base.data());
}

class FaissHnswIndex : public AnnIndex {
 public:
  explicit FaissHnswIndex(const AnnBuildParams& params) : params_(params) {}

  absl::Status Build(const Dataset& data) override {
    return Guarded("IndexHNSWFlat", [&] {
      index_ = std::make_unique<faiss::IndexHNSWFlat>(
          static_cast<int>(data.dim), static_cast<int>(params_.m));
      index_->hnsw.efConstruction = static_cast<int>(params_.ef_construction);
      AddAll(data, *index_);
    });
  }

  // Vectors plus the graph's neighbour table, levels and offsets.
  double ModelBytes() const override {
    const faiss::HNSW& g = index_->hnsw;
    return static_cast<double>(index_->ntotal) * index_->d * sizeof(float) +
           g.neighbors.size() * sizeof(faiss::HNSW::storage_idx_t) +
           g.levels.size() * sizeof(int) + g.offsets.size() * sizeof(size_t);
  }

  absl::Status SetSearchParam(size_t ef) override {
    index_->hnsw.efSearch = static_cast<int>(ef);
    return absl::OkStatus();
  }

  bool Search(size_t, const std::vector<float>& query, size_t k,
              std::vector<uint32_t>& ids) override {
    return SearchOne(*index_, query, k, ids);
  }

 private:
  AnnBuildParams params_;
  std::unique_ptr<faiss::IndexHNSWFlat> index_;
};

class FaissIvfIndex : public AnnIndex {
 public:
  explicit FaissIvfIndex(const AnnBuildParams& params) : params_(params) {}

  absl::Status Build(const Dataset& data) override {
    return Guarded("IndexIVFFlat", [&] {
      quantizer_ =
          std::make_unique<faiss::IndexFlatL2>(static_cast<int>(data.dim));
      index_ = std::make_unique<faiss::IndexIVFFlat>(
          quantizer_.get(), data.dim, params_.nlist, faiss::METRIC_L2);
      index_->cp.max_points_per_centroid = kFaissIvfTrainPerList;
      index_->verbose = false;
      omp_set_num_threads(omp_get_num_procs());
      index_->train(static_cast<FaissId>(data.num_base()), data.base.data());
      AddAll(data, *index_);
    });
  }

  // Centroids, plus per stored vector its codes and its 64-bit id.
  double ModelBytes() const override {
    return static_cast<double>(params_.nlist) * index_->d * sizeof(float) +
           static_cast<double>(index_->ntotal) *
               (index_->code_size + sizeof(FaissId));
  }

  absl::Status SetSearchParam(size_t nprobe) override {
    index_->nprobe = nprobe;
    return absl::OkStatus();
  }

  bool Search(size_t, const std::vector<float>& query, size_t k,
              std::vector<uint32_t>& ids) override {
    return SearchOne(*index_, query, k, ids);
  }

 private:
  AnnBuildParams params_;
  std::unique_ptr<faiss::IndexFlatL2> quantizer_;
  std::unique_ptr<faiss::IndexIVFFlat> index_;
};

}  // namespace

bool FaissAvailable() { return true; }

absl::StatusOr<std::unique_ptr<AnnIndex>> NewFaissHnswAnnIndex(
    const AnnBuildParams& params) {
  return std::make_unique<FaissHnswIndex>(params);
}

absl::StatusOr<std::unique_ptr<AnnIndex>> NewFaissIvfAnnIndex(
    const AnnBuildParams& params) {
  if (params.nlist == 0) {
    return absl::InvalidArgumentError("faiss-ivf needs nlist > 0");
  }
  return std::make_unique<FaissIvfIndex>(params);
}

}  // namespace vecdb::bench
