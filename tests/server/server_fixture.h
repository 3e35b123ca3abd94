// An in-process vecdb server for tests: an Engine in a TempDir, served on
// 127.0.0.1 with a free port, and a stub connected to it. Plus helpers to
// build requests and to check statuses.
#ifndef VECDB_TESTS_SERVER_SERVER_FIXTURE_H_
#define VECDB_TESTS_SERVER_SERVER_FIXTURE_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "collection/engine.h"
#include "server/server.h"
#include "tests/testing/test_data.h"
#include "vecdb/v1/vecdb.grpc.pb.h"

namespace vecdb::testing {

// Batch limit of TestServer, small so that over-limit requests stay cheap.
inline constexpr size_t kTestMaxBatch = 100;

class TestServer {
 public:
  // Fails the test if the engine or the server cannot start.
  explicit TestServer(EmbedderKeyPolicy embedder_keys = {});
  ~TestServer();

  v1::VectorDB::Stub& stub() { return *stub_; }
  const std::shared_ptr<grpc::Channel>& channel() { return channel_; }

  // Creates a collection through the API; fails the test on error.
  void CreateCollection(const std::string& name, uint32_t dimension,
                        v1::Metric metric);
  // Count of a collection through the API; fails the test on error.
  uint64_t Count(const std::string& name);

 private:
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<RunningServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::VectorDB::Stub> stub_;
};

v1::Point MakePoint(const std::string& id, const std::vector<float>& vector);
// A request upserting `points` into `collection`.
v1::UpsertRequest MakeUpsert(const std::string& collection,
                             const std::vector<v1::Point>& points);

// Calls stub.<Method>(request) with a fresh context and a 30 s deadline.
#define VECDB_CALL(stub, Method, request, response)                \
  [&] {                                                            \
    grpc::ClientContext vecdb_context_;                            \
    vecdb_context_.set_deadline(std::chrono::system_clock::now() + \
                                std::chrono::seconds(30));         \
    return (stub).Method(&vecdb_context_, (request), &(response)); \
  }()

// Checks code and that the message contains `text`; prints both on failure.
#define CHECK_STATUS(status, expected_code, text)                    \
  do {                                                               \
    const grpc::Status vecdb_s_ = (status);                          \
    INFO("status: " << vecdb_s_.error_code() << " "                  \
                    << vecdb_s_.error_message());                    \
    CHECK(vecdb_s_.error_code() == (expected_code));                 \
    CHECK(vecdb_s_.error_message().find(text) != std::string::npos); \
  } while (false)

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_SERVER_SERVER_FIXTURE_H_
