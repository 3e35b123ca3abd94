// One request per batch of inputs, with retries; the reply is checked
// item by item so that a malformed one is reported precisely. A dimension
// learnt from the first reply is published as a new immutable spec through
// an atomic pointer, so spec() never races with Embed.

#include "embed/openai_embedder.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/mutex.h"
#include "common/status_macros.h"
#include "common/types.h"
#include "embed/http_client.h"
#include "embed/spec_params.h"

namespace vecdb::embed {
namespace {

using Json = nlohmann::json;
using Vectors = std::vector<std::vector<float>>;

constexpr int64_t kMaxBackoffMs = 30000;
constexpr int64_t kMaxRetryAfterMs = 60000;
constexpr size_t kMaxServerMessageBytes = 300;

struct OpenAiSettings {
  EmbedderSpec canonical;
  std::string base_url;
  std::string api_key_env;
  uint64_t batch_size = 0;
  uint64_t timeout_ms = 0;
  uint64_t max_retries = 0;
  uint64_t backoff_ms = 0;
  bool send_dimensions = false;
};

absl::StatusOr<OpenAiSettings> ParseOpenAiSpec(const EmbedderSpec& spec) {
  if (spec.model.empty()) {
    return absl::InvalidArgumentError(
        "openai: model is required (e.g. text-embedding-3-small)");
  }
  if (spec.dimension > kMaxDimension) {
    return absl::InvalidArgumentError(
        absl::StrCat("openai: dimension must be at most ", kMaxDimension,
                     ", got ", spec.dimension));
  }
  OpenAiSettings s;
  SpecParamReader reader("openai", spec.parameters);
  s.base_url = reader.String("base_url", "https://api.openai.com/v1");
  while (absl::EndsWith(s.base_url, "/")) s.base_url.pop_back();
  if (!absl::StartsWith(s.base_url, "http://") &&
      !absl::StartsWith(s.base_url, "https://")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "openai: parameter base_url must start with http:// or https://, "
        "got \"",
        s.base_url, "\""));
  }
  s.api_key_env = reader.String("api_key_env", "OPENAI_API_KEY");
  VECDB_ASSIGN_OR_RETURN(s.batch_size,
                         reader.Uint("batch_size", 64, 1, 100000));
  VECDB_ASSIGN_OR_RETURN(s.timeout_ms,
                         reader.Uint("timeout_ms", 30000, 1, 3600000));
  VECDB_ASSIGN_OR_RETURN(s.max_retries, reader.Uint("max_retries", 5, 0, 100));
  VECDB_ASSIGN_OR_RETURN(s.backoff_ms,
                         reader.Uint("backoff_ms", 500, 0, kMaxBackoffMs));
  VECDB_ASSIGN_OR_RETURN(s.send_dimensions, reader.Bool("dimensions", false));
  VECDB_RETURN_IF_ERROR(reader.CheckAllRead());
  if (s.send_dimensions && spec.dimension == 0) {
    return absl::InvalidArgumentError(
        "openai: parameter dimensions needs a dimension to send");
  }
  s.canonical.name = "openai";
  s.canonical.model = spec.model;
  s.canonical.dimension = spec.dimension;
  s.canonical.parameters = {{"base_url", s.base_url},
                            {"api_key_env", s.api_key_env},
                            {"batch_size", absl::StrCat(s.batch_size)},
                            {"timeout_ms", absl::StrCat(s.timeout_ms)},
                            {"max_retries", absl::StrCat(s.max_retries)},
                            {"backoff_ms", absl::StrCat(s.backoff_ms)},
                            {"dimensions", BoolParam(s.send_dimensions)}};
  return s;
}

// The first `max_bytes` of `text`, cut at a UTF-8 character boundary.
std::string Truncate(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end) + "...";
}

// The error message in a refused request's body: OpenAI's
// {"error": {"message": ...}}, {"error": "..."} (Ollama), {"message": ...}
// or {"detail": ...}; otherwise the body itself. Truncated.
std::string ServerMessage(const std::string& body) {
  Json json = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string message = body;
  if (json.is_object()) {
    auto error = json.find("error");
    if (error != json.end() && error->is_object()) {
      auto inner = error->find("message");
      if (inner != error->end() && inner->is_string()) {
        message = inner->get<std::string>();
      }
    } else if (error != json.end() && error->is_string()) {
      message = error->get<std::string>();
    } else {
      for (const char* key : {"message", "detail"}) {
        auto it = json.find(key);
        if (it != json.end() && it->is_string()) {
          message = it->get<std::string>();
          break;
        }
      }
    }
  }
  return Truncate(message, kMaxServerMessageBytes);
}

bool Retryable(long status) { return status == 429 || status >= 500; }

