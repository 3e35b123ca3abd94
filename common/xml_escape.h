// Escaping text for XML and HTML, shared by every report that writes SVG or
// HTML (vecdb-eval's report, the benchmarks' charts).
#ifndef VECDB_COMMON_XML_ESCAPE_H_
#define VECDB_COMMON_XML_ESCAPE_H_

#include <string>
#include <string_view>

namespace vecdb {

// `text` with & < > " ' replaced by entities, so that it is safe in XML or
// HTML text and in quoted attribute values. Bytes pass through otherwise.
inline std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace vecdb

#endif  // VECDB_COMMON_XML_ESCAPE_H_
