#include "secondary/entries.h"

#include <algorithm>
#include <map>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "text/tokenizer.h"

namespace vecdb {
namespace {

// Appends the value entries of one field (after its presence entry).
void AppendValueEntries(const std::string& field, const MetadataValue& value,
                        uint64_t label, std::vector<MetadataEntry>& out) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          std::vector<std::string> elements = v;
          std::sort(elements.begin(), elements.end());
          elements.erase(std::unique(elements.begin(), elements.end()),
                         elements.end());
          for (std::string& element : elements) {
            out.push_back({field, IndexedValue(std::move(element)), label});
          }
        } else if constexpr (std::is_same_v<T, double>) {
          // -0.0 == 0.0: one number, so one key (a replacement from one to
          // the other changes no entry and must not need to).
          out.push_back({field, IndexedValue(v == 0.0 ? 0.0 : v), label});
        } else {
          out.push_back({field, IndexedValue(v), label});
        }
      },
      value);
}

}  // namespace

PointIndexEntries EntriesFor(uint64_t label, const Metadata& metadata,
                             const std::optional<std::string>& document) {
  PointIndexEntries entries;
  entries.label = label;
  for (const auto& [field, value] : metadata) {
    entries.metadata.push_back({field, IndexedValue(std::monostate()), label});
    AppendValueEntries(field, value, label, entries.metadata);
  }
  if (!document.has_value()) return entries;

  std::vector<std::string> tokens = text::Tokenize(*document);
  entries.document_length = static_cast<uint32_t>(tokens.size());
  // std::map keeps the terms sorted.
  std::map<std::string, uint32_t> counts;
  for (std::string& token : tokens) ++counts[std::move(token)];
  entries.terms.reserve(counts.size());
  for (auto& [term, count] : counts) {
    entries.terms.push_back({term, label, count});
  }
  return entries;
}

void AddEntries(const PointIndexEntries& entries, MetadataIndex& metadata,
                TextIndex& text) {
  for (const MetadataEntry& e : entries.metadata) metadata.Insert(e);
  for (const TermEntry& e : entries.terms) text.Insert(e);
  if (entries.document_length.has_value()) {
    text.SetLength(entries.label, *entries.document_length);
  }
}

void RemoveEntries(const PointIndexEntries& entries, MetadataIndex& metadata,
                   TextIndex& text) {
  for (const MetadataEntry& e : entries.metadata) metadata.Erase(e);
  for (const TermEntry& e : entries.terms) text.Erase(e);
  if (entries.document_length.has_value()) text.EraseLength(entries.label);
}

}  // namespace vecdb
