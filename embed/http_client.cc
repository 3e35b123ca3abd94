// libcurl easy handles, one per call in flight; idle handles are pooled so
// that their connection caches keep connections alive. curl_global_init runs
// once per process before the first handle.

#include "embed/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace vecdb::embed {
namespace {

constexpr int64_t kMaxConnectTimeoutMs = 10000;
constexpr size_t kMaxIdleHandles = 16;

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// Reads Retry-After from each header line. A new status line (after a
// redirect or an interim 1xx reply) starts over.
size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* reply = static_cast<HttpResponse*>(user);
  absl::string_view line(data, size * count);
  if (absl::StartsWith(line, "HTTP/")) {
    reply->retry_after_seconds.reset();
  } else if (absl::StartsWithIgnoreCase(line, "retry-after:")) {
    absl::string_view value =
        absl::StripAsciiWhitespace(line.substr(std::strlen("retry-after:")));
    int64_t seconds = 0;
    if (absl::SimpleAtoi(value, &seconds) && seconds >= 0) {
      reply->retry_after_seconds = seconds;
    }
  }
  return size * count;
}

absl::Status CurlError(CURLcode code, const std::string& url,
                       const char* detail) {
  std::string message = absl::StrCat(
      "POST ", url, ": ", detail[0] ? detail : curl_easy_strerror(code));
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError(message);
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
      return absl::UnavailableError(message);
    default:
      return absl::InternalError(message);
  }
}

}  // namespace

HttpClient::HttpClient() { GlobalInit(); }

HttpClient::~HttpClient() {
  MutexLock lock(&mu_);
  for (void* handle : idle_) curl_easy_cleanup(static_cast<CURL*>(handle));
}

void* HttpClient::Acquire() {
  {
    MutexLock lock(&mu_);
    if (!idle_.empty()) {
      void* handle = idle_.back();
      idle_.pop_back();
      return handle;
    }
  }
  return curl_easy_init();
}

void HttpClient::Release(void* handle) {
  MutexLock lock(&mu_);
  if (idle_.size() < kMaxIdleHandles) {
    idle_.push_back(handle);
  } else {
    curl_easy_cleanup(static_cast<CURL*>(handle));
  }
}

absl::StatusOr<HttpResponse> HttpClient::PostJson(
    const std::string& url, const std::string& body,
    const std::vector<std::string>& headers, int64_t timeout_ms) {
  CURL* curl = static_cast<CURL*>(Acquire());
  if (curl == nullptr) {
    return absl::InternalError(
        absl::StrCat("POST ", url, ": curl_easy_init failed"));
  }
  curl_easy_reset(curl);
  curl_slist* header_list =
      curl_slist_append(nullptr, "Content-Type: application/json");
  // Without this libcurl waits for "100 Continue" before sending large
  // bodies, which some servers never send.
  header_list = curl_slist_append(header_list, "Expect:");
  for (const std::string& header : headers) {
    header_list = curl_slist_append(header_list, header.c_str());
  }
  HttpResponse reply;
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(
      curl, CURLOPT_CONNECTTIMEOUT_MS,
      static_cast<long>(std::min(timeout_ms, kMaxConnectTimeoutMs)));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  // The handle keeps pointers to these options; clear them before reuse.
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_slist_free_all(header_list);
  Release(curl);
  if (code != CURLE_OK) return CurlError(code, url, error);
  return reply;
}

}  // namespace vecdb::embed
