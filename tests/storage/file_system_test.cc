#include "storage/file_system.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "rocksdb/file_system.h"
#include "storage/checksummed_file.h"
#include "tests/testing/test_data.h"

namespace vecdb {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

absl::StatusOr<PendingFile> WriteText(const std::string& path,
                                      const std::string& text) {
  return PendingFile::Write(*DefaultFileSystem(), path,
                            [&](const ByteSink& sink) { return sink(text); });
}

TEST_CASE("ParentDirectory", "[file_system]") {
  CHECK(ParentDirectory("/a/b/c") == "/a/b");
  CHECK(ParentDirectory("/a/b/") == "/a");
  CHECK(ParentDirectory("/a") == "/");
  CHECK(ParentDirectory("a") == ".");
  CHECK(ParentDirectory("a/b") == "a");
}

TEST_CASE("CreateDirectoryDurably creates every missing component",
          "[file_system]") {
  TempDir dir;
  const std::string deep = dir.path() + "/x/y/z";
  REQUIRE(CreateDirectoryDurably(*DefaultFileSystem(), deep).ok());
  CHECK(fs::is_directory(deep));
  // Existing: nothing to create, still fine.
  CHECK(CreateDirectoryDurably(*DefaultFileSystem(), deep).ok());
}

TEST_CASE("CreateDirectoryDurably refuses a path through a file",
          "[file_system]") {
  TempDir dir;
  std::ofstream(dir.path() + "/plain") << "x";
  const absl::Status s =
      CreateDirectoryDurably(*DefaultFileSystem(), dir.path() + "/plain/sub");
  CHECK(s.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(s.message().find("plain") != std::string::npos);
  const absl::Status on_file =
      CreateDirectoryDurably(*DefaultFileSystem(), dir.path() + "/plain");
  CHECK(on_file.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(on_file.message().find("not a directory") != std::string::npos);
}

TEST_CASE("RemoveFileIfExists ignores a missing file", "[file_system]") {
  TempDir dir;
  const std::string path = dir.path() + "/f";
  CHECK(RemoveFileIfExists(*DefaultFileSystem(), path).ok());
  std::ofstream(path) << "x";
  CHECK(RemoveFileIfExists(*DefaultFileSystem(), path).ok());
  CHECK_FALSE(fs::exists(path));
}

TEST_CASE("a committed checksummed file reads back; the temporary is gone",
          "[checksummed_file]") {
  TempDir dir;
  const std::string path = dir.path() + "/file";
  absl::StatusOr<PendingFile> pending = WriteText(path, "hello checkpoint");
  REQUIRE(pending.ok());
  CHECK(fs::exists(path + ".tmp"));
  CHECK_FALSE(fs::exists(path));
  REQUIRE(pending->Commit().ok());
  CHECK_FALSE(fs::exists(path + ".tmp"));
  absl::StatusOr<FileContents> read =
      ReadChecksummedFile(*DefaultFileSystem(), path, "test file");
  REQUIRE(read.ok());
  CHECK(read->bytes() == "hello checkpoint");
  // Contents then a 4-byte CRC.
  CHECK(fs::file_size(path) == std::string("hello checkpoint").size() + 4);
}

TEST_CASE("an uncommitted checksummed file leaves the old one in place",
          "[checksummed_file]") {
  TempDir dir;
  const std::string path = dir.path() + "/file";
  absl::StatusOr<PendingFile> first = WriteText(path, "old");
  REQUIRE(first.ok());
  REQUIRE(first->Commit().ok());
  {
    absl::StatusOr<PendingFile> second = WriteText(path, "new");
    REQUIRE(second.ok());
  }
  CHECK_FALSE(fs::exists(path + ".tmp"));
  absl::StatusOr<FileContents> read =
      ReadChecksummedFile(*DefaultFileSystem(), path, "test file");
  REQUIRE(read.ok());
  CHECK(read->bytes() == "old");
}

TEST_CASE("damaged, short and missing checksummed files are reported",
          "[checksummed_file]") {
  TempDir dir;
  const std::string path = dir.path() + "/file";
  absl::Status missing =
      ReadChecksummedFile(*DefaultFileSystem(), path, "test file").status();
  CHECK(missing.code() == absl::StatusCode::kNotFound);
  CHECK(missing.message().find("no test file at") != std::string::npos);

  absl::StatusOr<PendingFile> pending = WriteText(path, "some bytes");
  REQUIRE(pending.ok());
  REQUIRE(pending->Commit().ok());
  std::string bytes = ReadAll(path);
  bytes[2] ^= 0x01;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  absl::Status flipped =
      ReadChecksummedFile(*DefaultFileSystem(), path, "test file").status();
  CHECK(flipped.code() == absl::StatusCode::kDataLoss);
  CHECK(flipped.message().find("checksum mismatch") != std::string::npos);

  std::ofstream(path, std::ios::binary | std::ios::trunc) << "abc";
  absl::Status short_file =
      ReadChecksummedFile(*DefaultFileSystem(), path, "test file").status();
  CHECK(short_file.code() == absl::StatusCode::kDataLoss);
  CHECK(short_file.message().find("truncated") != std::string::npos);
}

TEST_CASE("a write error removes the temporary file", "[checksummed_file]") {
  TempDir dir;
  const std::string path = dir.path() + "/file";
  absl::StatusOr<PendingFile> pending = PendingFile::Write(
      *DefaultFileSystem(), path, [](const ByteSink& sink) {
        absl::Status s = sink("partial");
        if (!s.ok()) return s;
        return absl::InternalError("encoder failed");
      });
  CHECK(pending.status().code() == absl::StatusCode::kInternal);
  CHECK(pending.status().message() == "encoder failed");
  CHECK_FALSE(fs::exists(path + ".tmp"));
  CHECK_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace vecdb
