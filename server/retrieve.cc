#include "server/retrieve.h"

#include <chrono>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/status_macros.h"
#include "common/string_view.h"
#include "embed/openai_embedder.h"
#include "retrieval/context.h"
#include "server/query_convert.h"
#include "server/retrieve_convert.h"
#include "text/tokenizer.h"
#include "text/utf8.h"

namespace vecdb {
namespace {

// Bounds on the transport settings of an openai embedder for the query:
// at most 3 attempts of 30 s each, waits from 1 s between them.
constexpr uint64_t kMaxQueryTimeoutMs = 30000;
constexpr uint64_t kMaxQueryRetries = 2;
constexpr uint64_t kMaxQueryBackoffMs = 1000;

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

// The Query request a Retrieve request stands for, with the query text as
// its one text query: collection, k (0 -> 10), ef, filter and hybrid
// parameters are then checked and converted exactly as for Query.
v1::QueryRequest AsQueryRequest(const v1::RetrieveRequest& request) {
  v1::QueryRequest query;
  query.set_collection(request.collection());
  query.add_text_queries(request.query());
  query.set_k(request.k() == 0 ? kDefaultRetrieveK : request.k());
  query.set_ef(request.ef());
  if (request.has_filter()) *query.mutable_filter() = request.filter();
  *query.mutable_hybrid() = request.hybrid();
  return query;
}

absl::Status ValidateQueryText(const std::string& query) {
  if (query.empty()) return Invalid("query", "must not be empty");
  if (query.size() > kMaxRetrieveQueryBytes) {
    return Invalid("query",
                   absl::StrCat(query.size(), " bytes exceed the limit of ",
                                kMaxRetrieveQueryBytes));
  }
  if (!text::IsValidUtf8(query)) return Invalid("query", "not valid UTF-8");
  return absl::OkStatus();
}

absl::Status ValidateBudget(absl::string_view field, uint32_t value,
                            uint32_t max) {
  if (value > max) {
    return Invalid(field, absl::StrCat("must be 0 (no limit) or in 1..", max,
                                       ", got ", value));
  }
  return absl::OkStatus();
}

// UNSPECIFIED becomes HYBRID when the query has words for BM25, else DENSE.
// TEXT and HYBRID need words.
absl::StatusOr<v1::RetrieveMode> ResolveMode(v1::RetrieveMode mode,
                                             const std::string& query) {
  const bool has_words = !text::Tokenize(query).empty();
  if (mode == v1::RETRIEVE_MODE_UNSPECIFIED) {
    return has_words ? v1::RETRIEVE_MODE_HYBRID : v1::RETRIEVE_MODE_DENSE;
  }
  if (mode != v1::RETRIEVE_MODE_DENSE && !has_words) {
    return Invalid("query", "has no words for a text or hybrid search");
  }
  return mode;
}

absl::Status NoProfile(std::string_view collection) {
  return absl::FailedPreconditionError(absl::StrCat(
      "collection '", AsAbsl(collection),
      "' has no ingest profile: ingest it with vecdb-ingest (or create it "
      "with a profile naming its embedder) to use Retrieve"));
}

// Embed errors keep their code; a rejected text (the hash embedder's "no
// features") is the query's fault.
absl::Status EmbedError(const absl::Status& status,
                        const embed::Embedder& embedder) {
  if (absl::IsInvalidArgument(status)) {
    // The embedder names the text by its index ("texts[0]: ..."); the
    // request names it "query".
    absl::string_view message = status.message();
    for (absl::string_view prefix : {"texts[0]: ", "text[0]: "}) {
      if (absl::StartsWith(message, prefix)) {
        message.remove_prefix(prefix.size());
      }
    }
    return Invalid("query", message);
  }
  return absl::Status(status.code(),
                      absl::StrCat("embedding the query with ",
                                   embed::DescribeEmbedder(embedder.spec()),
                                   ": ", status.message()));
}

// `recorded` with the transport settings of an openai embedder bounded for
// an interactive call: a collection records the settings of its ingest
// runs, where minutes of retries are fine, but a Retrieve must not hold a
// server thread that long. Transport settings do not change the vectors.
EmbedderSpec QueryEmbedderSpec(const EmbedderSpec& recorded) {
  if (recorded.name != "openai") return recorded;
  // Canonical: every setting present, as digits. A bad spec is left for
  // MakeEmbedder to report.
  absl::StatusOr<EmbedderSpec> spec = embed::CanonicalOpenAiSpec(recorded);
  if (!spec.ok()) return recorded;
  for (const auto& [name, max] :
       {std::pair{"timeout_ms", kMaxQueryTimeoutMs},
        std::pair{"max_retries", kMaxQueryRetries},
        std::pair{"backoff_ms", kMaxQueryBackoffMs}}) {
    std::string& value = spec->parameters[name];
    uint64_t number = 0;
    if (!absl::SimpleAtoi(value, &number) || number > max) {
      value = absl::StrCat(max);
    }
  }
  return *std::move(spec);
}

// The parameter's recorded value, or `fallback` when it is not recorded.
std::string ParameterOr(const EmbedderSpec& spec, std::string_view key,
                        std::string_view fallback) {
  auto it = spec.parameters.find(key);
  return std::string(it != spec.parameters.end() ? std::string_view(it->second)
                                                  : fallback);
}

// EmbedderKeyPolicy: a key from this server's environment goes only to an
// allowed endpoint.
absl::Status CheckKeyPolicy(std::string_view collection,
                            const EmbedderSpec& spec,
                            const EmbedderKeyPolicy& policy) {
  if (spec.name != "openai") return absl::OkStatus();
  const std::string variable =
      ParameterOr(spec, "api_key_env", "OPENAI_API_KEY");
  const char* key = std::getenv(variable.c_str());
  if (key == nullptr || *key == '\0') return absl::OkStatus();
  const std::string url =
      ParameterOr(spec, "base_url", "https://api.openai.com/v1");
  for (const std::string& prefix : policy.key_url_prefixes) {
    if (!prefix.empty() && absl::StartsWith(url, prefix)) {
      return absl::OkStatus();
    }
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "collection '", AsAbsl(collection), "' embeds queries at ", url,
      " with the key in $", variable,
      ", and this server sends keys only to endpoints starting with one of [",
      absl::StrJoin(policy.key_url_prefixes, ", "),
      "] (vecdb-server --embedder_key_urls)"));
}

uint64_t MicrosSince(std::chrono::steady_clock::time_point start) {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - start)
          .count());
}

}  // namespace

