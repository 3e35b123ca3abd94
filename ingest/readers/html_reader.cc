// HTML: the visible text of the tree gumbo builds, laid out as lines that
// the markdown chunker can split (headings as "#" lines, list items as
// "- " lines, paragraphs separated by blank lines).
#include <gumbo.h>
#include <pthread.h>

#include <algorithm>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "common/chunk_fields.h"
#include "ingest/readers/internal/formats.h"
#include "text/utf8.h"

namespace vecdb::ingest::readers_internal {
namespace {

// Collects text with HTML whitespace rules: runs of white space become one
// space, block boundaries become line breaks, and nothing dangles at the
// start or the end.
class TextBuilder {
 public:
  // Text as it flows in the document: white space collapses.
  void Text(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) {
      const unsigned char c = s[i];
      if (absl::ascii_isspace(c)) {
        pending_space_ = true;
      } else if (c == 0xC2 && i + 1 < s.size() &&
                 static_cast<unsigned char>(s[i + 1]) == 0xA0) {
        pending_space_ = true;  // no-break space
        ++i;
      } else {
        Flush();
        out_.push_back(static_cast<char>(c));
      }
    }
  }

  // Text inside <pre>: kept as written.
  void Preformatted(std::string_view s) {
    if (s.empty()) return;
    Flush();
    out_.append(s);
  }

  // Ends the current line (1) or paragraph (2) before the next text.
  void Break(int level) {
    if (level > break_) break_ = level;
    pending_space_ = false;
  }

  // Separates the next text from the previous one by a space.
  void Space() { pending_space_ = true; }

  // Written at the start of the next line that gets text (list markers,
  // heading marks).
  void Prefix(std::string prefix) { prefix_ = std::move(prefix); }

  std::string Finish() && {
    while (!out_.empty() && absl::ascii_isspace(out_.back())) out_.pop_back();
    return std::move(out_);
  }

 private:
  void Flush() {
    if (!out_.empty()) {
      if (break_ > 0) {
        while (!out_.empty() && out_.back() == ' ') out_.pop_back();
        out_.append(break_ == 1 ? "\n" : "\n\n");
      } else if (pending_space_) {
        out_.push_back(' ');
      }
    }
    if (break_ > 0 || out_.empty()) {
      out_.append(prefix_);
      prefix_.clear();
    }
    break_ = 0;
    pending_space_ = false;
  }

  std::string out_;
  int break_ = 0;
  bool pending_space_ = false;
  std::string prefix_;
};

// How an element's content is laid out.
enum class Layout { kInline, kLine, kParagraph, kSkip, kCell };

Layout LayoutOf(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
      return Layout::kSkip;
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_DETAILS:
      return Layout::kParagraph;
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_BODY:
      return Layout::kLine;
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
      return Layout::kCell;
    default:
      return Layout::kInline;
  }
}

// 1..6 for h1..h6, 0 otherwise.
int HeadingLevel(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_H1:
      return 1;
    case GUMBO_TAG_H2:
      return 2;
    case GUMBO_TAG_H3:
      return 3;
    case GUMBO_TAG_H4:
      return 4;
    case GUMBO_TAG_H5:
      return 5;
    case GUMBO_TAG_H6:
      return 6;
    default:
      return 0;
  }
}

class Walker {
 public:
  explicit Walker(TextBuilder& out) : out_(out) {}

  void Node(const GumboNode& node) {
    switch (node.type) {
      case GUMBO_NODE_DOCUMENT:
        Children(node.v.document.children);
        return;
      case GUMBO_NODE_ELEMENT:
        Element(node);
        return;
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        if (in_pre_ > 0) {
          out_.Preformatted(node.v.text.text);
        } else {
          out_.Text(node.v.text.text);
        }
        return;
      case GUMBO_NODE_COMMENT:
      case GUMBO_NODE_TEMPLATE:
        return;
    }
  }

 private:
  void Children(const GumboVector& children) {
    for (unsigned i = 0; i < children.length; ++i) {
      Node(*static_cast<const GumboNode*>(children.data[i]));
    }
  }

  void Element(const GumboNode& node) {
    const GumboTag tag = node.v.element.tag;
    if (const int level = HeadingLevel(tag); level > 0) {
      Heading(node, level);
      return;
    }
    const Layout layout = LayoutOf(tag);
    if (layout == Layout::kSkip) return;
    if (tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL) {
      List(node, tag == GUMBO_TAG_OL);
      return;
    }
    if (tag == GUMBO_TAG_LI) {
      ListItem(node);
      return;
    }
    Boundary(layout);
    if (tag == GUMBO_TAG_PRE) ++in_pre_;
    Children(node.v.element.children);
    if (tag == GUMBO_TAG_PRE) --in_pre_;
    Boundary(layout);
  }

  void Boundary(Layout layout) {
    if (layout == Layout::kParagraph) out_.Break(2);
    if (layout == Layout::kLine) out_.Break(1);
    if (layout == Layout::kCell) out_.Space();
  }

