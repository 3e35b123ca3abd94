// A real HTTP server speaking the OpenAI embeddings API, for tests of the
// openai embedder and of everything that uses one (vecdb-ingest, Retrieve):
// POST http://127.0.0.1:<port>/v1/embeddings is answered by `handler`
// (given the 0-based call number), and every request is recorded.
//
//   EmbeddingHttpServer server([](const httplib::Request& request,
//                                 httplib::Response& response, int call) {
//     response.set_content(R"({"data": [...]})", "application/json");
//   });
//   spec.parameters["base_url"] = server.base_url();
//
// Thread safety: the handler runs on the server's threads; the accessors
// may be called from any thread.
#ifndef VECDB_TESTS_TESTING_EMBEDDING_HTTP_SERVER_H_
#define VECDB_TESTS_TESTING_EMBEDDING_HTTP_SERVER_H_

#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace vecdb::testing {

class EmbeddingHttpServer {
 public:
  using Handler = std::function<void(const httplib::Request&,
                                     httplib::Response&, int call)>;

  explicit EmbeddingHttpServer(Handler handler) : handler_(std::move(handler)) {
    server_.Post("/v1/embeddings", [this](const httplib::Request& request,
                                          httplib::Response& response) {
      int call = 0;
      {
        std::lock_guard<std::mutex> lock(mu_);
        bodies_.push_back(request.body);
        auths_.push_back(request.get_header_value("Authorization"));
        call = calls_++;
      }
      handler_(request, response, call);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~EmbeddingHttpServer() {
    server_.stop();
    thread_.join();
  }

  std::string base_url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
  }
  int calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  std::vector<nlohmann::json> bodies() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<nlohmann::json> parsed;
    for (const auto& body : bodies_) parsed.push_back(nlohmann::json::parse(body));
    return parsed;
  }
  std::vector<std::string> auths() {
    std::lock_guard<std::mutex> lock(mu_);
    return auths_;
  }

 private:
  Handler handler_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  int calls_ = 0;
  std::vector<std::string> bodies_;
  std::vector<std::string> auths_;
};

}  // namespace vecdb::testing

#endif  // VECDB_TESTS_TESTING_EMBEDDING_HTTP_SERVER_H_
