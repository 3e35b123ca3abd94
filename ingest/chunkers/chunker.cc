// MakeChunker validates the spec and fills in its defaults; every chunker
// is the same class, which lays the text out as tokens once and then cuts
// token ranges (token_ranges.h), per markdown section for the markdown
// chunker. Code-point offsets are counted incrementally, since chunk
// starts and chunk ends both only move forward through the text.

#include "ingest/chunkers/chunker.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/ingest_profile.h"
#include "common/status_macros.h"
#include "ingest/chunkers/markdown_sections.h"
#include "ingest/chunkers/token_layout.h"
#include "ingest/chunkers/token_ranges.h"
#include "ingest/document.h"
#include "text/utf8.h"

namespace vecdb::ingest {
namespace {

constexpr char kTargetTokens[] = "target_tokens";
constexpr char kOverlapTokens[] = "overlap_tokens";
constexpr size_t kDefaultTarget = 512;
constexpr size_t kMinTarget = 16;
constexpr size_t kMaxTarget = 8192;
constexpr size_t kMaxDefaultOverlap = 64;

enum class Kind { kAuto, kRecursive, kFixed, kMarkdown };

absl::string_view View(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

absl::StatusOr<Kind> ParseKind(const std::string& name) {
  if (name == "auto") return Kind::kAuto;
  if (name == "recursive") return Kind::kRecursive;
  if (name == "fixed") return Kind::kFixed;
  if (name == "markdown") return Kind::kMarkdown;
  return absl::InvalidArgumentError(
      absl::StrCat("chunker: unknown name '", View(name),
                   "' (expected auto, recursive, fixed or markdown)"));
}

// The parameter `name` as a whole number, or `fallback` when absent.
absl::StatusOr<size_t> ParseCount(const SpecParameters& parameters,
                                  const char* name, size_t fallback) {
  const auto it = parameters.find(name);
  if (it == parameters.end()) return fallback;
  uint64_t value = 0;
  if (!absl::SimpleAtoi(View(it->second), &value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": expected a whole number, got '", View(it->second), "'"));
  }
  return static_cast<size_t>(value);
}

absl::StatusOr<ChunkSizes> ParseSizes(const SpecParameters& parameters) {
  for (const auto& [name, value] : parameters) {
    if (name != kTargetTokens && name != kOverlapTokens) {
      return absl::InvalidArgumentError(
          absl::StrCat(View(name), ": unknown chunker parameter (expected ",
                       kTargetTokens, " or ", kOverlapTokens, ")"));
    }
  }
  ChunkSizes sizes;
  VECDB_ASSIGN_OR_RETURN(sizes.target,
                         ParseCount(parameters, kTargetTokens, kDefaultTarget));
  if (sizes.target < kMinTarget || sizes.target > kMaxTarget) {
    return absl::InvalidArgumentError(
        absl::StrCat(kTargetTokens, ": must be in ", kMinTarget, "..",
                     kMaxTarget, ", got ", sizes.target));
  }
  const size_t default_overlap = std::min(kMaxDefaultOverlap, sizes.target / 8);
  VECDB_ASSIGN_OR_RETURN(
      sizes.overlap, ParseCount(parameters, kOverlapTokens, default_overlap));
  if (2 * sizes.overlap >= sizes.target) {
    return absl::InvalidArgumentError(
        absl::StrCat(kOverlapTokens, ": must be less than ", kTargetTokens,
                     "/2 (", sizes.target, "/2), got ", sizes.overlap));
  }
  return sizes;
}

// Code-point index of byte offsets given in non-decreasing order.
class CodePointCursor {
 public:
  explicit CodePointCursor(std::string_view text) : text_(text) {}

  size_t At(size_t byte) {
    if (byte < byte_) byte_ = code_point_ = 0;  // Not expected; start over.
    code_point_ += text::CodePointCount(text_.substr(byte_, byte - byte_));
    byte_ = byte;
    return code_point_;
  }

 private:
  std::string_view text_;
  size_t byte_ = 0;
  size_t code_point_ = 0;
};

class TokenChunker : public Chunker {
 public:
  TokenChunker(ChunkerSpec spec, Kind kind, ChunkSizes sizes)
      : spec_(std::move(spec)), kind_(kind), sizes_(sizes) {}

  const ChunkerSpec& spec() const override { return spec_; }

  std::vector<Chunk> Split(const Document& document) const override {
    const std::string_view text = document.text;
    const TokenLayout layout = LayOutTokens(text);
    const TokenRange all{0, layout.size()};
    std::vector<Chunk> chunks;
    ChunkBuilder builder(text, layout, &chunks);
    switch (ResolveKind(document.format)) {
      case Kind::kFixed:
        builder.Add(SplitFixed(all, sizes_), {});
        break;
      case Kind::kMarkdown:
        for (const MarkdownSection& section : MarkdownSections(text)) {
          builder.Add(SplitRecursive(layout, TokensIn(layout, section), sizes_),
                      section.path);
        }
        break;
      default:
        builder.Add(SplitRecursive(layout, all, sizes_), {});
        break;
    }
    return chunks;
  }

 private:
  // Appends chunks for token ranges, numbering them on from the last.
  class ChunkBuilder {
   public:
    ChunkBuilder(std::string_view text, const TokenLayout& layout,
                 std::vector<Chunk>* chunks)
        : text_(text),
          layout_(layout),
          chunks_(chunks),
          starts_(text),
          ends_(text) {}

    void Add(const std::vector<TokenRange>& ranges,
             const std::vector<std::string>& section) {
      for (const TokenRange& range : ranges) {
        const size_t begin = layout_.begin[range.first];
        const size_t end = layout_.end[range.last - 1];
        Chunk chunk;
        chunk.index = static_cast<uint32_t>(chunks_->size());
        chunk.char_start = starts_.At(begin);
        chunk.char_end = ends_.At(end);
        chunk.section = section;
        chunk.text = std::string(text_.substr(begin, end - begin));
        chunks_->push_back(std::move(chunk));
      }
    }

   private:
    std::string_view text_;
    const TokenLayout& layout_;
    std::vector<Chunk>* chunks_;
    CodePointCursor starts_;
    CodePointCursor ends_;
  };

  Kind ResolveKind(Format format) const {
    if (kind_ != Kind::kAuto) return kind_;
    return format == Format::kMarkdown || format == Format::kHtml
               ? Kind::kMarkdown
               : Kind::kRecursive;
  }

  // The tokens that start inside the section.
  static TokenRange TokensIn(const TokenLayout& layout,
                             const MarkdownSection& section) {
    const auto first = std::lower_bound(layout.begin.begin(),
                                        layout.begin.end(), section.begin);
    const auto last = std::lower_bound(first, layout.begin.end(), section.end);
    return {static_cast<size_t>(first - layout.begin.begin()),
            static_cast<size_t>(last - layout.begin.begin())};
  }

  const ChunkerSpec spec_;
  const Kind kind_;
  const ChunkSizes sizes_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Chunker>> MakeChunker(const ChunkerSpec& spec) {
  const std::string name = spec.name.empty() ? "auto" : spec.name;
  VECDB_ASSIGN_OR_RETURN(const Kind kind, ParseKind(name));
  VECDB_ASSIGN_OR_RETURN(const ChunkSizes sizes, ParseSizes(spec.parameters));
  ChunkerSpec filled{name,
                     {{kTargetTokens, std::to_string(sizes.target)},
                      {kOverlapTokens, std::to_string(sizes.overlap)}}};
  return std::unique_ptr<Chunker>(
      std::make_unique<TokenChunker>(std::move(filled), kind, sizes));
}

}  // namespace vecdb::ingest
