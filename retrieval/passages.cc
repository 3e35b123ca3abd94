#include "retrieval/internal/passages.h"

#include <algorithm>
#include <string_view>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "text/utf8.h"

namespace vecdb::retrieval_internal {
namespace {

constexpr std::string_view kPathSeparator = " \u203a ";

Passage StartPassage(const RetrievedChunk& chunk) {
  Passage passage;
  passage.doc_id = chunk.doc_id;
  passage.source = chunk.source;
  passage.title = chunk.title;
  passage.section = chunk.section;
  passage.char_start = chunk.char_start;
  passage.char_end = chunk.char_end;
  passage.text = chunk.text;
  passage.chunk_ids.push_back(chunk.chunk_id);
  passage.best_rank = chunk.rank;
  return passage;
}

// Adds `chunk`, which starts inside `passage` or where it ends: only the
// part of its text past the passage's end is appended, so text shared by
// overlapping chunks appears once.
void Extend(Passage& passage, const RetrievedChunk& chunk) {
  passage.chunk_ids.push_back(chunk.chunk_id);
  passage.best_rank = std::min(passage.best_rank, chunk.rank);
  if (chunk.char_end <= passage.char_end) return;  // contained
  std::string_view tail =
      text::CodePointSubstr(chunk.text, passage.char_end - chunk.char_start,
                            chunk.char_end - chunk.char_start);
  passage.text.append(tail);
  passage.char_end = chunk.char_end;
}

// Header parts come from metadata: a newline in one would break the layout.
std::string OneLine(std::string_view part) {
  std::string line(part);
  std::replace(line.begin(), line.end(), '\n', ' ');
  std::replace(line.begin(), line.end(), '\r', ' ');
  return line;
}

}  // namespace

std::vector<Passage> MergeDocumentChunks(
    std::vector<const RetrievedChunk*> chunks) {
  std::stable_sort(chunks.begin(), chunks.end(),
                   [](const RetrievedChunk* a, const RetrievedChunk* b) {
                     return std::tie(a->char_start, a->char_end) <
                            std::tie(b->char_start, b->char_end);
                   });
  std::vector<Passage> passages;
  for (const RetrievedChunk* chunk : chunks) {
    if (!passages.empty() && chunk->char_start <= passages.back().char_end) {
      Extend(passages.back(), *chunk);
    } else {
      passages.push_back(StartPassage(*chunk));
    }
  }
  return passages;
}

std::string HeaderPath(const Passage& passage) {
  std::string path =
      OneLine(passage.title.empty() ? passage.source : passage.title);
  for (const std::string& part : passage.section) {
    if (part.empty()) continue;
    if (!path.empty()) path += kPathSeparator;
    path += OneLine(part);
  }
  return path;
}

std::string PassageHeader(const Passage& passage) {
  std::string header = absl::StrCat("[", passage.number, "]");
  const std::string path = HeaderPath(passage);
  if (!path.empty()) absl::StrAppend(&header, " ", path);
  return header;
}

std::string RenderContext(const std::vector<Passage>& passages) {
  std::string context;
  for (const Passage& passage : passages) {
    if (!context.empty()) context += "\n\n";
    absl::StrAppend(&context, PassageHeader(passage), "\n", passage.text);
  }
  return context;
}

}  // namespace vecdb::retrieval_internal
