// Little-endian fixed-width encoding for the serialisation formats
// (graph and secondary-index checkpoints): a buffered writer over a byte
// sink and a bounds-checked reader over a byte string.
#ifndef VECDB_COMMON_BYTE_IO_H_
#define VECDB_COMMON_BYTE_IO_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>

#include "absl/status/status.h"

namespace vecdb {

// The formats store numbers and floats in the machine's own byte order and
// copy memory as is; they are defined as little-endian.
static_assert(std::endian::native == std::endian::little,
              "serialisation assumes a little-endian machine");

// Receives serialised bytes in order; an error stops the serialisation.
using ByteSink = std::function<absl::Status(std::string_view bytes)>;

// Collects small writes into pieces of about 1 MiB before passing them to
// the sink; large blocks go straight through. Call Flush() at the end.
// Not thread-safe.
class ByteWriter {
 public:
  explicit ByteWriter(const ByteSink& sink) : sink_(sink) {}

  template <typename T>
  absl::Status Put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    return PutBytes(
        std::string_view(reinterpret_cast<const char*>(&value), sizeof(T)));
  }

  // A u32 length, then the bytes.
  absl::Status PutString(std::string_view bytes) {
    absl::Status status = Put<uint32_t>(static_cast<uint32_t>(bytes.size()));
    if (!status.ok()) return status;
    return PutBytes(bytes);
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

  // What PutString wrote.
  bool GetString(std::string_view* out) {
    ByteReader probe = *this;
    uint32_t n = 0;
    if (!probe.Get(&n) || !probe.GetBytes(n, out)) return false;
    *this = probe;
    return true;
  }

  size_t remaining() const { return bytes_.size(); }

 private:
  std::string_view bytes_;
};

}  // namespace vecdb

#endif  // VECDB_COMMON_BYTE_IO_H_
