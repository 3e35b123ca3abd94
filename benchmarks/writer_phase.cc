#include "benchmarks/writer_phase.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <latch>
#include <random>
#include <thread>
#include <unordered_set>

#include "vecdb/v1/vecdb.grpc.pb.h"

namespace vecdb::bench {
namespace {

using Clock = std::chrono::steady_clock;

int64_t Nanos(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

// A channel of its own: without a local subchannel pool, channels to one
// target share a connection.
std::shared_ptr<grpc::Channel> OwnChannel(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   args);
}

std::chrono::system_clock::time_point After(std::chrono::seconds s) {
  return std::chrono::system_clock::now() + s;
}

void Record(const grpc::Status& status, int64_t nanos, load::OpStats& stats) {
  if (status.ok()) {
    ++stats.ok;
    stats.latency.Record(nanos);
  } else {
    ++stats.errors[load::StatusCodeName(status.error_code())];
  }
}

// The part of a client every thread has: a channel, a stub, the time of its
// last answer.
class Connection {
 public:
  Connection(const std::string& target, std::chrono::seconds deadline)
      : channel_(OwnChannel(target)),
        stub_(v1::VectorDB::NewStub(channel_)),
        deadline_(deadline) {}

  bool Connect() { return channel_->WaitForConnected(After(deadline_)); }

 protected:
  void SetDeadline(grpc::ClientContext& context) const {
    context.set_deadline(After(deadline_));
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::VectorDB::Stub> stub_;
  std::chrono::seconds deadline_;
};

}  // namespace

class PhaseRunner::QueryClient : public Connection {
 public:
  QueryClient(const std::string& target, const std::string& collection,
              const WriterWorkload& work, const RunnerOptions& options,
              uint64_t seed)
      : Connection(target, options.request_deadline),
        collection_(collection),
        work_(work),
        k_(options.k),
        rng_(seed) {}

  using Connection::Connect;

  // Closed loop until `end`; tallies into `result`.
  void Run(Clock::time_point end, PhaseResult& result,
           Clock::time_point& last_done) {
    while (Clock::now() < end) {
      const std::vector<float>& q =
          work_.queries[rng_() % work_.queries.size()];
      v1::QueryRequest request;
      request.set_collection(collection_);
      request.set_k(k_);
      request.add_queries()->mutable_values()->Add(q.begin(), q.end());
      grpc::ClientContext context;
      SetDeadline(context);
      v1::QueryResponse response;
      const Clock::time_point sent = Clock::now();
      const grpc::Status status = stub_->Query(&context, request, &response);
      last_done = Clock::now();
      Record(status, Nanos(last_done - sent), result.query);
      if (status.ok() &&
          (response.results_size() != 1 ||
           response.results(0).hits_size() < static_cast<int>(k_))) {
        ++result.short_answers;
      }
    }
  }

 private:
  const std::string collection_;
  const WriterWorkload& work_;
  const uint32_t k_;
  std::mt19937_64 rng_;
};

class PhaseRunner::Writer : public Connection {
 public:
  Writer(const std::string& target, const std::string& collection,
         const WriterWorkload& work, const RunnerOptions& options,
         uint64_t seed)
      : Connection(target, options.request_deadline),
        collection_(collection),
        work_(work),
        rng_(seed) {}

  using Connection::Connect;

  // Replaces `batch` points per request until `end`.
  void Run(size_t batch, Clock::time_point end, PhaseResult& result,
           Clock::time_point& last_done) {
    while (Clock::now() < end) {
      const v1::UpsertRequest request = NextBatch(batch);
      grpc::ClientContext context;
      SetDeadline(context);
      v1::UpsertResponse response;
      const Clock::time_point sent = Clock::now();
      const grpc::Status status = stub_->Upsert(&context, request, &response);
      last_done = Clock::now();
      Record(status, Nanos(last_done - sent), result.writer);
      if (status.ok()) result.points_replaced += request.points_size();
    }
  }

 private:
  // `batch` distinct existing ids, each with a fresh vector.
  v1::UpsertRequest NextBatch(size_t batch) {
    const size_t n = work_.points();
    batch = std::min(batch, n);
    ids_.clear();
    while (ids_.size() < batch) ids_.insert(rng_() % n);
    v1::UpsertRequest request;
    request.set_collection(collection_);
    for (size_t id : ids_) {
      v1::Point* point = request.add_points();
      point->set_id(std::to_string(id));
      for (size_t j = 0; j < work_.dim; ++j) {
        point->add_vector(normal_(rng_));
      }
    }
    return request;
  }

  const std::string collection_;
  const WriterWorkload& work_;
  std::mt19937_64 rng_;
  std::normal_distribution<float> normal_;
  std::unordered_set<size_t> ids_;
};

WriterWorkload MakeWorkload(size_t points, size_t dim, size_t num_queries,
                            uint64_t seed) {
  WriterWorkload work;
  work.dim = dim;
  work.seed = seed;
  std::normal_distribution<float> normal;
  std::mt19937_64 base_rng(seed);
  work.base.resize(points * dim);
  for (float& x : work.base) x = normal(base_rng);
  std::mt19937_64 query_rng(seed ^ 0x9e3779b97f4a7c15ULL);
  work.queries.assign(num_queries, std::vector<float>(dim));
  for (auto& q : work.queries) {
    for (float& x : q) x = normal(query_rng);
  }
  return work;
}

PhaseRunner::PhaseRunner(const std::string& target,
                         const std::string& collection,
                         const WriterWorkload& work,
                         const RunnerOptions& options) {
  for (size_t c = 0; c < options.query_clients; ++c) {
    query_clients_.push_back(std::make_unique<QueryClient>(
        target, collection, work, options, work.seed * 1000003 + c + 1));
  }
  writer_ = std::make_unique<Writer>(target, collection, work, options,
                                     work.seed * 1000003 + 999);
}

PhaseRunner::~PhaseRunner() = default;

absl::Status PhaseRunner::Connect() {
  for (auto& client : query_clients_) {
    if (!client->Connect()) {
      return absl::UnavailableError("a query client did not connect");
    }
  }
  if (!writer_->Connect()) {
    return absl::UnavailableError("the writer did not connect");
  }
  return absl::OkStatus();
}

PhaseResult PhaseRunner::Run(const PhaseSpec& spec, double seconds) {
  const size_t threads = query_clients_.size() + (spec.writer_batch > 0);
  std::vector<PhaseResult> tallies(threads);
  std::vector<Clock::time_point> last_done(threads);
  std::latch go(1);
  Clock::time_point start;
  Clock::time_point end;
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      go.wait();
      if (t < query_clients_.size()) {
        query_clients_[t]->Run(end, tallies[t], last_done[t]);
      } else {
        writer_->Run(spec.writer_batch, end, tallies[t], last_done[t]);
      }
    });
  }
  start = Clock::now();
  end = start + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(seconds));
  go.count_down();
  for (std::thread& t : pool) t.join();

  PhaseResult result;
  result.spec = spec;
  Clock::time_point last = start;
  for (size_t t = 0; t < threads; ++t) {
    result.query.Merge(tallies[t].query);
    result.short_answers += tallies[t].short_answers;
    result.writer.Merge(tallies[t].writer);
    result.points_replaced += tallies[t].points_replaced;
    last = std::max(last, last_done[t]);
  }
  result.seconds = std::chrono::duration<double>(last - start).count();
  return result;
}

}  // namespace vecdb::bench
