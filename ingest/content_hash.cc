#include "ingest/content_hash.h"

#include <openssl/evp.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <variant>

namespace vecdb::ingest {
namespace {

void AppendString(std::string_view s, std::string* out) {
  out->append(std::to_string(s.size()));
  out->push_back(':');
  out->append(s);
}

void AppendValue(const MetadataValue& value, std::string* out) {
  std::visit(
      [out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          out->push_back('s');
          AppendString(v, out);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          out->push_back('i');
          AppendString(std::to_string(v), out);
        } else if constexpr (std::is_same_v<T, double>) {
          // The exact bit pattern: no rounding through a decimal form.
          uint64_t bits;
          std::memcpy(&bits, &v, sizeof bits);
          char hex[17];
          std::snprintf(hex, sizeof hex, "%016llx",
                        static_cast<unsigned long long>(bits));
          out->push_back('d');
          AppendString(hex, out);
        } else if constexpr (std::is_same_v<T, bool>) {
          out->push_back('b');
          out->push_back(v ? '1' : '0');
        } else {
          out->push_back('l');
          AppendString(std::to_string(v.size()), out);
          for (const std::string& element : v) AppendString(element, out);
        }
      },
      value);
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  // SHA-256 cannot fail on valid input short of allocation failure.
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size());
  EVP_DigestFinal_ex(ctx.get(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

std::string EncodeMetadata(const Metadata& metadata) {
  std::string out;
  AppendString(std::to_string(metadata.size()), &out);
  for (const auto& [key, value] : metadata) {  // std::map: sorted keys
    AppendString(key, &out);
    AppendValue(value, &out);
  }
  return out;
}

std::string DocumentHash(std::string_view text, const Metadata& metadata) {
  // Length-prefixed text, so that text and metadata never run into each
  // other, then the metadata.
  std::string bytes;
  bytes.reserve(text.size() + 64);
  AppendString(text, &bytes);
  bytes.append(EncodeMetadata(metadata));
  return Sha256Hex(bytes);
}

}  // namespace vecdb::ingest
