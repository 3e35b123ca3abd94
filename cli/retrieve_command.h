// `vecdb retrieve NAME QUERY WORDS... [--k N] [--mode auto|dense|text|hybrid]
// [--filter JSON] [--max-chars N] [--max-tokens N]`: the query words joined
// by spaces are sent to Retrieve. Prints the context block, then a
// citations table (rank, passage, doc_id, section, chars start-end, score
// or distance); with --json, the whole result as one JSON document.
//
// Thread safety: single-threaded use only (writes to the given streams).
#ifndef VECDB_CLI_RETRIEVE_COMMAND_H_
#define VECDB_CLI_RETRIEVE_COMMAND_H_

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "cli/commands.h"
#include "clients/cpp/vecdb_client.h"

namespace vecdb::cli {

// A usage error for a bad option before any call; else the server's status.
absl::Status Retrieve(const CommandContext& context);

// The --json rendering of a result.
nlohmann::json RetrieveResultToJson(const client::RetrieveResult& result);

}  // namespace vecdb::cli

#endif  // VECDB_CLI_RETRIEVE_COMMAND_H_
