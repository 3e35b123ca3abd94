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
      if (info->count >= data.num_base()) {
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