  // "## text" as a paragraph of its own; an empty heading leaves nothing.
  void Heading(const GumboNode& node, int level) {
    TextBuilder inner;
    Walker walker(inner);
    walker.Children(node.v.element.children);
    std::string text = std::move(inner).Finish();
    for (char& c : text) {
      if (c == '\n') c = ' ';
    }
    if (text.empty()) return;
    out_.Break(2);
    out_.Prefix(std::string(level, '#') + " ");
    out_.Text(text);
    out_.Break(2);
  }

  void List(const GumboNode& node, bool ordered) {
    out_.Break(lists_.empty() ? 2 : 1);
    lists_.push_back({ordered, 0});
    Children(node.v.element.children);
    lists_.pop_back();
    out_.Break(lists_.empty() ? 2 : 1);
  }

  // "- item" (or "3. item"), indented by two spaces per enclosing list.
  void ListItem(const GumboNode& node) {
    out_.Break(1);
    if (!lists_.empty()) {
      ListState& list = lists_.back();
      std::string marker(2 * (lists_.size() - 1), ' ');
      marker += list.ordered ? std::to_string(++list.items) + ". " : "- ";
      out_.Prefix(std::move(marker));
    }
    Children(node.v.element.children);
    out_.Break(1);
  }

  struct ListState {
    bool ordered = false;
    int items = 0;
  };

  TextBuilder& out_;
  int in_pre_ = 0;
  std::vector<ListState> lists_;
};

// The text of the first <title>, white space collapsed.
const GumboNode* FindTitle(const GumboNode& node) {
  if (node.type != GUMBO_NODE_ELEMENT && node.type != GUMBO_NODE_DOCUMENT) {
    return nullptr;
  }
  if (node.type == GUMBO_NODE_ELEMENT &&
      node.v.element.tag == GUMBO_TAG_TITLE) {
    return &node;
  }
  const GumboVector& children = node.type == GUMBO_NODE_DOCUMENT
                                    ? node.v.document.children
                                    : node.v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(children.data[i]);
    if (const GumboNode* title = FindTitle(*child)) return title;
  }
  return nullptr;
}

std::string TitleText(const GumboNode& title) {
  TextBuilder builder;
  const GumboVector& children = title.v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type == GUMBO_NODE_TEXT ||
        child->type == GUMBO_NODE_WHITESPACE) {
      builder.Text(child->v.text.text);
    }
  }
  return std::move(builder).Finish();
}

struct OutputDeleter {
  void operator()(GumboOutput* output) const {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};

Extracted ExtractHtmlHere(std::string_view bytes) {
  // gumbo wants UTF-8; repairing first also counts what was wrong.
  text::Utf8Repair input = text::RepairUtf8(bytes);
  // Parse errors are not used; gumbo records each with a copy of the open
  // element stack, which for deeply nested input grows quadratically (a
  // 1 MB page of unclosed tags took tens of gigabytes).
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  std::unique_ptr<GumboOutput, OutputDeleter> output(
      gumbo_parse_with_options(&options, input.text.data(), input.text.size()));
  Extracted extracted;
  extracted.repaired = input.replaced;
  TextBuilder builder;
  Walker(builder).Node(*output->document);
  extracted.text = std::move(builder).Finish();
  if (const GumboNode* title = FindTitle(*output->document)) {
    std::string text = TitleText(*title);
    if (!text.empty()) {
      extracted.metadata[std::string(chunk_fields::kTitle)] = std::move(text);
    }
  }
  return extracted;
}

}  // namespace

// The tree walk above and gumbo's own teardown recurse once per nesting
// level, and each '<' of the input opens at most about one level: the
// extraction runs on a thread whose stack fits the deepest tree the input
// can make, so that no input overflows the caller's stack.
Extracted ExtractHtml(std::string_view bytes) {
  constexpr size_t kBaseStackBytes = size_t{1} << 20;
#if defined(__SANITIZE_ADDRESS__)
  constexpr size_t kStackBytesPerTag = 4096;  // redzones enlarge frames
#else
  constexpr size_t kStackBytesPerTag = 1024;  // about 8 times what it takes
#endif
  struct Job {
    std::string_view bytes;
    Extracted extracted;
  } job{bytes, {}};
  const size_t tags = std::count(bytes.begin(), bytes.end(), '<');
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes,
                            kBaseStackBytes + tags * kStackBytesPerTag);
  pthread_t thread;
  const int error = pthread_create(
      &thread, &attributes,
      [](void* arg) -> void* {
        auto* job = static_cast<Job*>(arg);
        job->extracted = ExtractHtmlHere(job->bytes);
        return nullptr;
      },
      &job);
  pthread_attr_destroy(&attributes);
  if (error != 0) return ExtractHtmlHere(bytes);  // no thread: try here
  pthread_join(thread, nullptr);
  return std::move(job.extracted);
}

}  // namespace vecdb::ingest::readers_internal
