// A damaged graph checkpoint must not stop the server: after a graceful stop
// the files under <data_dir>/indexes/ are truncated, bit-flipped, replaced
// with garbage, emptied or removed, and each time the restarted server must
// serve every point, find each by its own vector, and say on stderr that it
// rebuilt the graph from RocksDB.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/crash/crash_support.h"
#include "tests/crash/point_model.h"
#include "tests/crash/rpc_util.h"
#include "tests/crash/server_process.h"
#include "tests/crash/verifier.h"
#include "tests/crash/writer_state.h"
#include "tests/testing/test_data.h"

namespace vecdb::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kCollection[] = "ckpt";
constexpr uint32_t kDim = 16;
constexpr uint32_t kKeys = 1000;
constexpr uint32_t kBatch = 100;

enum class Damage { kTruncateHalf, kFlipMiddle, kGarbage, kEmpty, kRemove };

const char* Name(Damage damage) {
  switch (damage) {
    case Damage::kTruncateHalf:
      return "truncated to half";
    case Damage::kFlipMiddle:
      return "bytes flipped in the middle";
    case Damage::kGarbage:
      return "replaced with garbage";
    case Damage::kEmpty:
      return "zero length";
    case Damage::kRemove:
      return "removed";
  }
  return "?";
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

std::string Damaged(std::string bytes, Damage damage, std::mt19937_64& rng) {
  switch (damage) {
    case Damage::kTruncateHalf:
      bytes.resize(bytes.size() / 2);
      break;
    case Damage::kFlipMiddle:
      for (size_t i = bytes.size() / 2;
           i < std::min(bytes.size(), bytes.size() / 2 + 16); ++i) {
        bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
      }
      break;
    case Damage::kGarbage:
      for (char& c : bytes) c = static_cast<char>(rng());
      break;
    case Damage::kEmpty:
    case Damage::kRemove:
      bytes.clear();
      break;
  }
  return bytes;
}

int64_t Millis(std::chrono::steady_clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

bool MentionsRebuild(std::string log) {
  std::transform(log.begin(), log.end(), log.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return log.find("rebuil") != std::string::npos;
}

// Whether the secondary indexes were read back from RocksDB's entries.
bool MentionsSecondaryFallback(const std::string& log) {
  return log.find("reading metadata and text indexes from RocksDB") !=
         std::string::npos;
}

// Fills the collection: kKeys points at version 1, then every 7th deleted,
// so the graph has deleted slots too.
void Populate(vecdb::v1::VectorDB::Stub& stub, WriterState& writer) {
  for (uint32_t begin = 0; begin < kKeys; begin += kBatch) {
    WriteOp op;
    vecdb::v1::UpsertRequest request;
    request.set_collection(kCollection);
    for (uint32_t key = begin; key < std::min(kKeys, begin + kBatch); ++key) {
      op.keys.push_back(key);
      op.versions.push_back(1);
      *request.add_points() = ModelPoint(writer.Id(key), 1, kDim);
    }
    vecdb::v1::UpsertResponse response;
    auto context = NewContext();
    REQUIRE_OK(
        FromGrpc(stub.Upsert(context.get(), request, &response), "Upsert"));
    writer.Ack(op);
  }
  WriteOp deletes;
  deletes.kind = WriteOp::Kind::kDelete;
  vecdb::v1::DeleteRequest request;
  request.set_collection(kCollection);
  for (uint32_t key = 0; key < kKeys; key += 7) {
    deletes.keys.push_back(key);
    request.add_ids(writer.Id(key));
  }
  vecdb::v1::DeleteResponse response;
  auto context = NewContext();
  REQUIRE_OK(
      FromGrpc(stub.Delete(context.get(), request, &response), "Delete"));
  CHECK(response.deleted() == deletes.keys.size());
  writer.Ack(deletes);
}

// Starts the server, checks every point and self-query, stops it; returns
// the server's stderr.
std::string StartVerifyStop(ServerProcess& server, const ServerOptions& options,
                            const std::string& tag,
                            std::vector<WriterState>& writers) {
  const auto start = std::chrono::steady_clock::now();
  REQUIRE_OK(server.Start(options, tag));
  const auto listening = std::chrono::steady_clock::now();
  INFO("server stderr:\n" << server.StderrTail());
  {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        Connect(server.address());
    REQUIRE_OK(channel.status());
    auto stub = vecdb::v1::VectorDB::NewStub(*channel);
    absl::StatusOr<VerifyReport> report =
        VerifyCollection(*stub, kCollection, kDim, writers);
    REQUIRE_OK(report.status());
    CHECK(report->live == kKeys - (kKeys + 6) / 7);
  }
  const auto verified = std::chrono::steady_clock::now();
  REQUIRE_OK(server.Stop(std::chrono::seconds(60)));
  std::cout << "checkpoint test, " << tag << ": restart "
            << Millis(listening - start) << " ms, verify "
            << Millis(verified - listening) << " ms, stop "
            << Millis(std::chrono::steady_clock::now() - verified) << " ms"
            << std::endl;
  return server.Stderr();
}

TEST_CASE("a damaged checkpoint is rebuilt from RocksDB", "[crash]") {
  TempDir data;
  TempDir logs;
  const ServerOptions options = CrashServerOptions(data.path(), logs.path());
  std::vector<WriterState> writers;
  writers.emplace_back(0, kKeys);
  ServerProcess server;

  REQUIRE_OK(server.Start(options, "populate"));
  {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        Connect(server.address());
    REQUIRE_OK(channel.status());
    auto stub = vecdb::v1::VectorDB::NewStub(*channel);
    REQUIRE_OK(
        CreateCollection(*stub, kCollection, kDim, vecdb::v1::METRIC_COSINE));
    Populate(*stub, writers[0]);
  }
  REQUIRE_OK(server.Stop(std::chrono::seconds(60)));  // writes the checkpoint

  const fs::path indexes = fs::path(data.path()) / "indexes";
  std::map<fs::path, std::string> pristine;
  for (const fs::directory_entry& entry : fs::directory_iterator(indexes)) {
    if (entry.is_regular_file()) {
      pristine[entry.path()] = ReadFileOrEmpty(entry.path().string());
    }
  }
  INFO("populate stderr:\n" << server.StderrTail());
  // The graph's <cid>.ckpt and the secondary indexes' <cid>.sec.
  REQUIRE(pristine.size() == 2);
  for (const auto& [path, bytes] : pristine) {
    INFO(path);
    CHECK((path.extension() == ".ckpt" || path.extension() == ".sec"));
    CHECK(bytes.size() > 1000);
  }

  // Control: the intact checkpoints load without a rebuild.
  const std::string intact =
      StartVerifyStop(server, options, "intact", writers);
  CHECK_FALSE(MentionsRebuild(intact));
  CHECK_FALSE(MentionsSecondaryFallback(intact));

  std::mt19937_64 rng(7);
  for (Damage damage : {Damage::kTruncateHalf, Damage::kFlipMiddle,
                        Damage::kGarbage, Damage::kEmpty, Damage::kRemove}) {
    INFO("checkpoint " << Name(damage));
    for (const auto& [path, bytes] : pristine) {
      if (damage == Damage::kRemove) {
        fs::remove(path);
      } else {
        WriteFile(path, Damaged(bytes, damage, rng));
      }
    }
    const std::string log = StartVerifyStop(
        server, options, absl::StrCat("damaged-", static_cast<int>(damage)),
        writers);
    INFO("stderr:\n" << log);
    CHECK(MentionsRebuild(log));
    CHECK(MentionsSecondaryFallback(log));
  }
}

}  // namespace
}  // namespace vecdb::testing
