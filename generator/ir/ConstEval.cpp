// Recursive-descent evaluator of the constant expressions the generator emits.
#include "ir/ConstEval.h"

#include <cctype>
#include <stdexcept>

#include <fmt/format.h>

namespace ftaccel::ir {
namespace {

class Parser {
 public:
  Parser(std::string_view text, const Scope& scope) : text_(text), scope_(scope) {}

  int64_t parse() {
    int64_t v = ternary();
    skipSpace();
    if (pos_ != text_.size()) fail("unexpected text");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::invalid_argument(fmt::format("cannot evaluate '{}' at column {}: {}", text_, pos_ + 1, why));
  }
  void skipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool accept(std::string_view op) {
    skipSpace();
    if (text_.substr(pos_, op.size()) != op) return false;
    // Do not take "<" out of "<<" or "<=", nor "!" out of "!=".
    const char next = pos_ + op.size() < text_.size() ? text_[pos_ + op.size()] : '\0';
    if ((op == "<" || op == ">") && (next == op[0] || next == '=')) return false;
    if ((op == "!" || op == "=") && next == '=') return false;
    if ((op == "&" && next == '&') || (op == "|" && next == '|')) return false;
    pos_ += op.size();
    return true;
  }
  void expect(std::string_view op) {
    if (!accept(op)) fail(fmt::format("expected '{}'", op));
  }

  int64_t ternary() {
    int64_t c = logicalOr();
    if (!accept("?")) return c;
    int64_t a = ternary();
    expect(":");
    int64_t b = ternary();
    return c ? a : b;
  }
  int64_t logicalOr() {
    int64_t v = logicalAnd();
    while (accept("||")) { int64_t r = logicalAnd(); v = (v || r) ? 1 : 0; }
    return v;
  }
  int64_t logicalAnd() {
    int64_t v = equality();
    while (accept("&&")) { int64_t r = equality(); v = (v && r) ? 1 : 0; }
    return v;
  }
  int64_t equality() {
    int64_t v = relational();
    for (;;) {
      if (accept("==")) v = v == relational();
      else if (accept("!=")) v = v != relational();
      else return v;
    }
  }
  int64_t relational() {
    int64_t v = shift();
    for (;;) {
      if (accept("<=")) v = v <= shift();
      else if (accept(">=")) v = v >= shift();
      else if (accept("<")) v = v < shift();
      else if (accept(">")) v = v > shift();
      else return v;
    }
  }
  int64_t shift() {
    int64_t v = additive();
    for (;;) {
      if (accept("<<")) v = v << additive();
      else if (accept(">>")) v = v >> additive();
      else return v;
    }
  }
  int64_t additive() {
    int64_t v = multiplicative();
    for (;;) {
      if (accept("+")) v += multiplicative();
      else if (accept("-")) v -= multiplicative();
      else return v;
    }
  }
  int64_t multiplicative() {
    int64_t v = unary();
    for (;;) {
      if (accept("*")) {
        v *= unary();
      } else if (accept("/") || accept("%")) {
        const bool div = text_[pos_ - 1] == '/';
        int64_t d = unary();
        if (d == 0) fail("division by zero");
        v = div ? v / d : v % d;
      } else {
        return v;
      }
    }
  }
  int64_t unary() {
    if (accept("-")) return -unary();
    if (accept("+")) return unary();
    if (accept("!")) return unary() ? 0 : 1;
    return primary();
  }
  int64_t primary() {
    skipSpace();
    if (accept("(")) {
      int64_t v = ternary();
      expect(")");
      return v;
    }
    if (pos_ < text_.size() && text_[pos_] == '$') {
      const std::string_view fn = "$clog2";
      if (text_.substr(pos_, fn.size()) != fn) fail("only $clog2 is supported");
      pos_ += fn.size();
      expect("(");
      int64_t n = ternary();
      expect(")");
      int64_t bits = 0;
      while ((int64_t{1} << bits) < n) ++bits;
      return bits;
    }
    if (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      int64_t v = number();
      if (pos_ < text_.size() && text_[pos_] == '\'') {  // sized literal: 32'd5
        ++pos_;
        if (pos_ >= text_.size() || (text_[pos_] != 'd' && text_[pos_] != 'D')) fail("only 'd literals");
        ++pos_;
        v = number();
      }
      return v;
    }
    if (pos_ < text_.size() && (std::isalpha(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      size_t start = pos_;
      while (pos_ < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_'))
        ++pos_;
      auto name = text_.substr(start, pos_ - start);
      auto it = scope_.find(name);
      if (it == scope_.end()) fail(fmt::format("unknown name '{}'", name));
      return it->second;
    }
    fail("expected a value");
  }
  int64_t number() {
    size_t start = pos_;
    int64_t v = 0;
    while (pos_ < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
      if (text_[pos_] != '_') v = v * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    if (start == pos_) fail("expected digits");
    return v;
  }

  std::string_view text_;
  const Scope& scope_;
  size_t pos_ = 0;
};

}  // namespace

int64_t evalConst(std::string_view expr, const Scope& scope) { return Parser(expr, scope).parse(); }

int evalWidth(std::string_view width, const Scope& scope) {
  if (width.empty()) return 1;
  return static_cast<int>(evalConst(width, scope));
}

}  // namespace ftaccel::ir
