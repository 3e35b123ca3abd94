#include "benchmarks/load/load_setup.h"

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmarks/bench_util.h"
#include "common/status_macros.h"

namespace vecdb::bench::load {
namespace {

absl::Status UpsertBase(Client& client, const Dataset& data,
                        const SetupOptions& options) {
  std::vector<Point> points(data.num_base());
  for (size_t i = 0; i < points.size(); ++i) {
    points[i].id = std::to_string(i);
    points[i].vector.assign(data.row(i), data.row(i) + data.dim);
  }
  Stopwatch watch;
  VECDB_RETURN_IF_ERROR(
      client.UpsertBatched(options.collection, points, options.batch)
          .status());
  std::fprintf(stderr, "setup: upserted %zu points in %.1f s\n", points.size(),
               watch.Seconds());
  return absl::OkStatus();
}

// Spot-checks that the collection's points are this data set's rows (ids
// are row numbers): the first, middle and last rows must match exactly.
absl::Status CheckSameRows(Client& client, const Dataset& data,
                           const std::string& collection) {
  const size_t n = data.num_base();
  const std::vector<std::string> ids = {"0", std::to_string(n / 2),
                                        std::to_string(n - 1)};
  VECDB_ASSIGN_OR_RETURN(client::GetResult got,
                         client.Get(collection, ids, {.vector = true}));
  for (const Point& point : got.points) {
    const size_t row = std::stoul(point.id);
    if (point.vector != std::vector<float>(data.row(row),
                                           data.row(row) + data.dim)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "collection ", collection, ": point ", point.id,
          " is not row ", row, " of data set ", data.name,
          " (loaded from another data set, or rewritten by "
          "--upsert-vectors=new? --drop-existing starts afresh)"));
    }
  }
  if (!got.missing_ids.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "collection ", collection, " has no point ", got.missing_ids[0],
        ": not loaded from data set ", data.name));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status PrepareCollection(Client& client, const Dataset& data,
                               const SetupOptions& options) {
  auto info = client.GetCollection(options.collection);
  if (info.ok()) {
    if (options.reuse) {
      if (info->dimension != data.dim) {
        return absl::FailedPreconditionError(absl::StrCat(
            "collection ", options.collection, " has dimension ",
            info->dimension, ", the data set ", data.dim));
      }
      if (info->metric != Metric::kL2) {
        return absl::FailedPreconditionError(absl::StrCat(
            "collection ", options.collection,
            " is not an L2 collection: recall against the data set's L2 "
            "ground truth would mean nothing"));
      }
      if (info->count > data.num_base()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "collection ", options.collection, " holds ", info->count,
            " points, the data set ", data.num_base(),
            ": points of another data set would falsify recall"));
      }
      if (info->count == data.num_base()) {
        VECDB_RETURN_IF_ERROR(CheckSameRows(client, data, options.collection));
        std::fprintf(stderr, "setup: reusing %s (%llu points)\n",
                     options.collection.c_str(),
                     static_cast<unsigned long long>(info->count));
        return absl::OkStatus();
      }
      return UpsertBase(client, data, options);
    }
    if (!options.drop_existing) {
      return absl::FailedPreconditionError(absl::StrCat(
          "collection ", options.collection,
          " exists: pass --reuse to load into it as it is or "
          "--drop-existing to start afresh"));
    }
    VECDB_RETURN_IF_ERROR(client.DropCollection(options.collection));
  } else if (!absl::IsNotFound(info.status())) {
    return info.status();
  }
  HnswParams hnsw;
  hnsw.m = options.m;
  hnsw.ef_construction = options.ef_construction;
  VECDB_RETURN_IF_ERROR(client
                            .CreateCollection(options.collection,
                                              static_cast<uint32_t>(data.dim),
                                              Metric::kL2, hnsw)
                            .status());
  return UpsertBase(client, data, options);
}

}  // namespace vecdb::bench::load
