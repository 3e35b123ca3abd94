#include "tests/crash/workload.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "tests/crash/point_model.h"
#include "tests/crash/rpc_util.h"

namespace vecdb::testing {
namespace {

// Short enough that a killed server ends every RPC soon; long enough for a
// batch under fsync on a busy machine.
constexpr std::chrono::seconds kWriteTimeout{20};

}  // namespace

Workload::Workload(std::shared_ptr<grpc::Channel> channel,
                   WorkloadOptions options, std::vector<WriterState>* writers,
                   uint64_t seed)
    : stub_(vecdb::v1::VectorDB::NewStub(std::move(channel))),
      options_(std::move(options)),
      writers_(writers),
      seed_(seed) {}

Workload::~Workload() {
  Stop();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void Workload::Start() {
  for (size_t w = 0; w < writers_->size(); ++w) {
    threads_.emplace_back(
        [this, w] { RunWriter((*writers_)[w], seed_ * 1000003 + w); });
  }
  threads_.emplace_back([this] { RunReader(seed_ * 1000003 + 999); });
}

RoundTotals Workload::Join() {
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  std::lock_guard<std::mutex> lock(mu_);
  return totals_;
}

void Workload::AddError(std::string error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (totals_.errors.size() < 20) totals_.errors.push_back(std::move(error));
}

void Workload::RunWriter(WriterState& writer, uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (uint64_t n = 0; n < options_.max_ops_per_writer && !stop_.load(); ++n) {
    WriteOp op = writer.NextOp(rng, options_.max_upsert, options_.max_delete);
    auto context = NewContext(kWriteTimeout);
    grpc::Status status;
    uint64_t affected = 0;
    uint64_t expected = 0;
    if (op.kind == WriteOp::Kind::kUpsert) {
      vecdb::v1::UpsertRequest request;
      request.set_collection(options_.collection);
      for (size_t i = 0; i < op.keys.size(); ++i) {
        *request.add_points() =
            ModelPoint(writer.Id(op.keys[i]), op.versions[i], options_.dim);
      }
      vecdb::v1::UpsertResponse response;
      status = stub_->Upsert(context.get(), request, &response);
      affected = response.upserted();
      expected = op.keys.size();
    } else {
      vecdb::v1::DeleteRequest request;
      request.set_collection(options_.collection);
      for (uint32_t key : op.keys) {
        request.add_ids(writer.Id(key));
        if (writer.AckedVersion(key) != 0) ++expected;
      }
      vecdb::v1::DeleteResponse response;
      status = stub_->Delete(context.get(), request, &response);
      affected = response.deleted();
    }
    if (!status.ok()) {
      // The server may or may not have applied it: resolved after restart.
      if (!stop_.load()) {
        AddError(absl::StrCat("writer ", writer.writer(), ": ",
                              FromGrpc(status, "write").ToString(),
                              " before the server was stopped"));
      }
      writer.SetInFlight(std::move(op));
      return;
    }
    if (affected != expected) {
      AddError(absl::StrCat("writer ", writer.writer(), ": a write of ",
                            op.keys.size(), " ids reported ", affected,
                            " affected, expected ", expected));
    }
    writer.Ack(op);
    std::lock_guard<std::mutex> lock(mu_);
    ++totals_.acked_writes;
    (op.kind == WriteOp::Kind::kUpsert ? totals_.upserted_points
                                       : totals_.deleted_points) += affected;
  }
}

void Workload::RunReader(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  constexpr uint32_t kK = 10;
  for (uint64_t n = 0; n < options_.max_ops_per_writer && !stop_.load(); ++n) {
    vecdb::v1::QueryRequest request;
    request.set_collection(options_.collection);
    request.set_k(kK);
    request.mutable_include()->set_distance(true);
    for (uint32_t q = 0; q < options_.query_batch; ++q) {
      auto* values = request.add_queries()->mutable_values();
      for (uint32_t i = 0; i < options_.dim; ++i) values->Add(uniform(rng));
    }
    vecdb::v1::QueryResponse response;
    auto context = NewContext(kWriteTimeout);
    const grpc::Status status = stub_->Query(context.get(), request, &response);
    if (!status.ok()) {
      if (!stop_.load()) {
        AddError(absl::StrCat(FromGrpc(status, "reader: Query").ToString(),
                              " before the server was stopped"));
      }
      return;
    }
    if (response.results_size() != request.queries_size()) {
      AddError(absl::StrCat("reader: ", response.results_size(),
                            " results for ", request.queries_size(),
                            " queries"));
      return;
    }
    for (const auto& result : response.results()) {
      float previous = -1;
      for (const auto& hit : result.hits()) {
        if (hit.point().id().empty() || hit.point().id()[0] != 'w' ||
            hit.distance() < previous || result.hits_size() > int{kK}) {
          AddError(absl::StrCat("reader: malformed result ",
                                result.ShortDebugString()));
          return;
        }
        previous = hit.distance();
      }
    }
    std::lock_guard<std::mutex> lock(mu_);
    ++totals_.queries;
  }
}

}  // namespace vecdb::testing
