#include "benchmarks/load/load_run.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <latch>
#include <random>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "benchmarks/load/open_loop_schedule.h"
#include "benchmarks/load/vector_noise.h"
#include "vecdb/v1/vecdb.grpc.pb.h"

namespace vecdb::bench::load {
namespace {

using Clock = std::chrono::steady_clock;

int64_t Nanos(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
}

Clock::duration Seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(s));
}

// State shared by the client threads of one run.
struct Shared {
  // Closed loop with a request bound: measured requests claimed so far.
  std::atomic<uint64_t> tickets{0};
  std::latch ready;
  std::latch go{1};
  Clock::time_point start;  // written before `go` opens

  explicit Shared(size_t clients) : ready(static_cast<ptrdiff_t>(clients)) {}
};

// One client thread: its channel, stub, random stream and tallies.
class LoadClient {
 public:
  LoadClient(const RunConfig& config, const Dataset& data, size_t index)
      : config_(config),
        data_(data),
        index_(index),
        rng_(config.seed * 1000003 + index) {
    grpc::ChannelArguments args;
    // Without a local pool, channels to one target share a connection.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetMaxReceiveMessageSize(64 << 20);
    args.SetMaxSendMessageSize(64 << 20);
    channel_ = grpc::CreateCustomChannel(
        config.target, grpc::InsecureChannelCredentials(), args);
    stub_ = v1::VectorDB::NewStub(channel_);
  }

  void Run(Shared& shared) {
    channel_->WaitForConnected(Deadline());
    shared.ready.count_down();
    shared.go.wait();
    if (config_.mode == LoadMode::kClosed) {
      RunClosed(shared);
    } else {
      RunRate(shared.start);
    }
  }

  RunResult& tally() { return tally_; }
  Clock::time_point last_done() const { return last_done_; }

 private:
  std::chrono::system_clock::time_point Deadline() const {
    return std::chrono::system_clock::now() +
           std::chrono::duration_cast<std::chrono::system_clock::duration>(
               std::chrono::duration<double>(config_.deadline_seconds));
  }

  void RunClosed(Shared& shared) {
    const Clock::time_point warm_end =
        shared.start + Seconds(config_.warmup_seconds);
    for (;;) {
      const Clock::time_point sent = Clock::now();
      if (config_.duration_seconds &&
          sent >= warm_end + Seconds(*config_.duration_seconds)) {
        break;
      }
      const bool measured = sent >= warm_end;
      if (measured && config_.requests &&
          shared.tickets.fetch_add(1) >= *config_.requests) {
        break;
      }
      const Op op = config_.mix.Pick(uniform_(rng_));
      const grpc::Status status = Send(op, measured);
      const Clock::time_point done = Clock::now();
      if (measured) Record(op, status, Nanos(done - sent), done);
    }
  }

  void RunRate(Clock::time_point start) {
    const OpenLoopSchedule schedule(config_.rate, config_.clients);
    const uint64_t first = schedule.FirstIndexAtOrAfter(config_.warmup_seconds);
    // Run-wide index bound of the measured window (exclusive).
    uint64_t limit = UINT64_MAX;
    if (config_.requests) limit = first + *config_.requests;
    if (config_.duration_seconds) {
      limit = std::min(limit, schedule.FirstIndexAtOrAfter(
                                  config_.warmup_seconds +
                                  *config_.duration_seconds));
    }
    const Clock::time_point window_end =
        start + Seconds(limit == UINT64_MAX ? 1e9 : schedule.DueSeconds(limit));
    for (uint64_t j = 0;; ++j) {
      const uint64_t g = schedule.GlobalIndex(index_, j);
      if (g >= limit) break;
      const Clock::time_point due = start + Seconds(schedule.DueSeconds(g));
      std::this_thread::sleep_until(due);
      const Clock::time_point sent = Clock::now();
      const bool measured = g >= first;
      if (measured && config_.duration_seconds && sent >= window_end) {
        // Behind schedule at the close: the rest of the window never left.
        // Each still counts in the latencies, as waiting from its due time
        // to now (a lower bound), so a backlog shows in the tail.
        const uint64_t end = schedule.FirstLocalIndexFrom(index_, limit);
        tally_.dropped += end - j;
        for (uint64_t r = j; r < end; ++r) {
          const Clock::time_point due_r =
              start + Seconds(schedule.DueSeconds(
                          schedule.GlobalIndex(index_, r)));
          const Op op = config_.mix.Pick(uniform_(rng_));
          tally_.ops[static_cast<size_t>(op)].latency.Record(
              Nanos(sent - due_r));
        }
        break;
      }
      if (measured && Nanos(sent - due) > config_.late_ms * 1e6) ++tally_.late;
      const Op op = config_.mix.Pick(uniform_(rng_));
      const grpc::Status status = Send(op, measured);
      const Clock::time_point done = Clock::now();
      if (measured) Record(op, status, Nanos(done - due), done);
    }
  }

  grpc::Status Send(Op op, bool measured) {
    return op == Op::kQuery ? SendQuery(measured) : SendUpsert();
  }

