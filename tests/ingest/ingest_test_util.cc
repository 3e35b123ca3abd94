#include "tests/ingest/ingest_test_util.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <variant>

#include "common/chunk_fields.h"
#include "ingest/chunkers/chunker.h"
#include "ingest/content_hash.h"
#include "ingest/readers/reader.h"
#include "tests/testing/test_data.h"

namespace vecdb::ingest::testing {
namespace {

std::string StringOf(const Metadata& m, std::string_view key) {
  auto it = m.find(key);
  if (it == m.end()) return "";
  const auto* s = std::get_if<std::string>(&it->second);
  return s ? *s : "";
}

int64_t IntOf(const Metadata& m, std::string_view key) {
  auto it = m.find(key);
  if (it == m.end()) return -1;
  const auto* v = std::get_if<int64_t>(&it->second);
  return v ? *v : -1;
}

}  // namespace

pid_t StartIngest(const std::vector<std::string>& args,
                  const std::string& out_path, const std::string& err_path) {
  std::vector<std::string> argv_strings = {VECDB_INGEST_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in = open("/dev/null", O_RDONLY);
    if (out < 0 || err < 0 || in < 0) _exit(127);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

int WaitIngest(pid_t pid) {
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

ProcessResult RunIngest(const std::vector<std::string>& args) {
  vecdb::testing::TempDir dir;
  const std::string out = dir.path() + "/out";
  const std::string err = dir.path() + "/err";
  ProcessResult result;
  result.exit_code = WaitIngest(StartIngest(args, out, err));
  result.out = ReadFile(out);
  result.err = ReadFile(err);
  return result;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  REQUIRE(out.good());
}

std::map<std::string, Metadata> ScrollMetadata(Client& client,
                                               const std::string& collection) {
  std::map<std::string, Metadata> all;
  std::string cursor;
  do {
    auto page = client.Scroll(collection, cursor, 1000, {.metadata = true});
    REQUIRE(page.ok());
    for (Point& p : page->points) all[p.id] = std::move(p.metadata);
    cursor = page->next_cursor;
  } while (!cursor.empty());
  return all;
}

ChunkSet ScrollChunks(Client& client, const std::string& collection) {
  namespace f = chunk_fields;
  ChunkSet chunks;
  std::string cursor;
  do {
    auto page = client.Scroll(collection, cursor, 1000,
                              {.metadata = true, .document = true});
    REQUIRE(page.ok());
    for (const Point& p : page->points) {
      ChunkState& c = chunks[p.id];
      c.doc_id = StringOf(p.metadata, f::kDocId);
      c.doc_hash = StringOf(p.metadata, f::kDocHash);
      c.text = p.document.value_or("");
      c.chunk_hash = StringOf(p.metadata, f::kChunkHash);
      c.chunk_index = IntOf(p.metadata, f::kChunkIndex);
      c.chunk_count = IntOf(p.metadata, f::kChunkCount);
      c.char_start = IntOf(p.metadata, f::kCharStart);
      c.char_end = IntOf(p.metadata, f::kCharEnd);
      auto section = p.metadata.find(f::kSection);
      if (section != p.metadata.end()) {
        c.section = std::get<std::vector<std::string>>(section->second);
      }
    }
    cursor = page->next_cursor;
  } while (!cursor.empty());
  return chunks;
}

ChunkSet ExpectedChunks(const std::vector<std::string>& inputs,
                        const ChunkerSpec& spec) {
  auto files = ExpandSources(inputs, std::nullopt);
  REQUIRE(files.ok());
  auto chunker = MakeChunker(spec);
  REQUIRE(chunker.ok());
  ChunkSet expected;
  std::set<std::string> ids;
  for (const SourceFile& file : *files) {
    for (ReadRecord& record : ReadSource(file)) {
      if (!record.status.ok() || !record.document) continue;
      const Document& doc = *record.document;
      if (!ids.insert(doc.id).second) continue;
      const std::string hash = DocumentHash(doc);
      std::vector<Chunk> chunks = (*chunker)->Split(doc);
      for (const Chunk& chunk : chunks) {
        expected[chunk_fields::ChunkId(doc.id, chunk.index)] = {
            .doc_id = doc.id,
            .doc_hash = hash,
            .text = chunk.text,
            .chunk_hash = Sha256Hex(chunk.text),
            .chunk_index = chunk.index,
            .chunk_count = static_cast<int64_t>(chunks.size()),
            .char_start = static_cast<int64_t>(chunk.char_start),
            .char_end = static_cast<int64_t>(chunk.char_end),
            .section = chunk.section};
      }
    }
  }
  return expected;
}

JsonRun ParseJsonRun(const std::string& out) {
  JsonRun run;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    nlohmann::json json = nlohmann::json::parse(line);
    if (json.contains("summary")) {
      for (auto& [key, value] : json["summary"].items()) {
        if (value.is_number_integer()) run.summary[key] = value.get<int64_t>();
      }
      if (json.contains("error")) run.error = json["error"];
      continue;
    }
    const std::string id = json["doc_id"];
    run.outcomes[id] = json["outcome"];
    run.results.emplace_back(id, json["outcome"]);
    run.removed[id] = json["removed"].get<int64_t>();
    if (json.contains("error")) run.errors[id] = json["error"];
  }
  return run;
}

std::string Difference(const ChunkSet& expected, const ChunkSet& actual) {
  for (const auto& [id, chunk] : expected) {
    auto it = actual.find(id);
    if (it == actual.end()) return "missing " + id;
    if (!(it->second == chunk)) {
      return "differs " + id + ": stored hash " + it->second.doc_hash +
             " text '" + it->second.text.substr(0, 40) + "', expected hash " +
             chunk.doc_hash + " text '" + chunk.text.substr(0, 40) + "'";
    }
  }
  for (const auto& [id, chunk] : actual) {
    if (expected.count(id) == 0) return "unexpected " + id;
  }
  return "";
}

}  // namespace vecdb::ingest::testing
