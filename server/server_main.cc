// vecdb-server: serves the collections of one data directory over gRPC.
//
//   vecdb-server --listen=0.0.0.0:50051 --data_dir=/var/lib/vecdb
//
// Prints "vecdb-server listening on <addr> (data: <dir>, sync: <mode>)" once
// it serves. SIGTERM or SIGINT shut it down gracefully (calls in flight get
// 10 s), then the engine is closed, which checkpoints every graph.
// Exit codes: 0 after a graceful shutdown, 1 for bad flags, 2 when the
// engine cannot be opened or the server cannot start.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "collection/engine.h"
#include "server/server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "host:port to listen on (port 0 picks a free port)");
ABSL_FLAG(std::string, data_dir, "./data", "data directory");
ABSL_FLAG(std::string, sync, "fsync",
          "fsync: the WAL is synced before a write is acknowledged; none: "
          "writes survive a process crash but not a power loss");
ABSL_FLAG(int32_t, max_message_bytes, 64 << 20,
          "largest request or response message, in bytes");
ABSL_FLAG(int64_t, max_batch, 10000,
          "most points, ids or query vectors in one request");
ABSL_FLAG(int32_t, threads, 0,
          "most threads serving calls (0 = max(128, 16 * cores))");
ABSL_FLAG(uint64_t, checkpoint_every_ops, 100000,
          "write a graph checkpoint after this many operations (0 = only at "
          "shutdown)");

ABSL_FLAG(double, compact_fraction, 0.2,
          "compact a collection's graph in the background once replaced or "
          "deleted vectors occupy this fraction of its slots (0 < f <= 1)");

ABSL_FLAG(int, link_nice, 5,
          "niceness (0..19) of the threads that link written vectors into "
          "the graph and compact it: higher leaves more CPU to queries, 0 "
          "gives writes the same share");

ABSL_FLAG(std::vector<std::string>, embedder_key_urls,
          std::vector<std::string>({"https://api.openai.com/"}),
          "comma-separated URL prefixes Retrieve may send an API key from "
          "this server's environment to (a collection's recorded openai "
          "embedder names the endpoint and the key's variable); empty: "
          "never");

namespace vecdb {
namespace {

constexpr int kExitBadFlags = 1;
constexpr int kExitCannotServe = 2;

int Run() {
  const std::string sync = absl::GetFlag(FLAGS_sync);
  if (sync != "fsync" && sync != "none") {
    std::cerr << "vecdb-server: --sync must be fsync or none, got " << sync
              << "\n";
    return kExitBadFlags;
  }
  if (absl::GetFlag(FLAGS_max_batch) <= 0 ||
      absl::GetFlag(FLAGS_max_message_bytes) <= 0 ||
      absl::GetFlag(FLAGS_threads) < 0 ||
      !(absl::GetFlag(FLAGS_compact_fraction) > 0 &&
        absl::GetFlag(FLAGS_compact_fraction) <= 1) ||
      absl::GetFlag(FLAGS_link_nice) < 0 ||
      absl::GetFlag(FLAGS_link_nice) > 19) {
    std::cerr << "vecdb-server: --max_batch and --max_message_bytes must be "
                 "positive, --threads must not be negative, "
                 "--compact_fraction must be in (0, 1], --link_nice in "
                 "0..19\n";
    return kExitBadFlags;
  }

  // Block the shutdown signals before any thread starts, so every thread
  // inherits the mask and only sigwait() below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  EngineOptions engine_options;
  engine_options.sync_writes = sync == "fsync";
  engine_options.checkpoint_every_ops =
      absl::GetFlag(FLAGS_checkpoint_every_ops);
  engine_options.compact_fraction = absl::GetFlag(FLAGS_compact_fraction);
  engine_options.link_nice = absl::GetFlag(FLAGS_link_nice);
  auto engine = Engine::Open(data_dir, engine_options);
  if (!engine.ok()) {
    std::cerr << "vecdb-server: cannot open " << data_dir << ": "
              << engine.status() << "\n";
    return kExitCannotServe;
  }

  ServerOptions server_options;
  server_options.listen_address = absl::GetFlag(FLAGS_listen);
  server_options.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  server_options.max_batch =
      static_cast<size_t>(absl::GetFlag(FLAGS_max_batch));
  server_options.max_threads = absl::GetFlag(FLAGS_threads);
  server_options.embedder_keys.key_url_prefixes =
      absl::GetFlag(FLAGS_embedder_key_urls);
  auto server = StartServer(engine->get(), server_options);
  if (!server.ok()) {
    std::cerr << "vecdb-server: " << server.status() << "\n";
    (void)(*engine)->Close();
    return kExitCannotServe;
  }
  std::cout << "vecdb-server listening on " << (*server)->address()
            << " (data: " << data_dir << ", sync: " << sync << ")" << std::endl;

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::cerr << "vecdb-server: signal " << signal_number << ", shutting down\n";
  (*server)->Shutdown(std::chrono::seconds(10));
  server->reset();
  std::cerr << "vecdb-server: stopped serving, closing the engine\n";
  if (absl::Status closed = (*engine)->Close(); !closed.ok()) {
    // Writes are durable in RocksDB already; a missing checkpoint only
    // means a longer recovery at the next start.
    std::cerr << "vecdb-server: close: " << closed << "\n";
  }
  return 0;
}

}  // namespace
}  // namespace vecdb

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves a vecdb data directory over gRPC.\n"
      "Usage: vecdb-server [--listen=host:port] [--data_dir=dir] "
      "[--sync=fsync|none]");
  // --help lists the flags of this file (by default Abseil looks for a file
  // named after the program).
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = [](absl::string_view file) {
    return absl::EndsWith(file, "server/server_main.cc");
  };
  absl::SetFlagsUsageConfig(usage);
  absl::ParseCommandLine(argc, argv);
  return vecdb::Run();
}