// Milliseconds to wait before retry number `attempt` + 1.
int64_t RetryDelayMs(uint64_t backoff_ms, uint64_t attempt,
                     std::optional<int64_t> retry_after_seconds) {
  if (retry_after_seconds) {
    return std::min(*retry_after_seconds * 1000, kMaxRetryAfterMs);
  }
  int64_t delay = static_cast<int64_t>(backoff_ms);
  for (uint64_t i = 0; i < attempt && delay < kMaxBackoffMs; ++i) delay *= 2;
  delay = std::min(delay, kMaxBackoffMs);
  thread_local std::mt19937_64 random(std::random_device{}());
  return delay - std::uniform_int_distribution<int64_t>(0, delay / 2)(random);
}

class OpenAiEmbedder : public Embedder {
 public:
  explicit OpenAiEmbedder(OpenAiSettings settings)
      : settings_(std::move(settings)),
        url_(settings_.base_url + "/embeddings") {
    const char* key = std::getenv(settings_.api_key_env.c_str());
    if (key != nullptr) api_key_ = key;
    spec_.store(&settings_.canonical, std::memory_order_release);
  }

  const EmbedderSpec& spec() const override {
    return *spec_.load(std::memory_order_acquire);
  }

  absl::StatusOr<Vectors> Embed(absl::Span<const std::string> texts) override {
    for (size_t i = 0; i < texts.size(); ++i) {
      if (texts[i].empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("texts[", i, "]: empty"));
      }
    }
    Vectors vectors;
    vectors.reserve(texts.size());
    for (size_t first = 0; first < texts.size();
         first += settings_.batch_size) {
      auto batch = texts.subspan(first, settings_.batch_size);
      auto embedded = EmbedBatch(batch);
      if (!embedded.ok()) {
        return absl::Status(
            embedded.status().code(),
            Redact(absl::StrCat("inputs ", first, "-", first + batch.size() - 1,
                                ": ", embedded.status().message())));
      }
      for (auto& vector : *embedded) vectors.push_back(std::move(vector));
    }
    return vectors;
  }

 private:
  absl::StatusOr<Vectors> EmbedBatch(absl::Span<const std::string> texts) {
    Json request = {{"model", settings_.canonical.model},
                    {"input", Json::array()}};
    for (const std::string& text : texts) request["input"].push_back(text);
    if (settings_.send_dimensions) {
      request["dimensions"] = settings_.canonical.dimension;
    }
    // Invalid UTF-8 is replaced rather than thrown on.
    std::string body =
        request.dump(-1, ' ', false, Json::error_handler_t::replace);
    VECDB_ASSIGN_OR_RETURN(std::string reply, Post(body));
    return ParseReply(reply, texts.size());
  }

  // The body of a 2xx reply to `body`, after retries.
  absl::StatusOr<std::string> Post(const std::string& body) {
    std::vector<std::string> headers;
    if (!api_key_.empty()) {
      headers.push_back(absl::StrCat("Authorization: Bearer ", api_key_));
    }
    const uint64_t attempts = settings_.max_retries + 1;
    for (uint64_t attempt = 0;; ++attempt) {
      auto reply = http_.PostJson(url_, body, headers, settings_.timeout_ms);
      std::string failure;
      std::optional<int64_t> retry_after;
      if (!reply.ok()) {
        if (reply.status().code() != absl::StatusCode::kUnavailable) {
          return reply.status();
        }
        failure = std::string(reply.status().message());
      } else if (reply->status >= 200 && reply->status < 300) {
        return std::move(reply->body);
      } else if (Retryable(reply->status)) {
        failure = absl::StrCat("POST ", url_, ": HTTP ", reply->status, ": ",
                               ServerMessage(reply->body));
        retry_after = reply->retry_after_seconds;
      } else {
        return Refused(*reply);
      }
      if (attempt + 1 >= attempts) {
        return absl::UnavailableError(absl::StrCat(
            "gave up after ", attempts, " attempts; last: ", failure));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(
          RetryDelayMs(settings_.backoff_ms, attempt, retry_after)));
    }
  }

  absl::Status Refused(const HttpResponse& reply) const {
    std::string message = absl::StrCat("POST ", url_, ": HTTP ", reply.status,
                                       ": ", ServerMessage(reply.body));
    if (reply.status == 401 || reply.status == 403) {
      return absl::FailedPreconditionError(absl::StrCat(
          message, " (check the key in $", settings_.api_key_env, ")"));
    }
    if (reply.status >= 400 && reply.status < 500) {
      return absl::InvalidArgumentError(message);
    }
    return absl::InternalError(absl::StrCat(message, " (unexpected status)"));
  }

  absl::StatusOr<Vectors> ParseReply(const std::string& body, size_t count) {
    Json json = Json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return absl::InternalError("reply: not JSON");
    auto data = json.is_object() ? json.find("data") : json.end();
    if (!json.is_object() || data == json.end() || !data->is_array()) {
      return absl::InternalError("reply: no \"data\" array");
    }
    if (data->size() != count) {
      return absl::InternalError(absl::StrCat(
          "reply: ", data->size(), " embeddings for ", count, " inputs"));
    }
    uint32_t dimension = spec().dimension;
    Vectors vectors(count);
    std::vector<bool> seen(count, false);
    for (size_t i = 0; i < count; ++i) {
      const Json& item = (*data)[i];
      std::string where = absl::StrCat("reply: data[", i, "]");
      if (!item.is_object()) {
        return absl::InternalError(absl::StrCat(where, ": not an object"));
      }
      size_t index = i;  // Servers that leave "index" out keep input order.
      if (auto it = item.find("index"); it != item.end()) {
        if (!it->is_number_unsigned() || it->get<uint64_t>() >= count) {
          return absl::InternalError(
              absl::StrCat(where, ".index: expected a number below ", count,
                           ", got ", Truncate(it->dump(), 40)));
        }
        index = it->get<size_t>();
      }
      if (seen[index]) {
        return absl::InternalError(
            absl::StrCat(where, ".index: ", index, " given twice"));
      }
      seen[index] = true;
      VECDB_ASSIGN_OR_RETURN(vectors[index],
                             ParseEmbedding(item, where, dimension));
      if (dimension == 0) dimension = vectors[index].size();
    }
    VECDB_RETURN_IF_ERROR(Learn(dimension));
    return vectors;
  }

  // The "embedding" of `item`, of `dimension` numbers (any positive number
  // of them when `dimension` is 0).
  static absl::StatusOr<std::vector<float>> ParseEmbedding(
      const Json& item, const std::string& where, uint32_t dimension) {
    auto it = item.find("embedding");
    if (it == item.end() || !it->is_array()) {
      return absl::InternalError(
          absl::StrCat(where, ".embedding: expected an array of numbers"));
    }
    if (dimension != 0 && it->size() != dimension) {
      return absl::InternalError(absl::StrCat(where, ".embedding: expected ",
                                              dimension, " numbers, got ",
                                              it->size()));
    }
    if (it->empty() || it->size() > kMaxDimension) {
      return absl::InternalError(
          absl::StrCat(where, ".embedding: expected 1 to ", kMaxDimension,
                       " numbers, got ", it->size()));
    }
    std::vector<float> vector;
    vector.reserve(it->size());
    for (size_t j = 0; j < it->size(); ++j) {
      const Json& x = (*it)[j];
      if (!x.is_number()) {
        return absl::InternalError(
            absl::StrCat(where, ".embedding[", j, "]: not a number"));
      }
      vector.push_back(x.get<float>());
    }
    return vector;
  }

  // Records `dimension` as the embedder's when it has none yet; an error
  // if another reply set a different one meanwhile.
  absl::Status Learn(uint32_t dimension) {
    if (spec().dimension == dimension) return absl::OkStatus();
    MutexLock lock(&mu_);
    uint32_t current = spec().dimension;
    if (current == 0) {
      auto learned = std::make_unique<EmbedderSpec>(settings_.canonical);
      learned->dimension = dimension;
      spec_.store(learned.get(), std::memory_order_release);
      learned_ = std::move(learned);
      return absl::OkStatus();
    }
    if (current == dimension) return absl::OkStatus();
    return absl::InternalError(
        absl::StrCat("reply: embeddings of ", dimension,
                     " numbers, but an earlier reply had ", current));
  }

  // `message` with the API key blanked out, should a server echo it.
  std::string Redact(absl::string_view message) const {
    std::string text(message);
    if (api_key_.empty()) return text;
    return absl::StrReplaceAll(text, {{api_key_, "[api key]"}});
  }

  const OpenAiSettings settings_;
  const std::string url_;
  std::string api_key_;
  HttpClient http_;
  Mutex mu_;
  std::unique_ptr<EmbedderSpec> learned_ ABSL_GUARDED_BY(mu_);
  // settings_.canonical, or *learned_ once a dimension has been learnt.
  std::atomic<const EmbedderSpec*> spec_{nullptr};
};

}  // namespace

absl::StatusOr<EmbedderSpec> CanonicalOpenAiSpec(const EmbedderSpec& spec) {
  VECDB_ASSIGN_OR_RETURN(OpenAiSettings settings, ParseOpenAiSpec(spec));
  return std::move(settings.canonical);
}

absl::StatusOr<std::unique_ptr<Embedder>> NewOpenAiEmbedder(
    const EmbedderSpec& spec) {
  VECDB_ASSIGN_OR_RETURN(OpenAiSettings settings, ParseOpenAiSpec(spec));
  return std::unique_ptr<Embedder>(new OpenAiEmbedder(std::move(settings)));
}

}  // namespace vecdb::embed
