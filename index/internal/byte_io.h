// Little-endian fixed-width encoding for the index serialisation formats.
// Private to index/.
#ifndef VECDB_INDEX_INTERNAL_BYTE_IO_H_
#define VECDB_INDEX_INTERNAL_BYTE_IO_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "index/vector_index.h"

namespace vecdb::index_internal {

// The formats store numbers and floats in the machine's own byte order and
// copy hnswlib's memory as is; they are defined as little-endian.
static_assert(std::endian::native == std::endian::little,
              "index serialisation assumes a little-endian machine");

// Collects small writes into pieces of about 1 MiB before passing them to
// the sink; large blocks go straight through. Not thread-safe.
class ByteWriter {
 public:
  explicit ByteWriter(const ByteSink& sink) : sink_(sink) {}

  template <typename T>
  absl::Status Put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    return PutBytes(
        std::string_view(reinterpret_cast<const char*>(&value), sizeof(T)));
  }

  absl::Status PutBytes(std::string_view bytes) {
    if (bytes.size() >= kPieceBytes) {
      absl::Status status = Flush();
      if (!status.ok()) return status;
      return sink_(bytes);
    }
    buffer_.append(bytes);
    if (buffer_.size() >= kPieceBytes) return Flush();
    return absl::OkStatus();
  }

  absl::Status Flush() {
    if (buffer_.empty()) return absl::OkStatus();
    absl::Status status = sink_(buffer_);
    buffer_.clear();
    return status;
  }

 private:
  static constexpr size_t kPieceBytes = size_t{1} << 20;
  const ByteSink& sink_;
  std::string buffer_;
};

// Reads from a byte string; every read checks the bytes remaining and
// reports false, leaving the reader unchanged, when too few are left.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  template <typename T>
  bool Get(T* value) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (bytes_.size() < sizeof(T)) return false;
    std::memcpy(value, bytes_.data(), sizeof(T));
    bytes_.remove_prefix(sizeof(T));
    return true;
  }

  // The next `n` bytes, without copying.
  bool GetBytes(size_t n, std::string_view* out) {
    if (bytes_.size() < n) return false;
    *out = bytes_.substr(0, n);
    bytes_.remove_prefix(n);
    return true;
  }

  size_t remaining() const { return bytes_.size(); }

 private:
  std::string_view bytes_;
};

}  // namespace vecdb::index_internal

#endif  // VECDB_INDEX_INTERNAL_BYTE_IO_H_
