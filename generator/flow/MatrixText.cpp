// Text matrices for `ftaccel pack` (see MatrixText.h).
#include "flow/MatrixText.h"

#include <charconv>
#include <vector>

#include <fmt/format.h>

#include "diag/Diagnostics.h"

namespace ftaccel::flow {

namespace {

struct Token {
  std::string_view text;
  int line = 0, column = 0;
};

// Whitespace-separated tokens of one line, comment stripped.
std::vector<Token> tokens(std::string_view line, int lineNo) {
  std::vector<Token> out;
  if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) out.push_back({line.substr(start, i - start), lineNo, (int)start + 1});
  }
  return out;
}

bool toInt(std::string_view s, int64_t& v) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data() + (!s.empty() && s[0] == '+'), end, v);
  return ec == std::errc() && p == end;
}

}  // namespace

golden::Matrix parseMatrixText(std::string_view text, const std::string& sourceName) {
  diag::DiagnosticBag diags;
  auto at = [&](const Token& t) { return diag::Location{sourceName, t.line, t.column}; };
  std::vector<std::vector<Token>> lines;
  int lineNo = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    ++lineNo;
    auto t = tokens(text.substr(pos, nl - pos), lineNo);
    if (!t.empty()) lines.push_back(std::move(t));
    pos = nl + 1;
  }
  if (lines.empty()) diag::throwError("pack.matrix", diag::Location{sourceName, 1, 1}, "empty matrix file: expected \"matrix ROWS COLS\"");
  const auto& head = lines[0];
  int64_t rows = 0, cols = 0;
  if (head.size() != 3 || head[0].text != "matrix" || !toInt(head[1].text, rows) || !toInt(head[2].text, cols) ||
      rows < 1 || cols < 1 || rows > 65536 || cols > 65536)
    diag::throwError("pack.matrix", at(head[0]),
                     "the first line must be \"matrix ROWS COLS\" with 1..65536 rows and columns");
  if ((int64_t)lines.size() - 1 != rows)
    diags.error("pack.matrix", at(lines.size() > 1 ? lines.back()[0] : head[0]),
                fmt::format("the header announces {} rows, the file has {}", rows, lines.size() - 1));
  golden::Matrix m((int)rows, (int)cols);
  for (size_t r = 1; r < lines.size() && (int64_t)r <= rows; ++r) {
    const auto& row = lines[r];
    if ((int64_t)row.size() != cols) {
      diags.error("pack.matrix", at(row[0]), fmt::format("row {} has {} values, expected {}", r - 1, row.size(), cols));
      continue;
    }
    for (size_t c = 0; c < row.size(); ++c) {
      int64_t v = 0;
      if (!toInt(row[c].text, v)) diags.error("pack.matrix", at(row[c]), fmt::format("'{}' is not an integer", row[c].text));
      else m.at((int)r - 1, (int)c) = v;
    }
  }
  if (diags.hasErrors()) throw diag::DiagnosticError(diags);
  return m;
}

std::string formatPacked(const golden::PackedMatrix& p, std::string_view peKind, int sourceRows, int sourceCols) {
  std::string s = fmt::format(
      "# ftaccel packed matrix (docs/sparsity.md): array.pe = \"{}\", group_l = {}, group_k = {}, from {} x {}\n"
      "# index = row offset in the group + group_l * column offset in the group\n"
      "packed {} {} group_l {} group_k {}\n",
      peKind, p.shape.l, p.shape.k, sourceRows, sourceCols, p.values.rows, p.values.cols, p.shape.l, p.shape.k);
  auto block = [&](const char* name, const golden::Matrix& m) {
    s += std::string(name) + "\n";
    for (int r = 0; r < m.rows; ++r) {
      for (int c = 0; c < m.cols; ++c) s += fmt::format("{}{}", c ? " " : "", m.at(r, c));
      s += "\n";
    }
  };
  block("values", p.values);
  block("index", p.index);
  return s;
}

}  // namespace ftaccel::flow