absl::Status ValidateRetrieveRequest(const v1::RetrieveRequest& request,
                                     const RequestLimits& limits) {
  if (request.collection().empty()) {
    return Invalid("collection", "must not be empty");
  }
  VECDB_RETURN_IF_ERROR(ValidateQueryText(request.query()));
  VECDB_RETURN_IF_ERROR(ValidateRequest(AsQueryRequest(request), limits));
  if (!v1::RetrieveMode_IsValid(request.mode())) {
    return Invalid("mode", absl::StrCat("unknown value ", request.mode()));
  }
  VECDB_RETURN_IF_ERROR(ValidateBudget(
      "max_context_chars", request.max_context_chars(), kMaxContextChars));
  return ValidateBudget("max_context_tokens", request.max_context_tokens(),
                        kMaxContextTokens);
}

Retriever::Retriever(Engine* engine, const RequestLimits& limits,
                     EmbedderKeyPolicy key_policy)
    : engine_(engine), limits_(limits), key_policy_(std::move(key_policy)) {}

absl::StatusOr<std::shared_ptr<embed::Embedder>> Retriever::EmbedderFor(
    const CollectionRecord& record) {
  MutexLock lock(&mu_);
  auto it = embedders_.find(record.name);
  if (it != embedders_.end() && it->second.collection_id == record.id &&
      it->second.created_unix_ms == record.created_unix_ms) {
    return it->second.embedder;
  }
  VECDB_RETURN_IF_ERROR(
      CheckKeyPolicy(record.name, record.ingest.embedder, key_policy_));
  VECDB_ASSIGN_OR_RETURN(
      std::unique_ptr<embed::Embedder> made,
      embed::MakeEmbedder(QueryEmbedderSpec(record.ingest.embedder)));
  std::shared_ptr<embed::Embedder> embedder = std::move(made);
  embedders_[record.name] = {record.id, record.created_unix_ms, embedder};
  return embedder;
}

absl::Status Retriever::Retrieve(const v1::RetrieveRequest& request,
                                 v1::RetrieveResponse* response) {
  VECDB_RETURN_IF_ERROR(ValidateRetrieveRequest(request, limits_));
  VECDB_ASSIGN_OR_RETURN(auto collection,
                         engine_->GetCollection(request.collection()));
  const CollectionRecord& record = collection->record();
  if (record.ingest.empty()) return NoProfile(record.name);
  VECDB_ASSIGN_OR_RETURN(v1::RetrieveMode mode,
                         ResolveMode(request.mode(), request.query()));
  response->set_mode(mode);

  std::vector<std::vector<float>> vectors;
  if (mode != v1::RETRIEVE_MODE_TEXT) {
    const auto start = std::chrono::steady_clock::now();
    VECDB_ASSIGN_OR_RETURN(auto embedder, EmbedderFor(record));
    auto embedded = embedder->Embed({request.query()});
    if (!embedded.ok()) return EmbedError(embedded.status(), *embedder);
    vectors = *std::move(embedded);
    if (vectors.size() != 1 || vectors[0].size() != record.dimension) {
      return absl::InternalError(absl::StrCat(
          "embedder ", embed::DescribeEmbedder(embedder->spec()), " returned ",
          vectors.empty() ? 0 : vectors[0].size(),
          " components; the collection's dimension is ", record.dimension));
    }
    response->set_embed_micros(MicrosSince(start));
  }
  std::vector<std::string> texts;
  if (mode != v1::RETRIEVE_MODE_DENSE) texts.push_back(request.query());

  VECDB_ASSIGN_OR_RETURN(
      QueryOptions options,
      QueryOptionsFromProto(AsQueryRequest(request), Fusion::kRelativeScore));
  options.include = {.vector = false, .metadata = true, .document = true};
  const auto start = std::chrono::steady_clock::now();
  VECDB_ASSIGN_OR_RETURN(std::vector<QueryResult> results,
                         collection->Search(vectors, texts, options));
  response->set_search_micros(MicrosSince(start));

  std::vector<retrieval::RetrievedChunk> chunks =
      ChunksFromHits(std::move(results.at(0).hits));
  retrieval::ContextBudget budget{.max_chars = request.max_context_chars(),
                                  .max_tokens = request.max_context_tokens()};
  if (budget.max_chars == 0 && budget.max_tokens == 0) {
    budget.max_chars = kDefaultContextChars;
  }
  RetrievedToProto(chunks, retrieval::AssembleContext(chunks, budget),
                   response);
  return absl::OkStatus();
}

}  // namespace vecdb
