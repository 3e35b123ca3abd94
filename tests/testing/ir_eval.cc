#include "tests/testing/ir_eval.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "eval/metrics.h"

namespace vecdb::testing {
namespace {

// `line` without its trailing '\r', spaces and tabs.
std::string TrimRight(const std::string& line) {
  size_t end = line.size();
  while (end > 0 && (line[end - 1] == '\r' || line[end - 1] == ' ' ||
                     line[end - 1] == '\t')) {
    --end;
  }
  return line.substr(0, end);
}

// The field letter of a `.X` or `.X <rest>` line, or 0 for a text line.
char FieldOf(const std::string& line) {
  if (line.size() < 2 || line[0] != '.' ||
      !std::isupper(static_cast<unsigned char>(line[1]))) {
    return 0;
  }
  if (line.size() > 2 && line[2] != ' ') return 0;
  return line[1];
}

}  // namespace

std::vector<SmartRecord> LoadSmartRecords(const std::string& path,
                                          const std::string& fields) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<SmartRecord> records;
  char field = 0;
  std::string raw;
  int line_number = 0;
  while (std::getline(in, raw)) {
    ++line_number;
    const std::string line = TrimRight(raw);
    if (char f = FieldOf(line); f != 0) {
      field = f;
      if (f == 'I') {
        SmartRecord record;
        try {
          record.id = std::stoull(line.substr(2));
        } catch (const std::exception&) {
          throw std::runtime_error(path + ":" + std::to_string(line_number) +
                                   ": bad .I line");
        }
        records.push_back(std::move(record));
      }
      continue;
    }
    if (records.empty()) {
      if (line.empty()) continue;
      throw std::runtime_error(path + ":" + std::to_string(line_number) +
                               ": text before the first .I line");
    }
    if (line.empty() || fields.find(field) == std::string::npos) continue;
    std::string& text = records.back().text;
    if (!text.empty()) text += ' ';
    text += line;
  }
  return records;
}

Judgments LoadSmartJudgments(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  Judgments judgments;
  std::string raw;
  int line_number = 0;
  while (std::getline(in, raw)) {
    ++line_number;
    const std::string line = TrimRight(raw);
    if (line.empty()) continue;
    std::istringstream columns(line);
    uint64_t query = 0;
    uint64_t doc = 0;
    if (!(columns >> query >> doc)) {
      throw std::runtime_error(path + ":" + std::to_string(line_number) +
                               ": expected `query_id doc_id ...`");
    }
    judgments[query].insert(doc);
  }
  return judgments;
}

double NdcgAtK(const std::vector<uint64_t>& ranked,
               const std::set<uint64_t>& relevant, size_t k) {
  return eval::NdcgAtK(ranked, relevant, k);
}

double RecallAtK(const std::vector<uint64_t>& ranked,
                 const std::set<uint64_t>& relevant, size_t k) {
  return eval::RecallAtK(ranked, relevant, k);
}

double ReciprocalRank(const std::vector<uint64_t>& ranked,
                      const std::set<uint64_t>& relevant) {
  return eval::ReciprocalRank(ranked, relevant);
}

}  // namespace vecdb::testing
