#include "tests/testing/wal_files.h"

#include <fstream>

namespace vecdb::testing {

std::filesystem::path NewestWal(const std::filesystem::path& dir) {
  std::filesystem::path newest;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    if (e.path().extension() == ".log" &&
        (newest.empty() || e.path().filename() > newest.filename())) {
      newest = e.path();
    }
  }
  return newest;
}

bool FlipByte(const std::filesystem::path& file, uintmax_t offset) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  if (!f) return false;
  const auto at = static_cast<std::streamoff>(offset);
  f.seekg(at);
  char c = 0;
  if (!f.get(c)) return false;
  f.seekp(at);
  f.put(static_cast<char>(c ^ 0x40));
  return static_cast<bool>(f.flush());
}

}  // namespace vecdb::testing