  grpc::Status SendQuery(bool measured) {
    const size_t num_queries = data_.queries.size();
    const size_t first = rng_() % num_queries;
    v1::QueryRequest request;
    request.set_collection(config_.collection);
    request.set_k(config_.k);
    request.set_ef(config_.ef);
    for (size_t b = 0; b < config_.query_batch; ++b) {
      const std::vector<float>& q = data_.queries[(first + b) % num_queries];
      request.add_queries()->mutable_values()->Add(q.begin(), q.end());
    }
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::QueryResponse response;
    grpc::Status status = stub_->Query(&context, request, &response);
    if (status.ok() && measured) {
      for (int r = 0; r < response.results_size(); ++r) {
        CountRecall(response.results(r), (first + r) % num_queries);
      }
    }
    return status;
  }

  void CountRecall(const v1::QueryResult& result, size_t query) {
    const std::vector<uint32_t>& truth = data_.truth[query];
    const size_t k = std::min<size_t>(config_.k, truth.size());
    const std::vector<uint32_t> want(truth.begin(), truth.begin() + k);
    const int hits = std::min<int>(result.hits_size(), static_cast<int>(k));
    for (int h = 0; h < hits; ++h) {
      uint32_t id = 0;
      if (absl::SimpleAtoi(result.hits(h).point().id(), &id) &&
          std::find(want.begin(), want.end(), id) != want.end()) {
        ++tally_.recall_found;
      }
    }
    tally_.recall_asked += k;
    tally_.recall_k = k;
    ++tally_.query_vectors;
  }

  // Rewrites `upsert_batch` consecutive base rows with their own vectors
  // (kSame) or with new ones near them (kNew).
  grpc::Status SendUpsert() {
    const size_t num_base = data_.num_base();
    const size_t first = rng_() % num_base;
    const size_t batch = std::min(config_.upsert_batch, num_base);
    v1::UpsertRequest request;
    request.set_collection(config_.collection);
    for (size_t b = 0; b < batch; ++b) {
      const size_t row = (first + b) % num_base;
      v1::Point* point = request.add_points();
      point->set_id(std::to_string(row));
      if (config_.upsert_vectors == UpsertVectors::kNew) {
        replacement_.resize(data_.dim);
        PerturbRow(data_.row(row), data_.dim, config_.upsert_sigma, rng_,
                   replacement_.data());
        point->mutable_vector()->Add(replacement_.begin(), replacement_.end());
      } else {
        point->mutable_vector()->Add(data_.row(row),
                                     data_.row(row) + data_.dim);
      }
    }
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    v1::UpsertResponse response;
    return stub_->Upsert(&context, request, &response);
  }

  void Record(Op op, const grpc::Status& status, int64_t nanos,
              Clock::time_point done) {
    OpStats& stats = tally_.ops[static_cast<size_t>(op)];
    if (status.ok()) {
      ++stats.ok;
      stats.latency.Record(nanos);
    } else {
      ++stats.errors[StatusCodeName(status.error_code())];
      // At a target rate a failure took its time from the schedule too
      // (a deadline, say): leaving it out would hide the slowest calls.
      if (config_.mode == LoadMode::kRate) stats.latency.Record(nanos);
    }
    last_done_ = done;
  }

  const RunConfig& config_;
  const Dataset& data_;
  const size_t index_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  std::vector<float> replacement_;  // kNew: the vector being written
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::VectorDB::Stub> stub_;
  RunResult tally_;
  Clock::time_point last_done_{};
};

}  // namespace

uint64_t RunResult::requests() const {
  uint64_t n = 0;
  for (const OpStats& op : ops) n += op.ok + op.failed();
  return n;
}

uint64_t RunResult::failed() const {
  uint64_t n = 0;
  for (const OpStats& op : ops) n += op.failed();
  return n;
}

double RunResult::Recall() const {
  return recall_asked == 0 ? 0
                           : static_cast<double>(recall_found) / recall_asked;
}

RunResult RunLoad(const RunConfig& config, const Dataset& data) {
  std::vector<std::unique_ptr<LoadClient>> clients;
  for (size_t c = 0; c < config.clients; ++c) {
    clients.push_back(std::make_unique<LoadClient>(config, data, c));
  }
  Shared shared(config.clients);
  std::vector<std::thread> threads;
  for (auto& client : clients) {
    threads.emplace_back([&shared, c = client.get()] { c->Run(shared); });
  }
  shared.ready.wait();
  shared.start = Clock::now();
  shared.go.count_down();
  for (std::thread& t : threads) t.join();

  RunResult result;
  result.clients = config.clients;
  Clock::time_point last_done{};
  for (auto& client : clients) {
    const RunResult& t = client->tally();
    for (size_t i = 0; i < kNumOps; ++i) result.ops[i].Merge(t.ops[i]);
    result.query_vectors += t.query_vectors;
    result.recall_found += t.recall_found;
    result.recall_asked += t.recall_asked;
    result.recall_k = std::max(result.recall_k, t.recall_k);
    result.late += t.late;
    result.dropped += t.dropped;
    last_done = std::max(last_done, client->last_done());
  }
  const Clock::time_point warm_end =
      shared.start + Seconds(config.warmup_seconds);
  if (last_done > warm_end) {
    result.seconds = std::chrono::duration<double>(last_done - warm_end).count();
  }
  return result;
}

}  // namespace vecdb::bench::load
