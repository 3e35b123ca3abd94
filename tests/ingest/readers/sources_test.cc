#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "ingest/readers/reader.h"
#include "tests/ingest/readers/test_files.h"
#include "tests/testing/test_data.h"

namespace vecdb::ingest {
namespace {

using testing::WriteFile;

// A tree of files of every kind, hidden ones and unknown extensions.
class SourceTree {
 public:
  SourceTree() {
    for (const char* file :
         {"b.txt", "a.md", "a-z.txt", "sub/c.html", "sub/deeper/d.pdf",
          "sub/deeper/e.txt", "notes.xyz", ".hidden.txt", ".git/x.txt",
          "sub/.secret/s.txt", "data/MED.ALL", "rows.jsonl"}) {
      WriteFile(root() + "/" + file, "text");
    }
  }
  const std::string& root() const { return dir_.path(); }

 private:
  vecdb::testing::TempDir dir_;
};

std::vector<std::string> Ids(const std::vector<SourceFile>& files) {
  std::vector<std::string> ids;
  for (const SourceFile& file : files) ids.push_back(file.doc_id);
  return ids;
}

TEST_CASE(
    "A directory expands recursively, sorted, hidden and unknown "
    "files skipped",
    "[readers][sources]") {
  SourceTree tree;
  const absl::StatusOr<std::vector<SourceFile>> files =
      ExpandSources({tree.root()}, std::nullopt);
  REQUIRE(files.ok());
  CHECK(Ids(*files) ==
        std::vector<std::string>{"a-z.txt", "a.md", "b.txt", "data/MED.ALL",
                                 "rows.jsonl", "sub/c.html", "sub/deeper/d.pdf",
                                 "sub/deeper/e.txt"});
  REQUIRE(files->size() == 8);
  CHECK((*files)[0].path == tree.root() + "/a-z.txt");
  CHECK((*files)[0].format == Format::kText);
  CHECK((*files)[1].format == Format::kMarkdown);
  CHECK((*files)[3].path == tree.root() + "/data/MED.ALL");
  CHECK((*files)[3].format == Format::kSmart);
  CHECK((*files)[4].format == Format::kJsonl);
  CHECK((*files)[5].format == Format::kHtml);
  CHECK((*files)[6].format == Format::kPdf);
  // A trailing slash changes nothing.
  const absl::StatusOr<std::vector<SourceFile>> slash =
      ExpandSources({tree.root() + "/sub/"}, std::nullopt);
  REQUIRE(slash.ok());
  CHECK(Ids(*slash) ==
        std::vector<std::string>{"c.html", "deeper/d.pdf", "deeper/e.txt"});
  CHECK((*slash)[0].path == tree.root() + "/sub/c.html");
}

TEST_CASE("Globs: * and ? stay in one directory, ** crosses any depth",
          "[readers][sources]") {
  SourceTree tree;
  const std::string& root = tree.root();
  absl::StatusOr<std::vector<SourceFile>> files =
      ExpandSources({root + "/*.txt"}, std::nullopt);
  REQUIRE(files.ok());
  CHECK(Ids(*files) ==
        std::vector<std::string>{root + "/a-z.txt", root + "/b.txt"});
  CHECK((*files)[0].path == root + "/a-z.txt");

  files = ExpandSources({root + "/**/*.txt"}, std::nullopt);
  REQUIRE(files.ok());
  CHECK(Ids(*files) == std::vector<std::string>{root + "/a-z.txt",
                                                root + "/b.txt",
                                                root + "/sub/deeper/e.txt"});

  files = ExpandSources({root + "/sub/**"}, std::nullopt);
  REQUIRE(files.ok());
  CHECK(Ids(*files) == std::vector<std::string>{root + "/sub/c.html",
                                                root + "/sub/deeper/d.pdf",
                                                root + "/sub/deeper/e.txt"});

  files = ExpandSources({root + "/?.*"}, std::nullopt);
  REQUIRE(files.ok());
  CHECK(Ids(*files) ==
        std::vector<std::string>{root + "/a.md", root + "/b.txt"});

  files = ExpandSources({root + "/s?b/*/[a-d].*"}, std::nullopt);
  REQUIRE(files.ok());
  CHECK(Ids(*files) == std::vector<std::string>{root + "/sub/deeper/d.pdf"});

  files = ExpandSources({root + "/sub/deeper/[!d]*"}, std::nullopt);
  REQUIRE(files.ok());
  CHECK(Ids(*files) == std::vector<std::string>{root + "/sub/deeper/e.txt"});

  // Hidden entries are not matched by wildcards either.
  files = ExpandSources({root + "/**/s.txt"}, std::nullopt);
  CHECK(files.status().code() == absl::StatusCode::kNotFound);
}

TEST_CASE("A forced format overrides the extension", "[readers][sources]") {
  SourceTree tree;
  const std::string notes = tree.root() + "/notes.xyz";
  CHECK(ExpandSources({notes}, std::nullopt).status().code() ==
        absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::vector<SourceFile>> files =
      ExpandSources({notes}, Format::kMarkdown);
  REQUIRE(files.ok());
  REQUIRE(files->size() == 1);
  CHECK((*files)[0].format == Format::kMarkdown);
  CHECK((*files)[0].path == notes);

  // Under a directory, a forced format takes every non-hidden file.
  files = ExpandSources({tree.root() + "/sub", tree.root() + "/notes.xyz"},
                        Format::kSmart);
  REQUIRE(files.ok());
  CHECK(Ids(*files) == std::vector<std::string>{"c.html", "deeper/d.pdf",
                                                "deeper/e.txt", notes});
  for (const SourceFile& file : *files) CHECK(file.format == Format::kSmart);
}

TEST_CASE("Inputs that match nothing are NotFound", "[readers][sources]") {
  SourceTree tree;
  const std::string& root = tree.root();
  CHECK(ExpandSources({root + "/missing.txt"}, std::nullopt).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(ExpandSources({root + "/b.txt", root + "/nope"}, std::nullopt)
            .status()
            .code() == absl::StatusCode::kNotFound);
  CHECK(ExpandSources({root + "/*.docx"}, std::nullopt).status().code() ==
        absl::StatusCode::kNotFound);
  CHECK(
      ExpandSources({root + "/nodir/**/*.txt"}, std::nullopt).status().code() ==
      absl::StatusCode::kNotFound);
  std::filesystem::create_directories(root + "/empty/.only-hidden");
  WriteFile(root + "/empty/.only-hidden/x.txt", "x");
  CHECK(ExpandSources({root + "/empty"}, std::nullopt).status().code() ==
        absl::StatusCode::kNotFound);
}

TEST_CASE("A file named twice is read once, under its first id",
          "[readers][sources]") {
  SourceTree tree;
  const std::string& root = tree.root();
  const absl::StatusOr<std::vector<SourceFile>> files =
      ExpandSources({root + "/sub/deeper/e.txt", root + "/sub",
                     root + "/sub/./c.html", root + "/**/e.txt"},
                    std::nullopt);
  REQUIRE(files.ok());
  CHECK(Ids(*files) == std::vector<std::string>{root + "/sub/deeper/e.txt",
                                                "c.html", "deeper/d.pdf"});
}

// Changes the working directory for one test, and back.
class WorkingDirectory {
 public:
  explicit WorkingDirectory(const std::string& path)
      : saved_(std::filesystem::current_path()) {
    std::filesystem::current_path(path);
  }
  ~WorkingDirectory() { std::filesystem::current_path(saved_); }

 private:
  std::filesystem::path saved_;
};

TEST_CASE("Ids of files given directly are lexically normalised paths",
          "[readers][sources]") {
  SourceTree tree;
  WorkingDirectory cwd(tree.root());
  const absl::StatusOr<std::vector<SourceFile>> files = ExpandSources(
      {"./sub/../b.txt", "sub/deeper/./e.txt", "./sub/*.html", "data"},
      std::nullopt);
  REQUIRE(files.ok());
  CHECK(Ids(*files) == std::vector<std::string>{"b.txt", "sub/deeper/e.txt",
                                                "sub/c.html", "MED.ALL"});
  CHECK((*files)[0].path == "./sub/../b.txt");
  CHECK((*files)[3].path == "data/MED.ALL");
  // A glob relative to the working directory.
  const absl::StatusOr<std::vector<SourceFile>> globbed =
      ExpandSources({"*.md", "**/d.pdf"}, std::nullopt);
  REQUIRE(globbed.ok());
  CHECK(Ids(*globbed) == std::vector<std::string>{"a.md", "sub/deeper/d.pdf"});
}

}  // namespace
}  // namespace vecdb::ingest
