// A small blocking HTTP client over libcurl: POST a JSON body, get the
// status, the body and Retry-After. Used by the openai embedder.
//
//   HttpClient client;
//   VECDB_ASSIGN_OR_RETURN(HttpResponse reply,
//       client.PostJson(url, body, {"Authorization: Bearer ..."}, 30000));
//
// Thread safety: PostJson may be called from several threads at once; each
// call uses its own curl handle (idle handles are kept for reuse, so that
// connections stay open between calls).
#ifndef VECDB_EMBED_HTTP_CLIENT_H_
#define VECDB_EMBED_HTTP_CLIENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "common/mutex.h"

namespace vecdb::embed {

struct HttpResponse {
  // HTTP status code, e.g. 200, 429.
  long status = 0;
  std::string body;
  // The Retry-After header in seconds, when the reply had one in that form
  // (the HTTP-date form is ignored).
  std::optional<int64_t> retry_after_seconds;
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs `body` as application/json to `url` with the extra `headers`
  // ("Name: value"), waiting at most `timeout_ms` for the whole exchange.
  // Any HTTP status is a response; errors are for exchanges that did not
  // complete: DeadlineExceeded on timeout, Unavailable when the host
  // cannot be resolved or reached or the connection breaks, Internal for
  // other libcurl failures. Messages name the url, never the headers.
  absl::StatusOr<HttpResponse> PostJson(const std::string& url,
                                        const std::string& body,
                                        const std::vector<std::string>& headers,
                                        int64_t timeout_ms);

 private:
  void* Acquire();
  void Release(void* handle);

  Mutex mu_;
  std::vector<void*> idle_ ABSL_GUARDED_BY(mu_);  // CURL* handles.
};

}  // namespace vecdb::embed

#endif  // VECDB_EMBED_HTTP_CLIENT_H_
