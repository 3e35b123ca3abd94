// Internal to the chunkers: a markdown text cut at its ATX headings.
#ifndef VECDB_INGEST_CHUNKERS_MARKDOWN_SECTIONS_H_
#define VECDB_INGEST_CHUNKERS_MARKDOWN_SECTIONS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vecdb::ingest {

struct MarkdownSection {
  // Byte range in the text; a section starts at its heading line.
  size_t begin = 0;
  size_t end = 0;
  // Heading texts, outermost first; empty before the first heading.
  std::vector<std::string> path;
};

// The sections of `text`, in order, covering it without gaps. A heading is
// a line of up to 3 spaces, 1 to 6 '#', then a space, a tab or the line's
// end; its text drops the optional closing '#'s. A heading of level n
// ends the path's entries of level >= n, so a skipped level is simply
// absent from the path. Lines inside fenced code blocks (``` or ~~~, closed
// by a fence of the same character at least as long, or by the end of the
// text) are never headings.
std::vector<MarkdownSection> MarkdownSections(std::string_view text);

}  // namespace vecdb::ingest

#endif  // VECDB_INGEST_CHUNKERS_MARKDOWN_SECTIONS_H_
