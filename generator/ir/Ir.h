// A small typed tree of SystemVerilog modules, built by the units and printed by SvPrinter.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ftaccel::ir {

// Widths and expressions are SystemVerilog expression text ("DataBits", "Rows*DataBits");
// an empty width means a single bit.
struct Param {
  std::string name;   // UpperCamelCase
  std::string value;  // default value expression
  bool local = false; // localparam (derived)
  std::string comment;
};

enum class Dir { In, Out };

struct Port {
  Dir dir;
  std::string name;   // with _i / _o suffix
  std::string width;  // "" = 1 bit, else the vector width expression
  std::string comment;
};

struct Signal {
  std::string name;
  std::string width;
  std::string comment;
  bool isSigned = false;
};

// Procedural statements; always_ff prints assignments as <=, always_comb as =.
struct Stmt {
  enum class Kind { Assign, If, Comment };
  Kind kind = Kind::Assign;
  std::string lhs;
  std::string rhs;
  std::string cond;
  std::vector<Stmt> thenBody;
  std::vector<Stmt> elseBody;

  static Stmt assign(std::string l, std::string r) {
    Stmt s;
    s.lhs = std::move(l);
    s.rhs = std::move(r);
    return s;
  }
  static Stmt ifThen(std::string c, std::vector<Stmt> t, std::vector<Stmt> e = {}) {
    Stmt s;
    s.kind = Kind::If;
    s.cond = std::move(c);
    s.thenBody = std::move(t);
    s.elseBody = std::move(e);
    return s;
  }
  static Stmt comment(std::string text) {
    Stmt s;
    s.kind = Kind::Comment;
    s.lhs = std::move(text);
    return s;
  }
};

struct ContAssign {
  std::string lhs;
  std::string rhs;
  std::string comment;
};

// Register block with async active-low reset: if (!rst_ni) reset else body.
struct AlwaysFF {
  std::string label;  // block name, e.g. "p_psum"
  std::string comment;
  std::vector<Stmt> reset;
  std::vector<Stmt> body;
};

struct AlwaysComb {
  std::string label;
  std::string comment;
  std::vector<Stmt> body;
};

struct Instance {
  std::string module;
  std::string name;
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<std::pair<std::string, std::string>> ports;
  std::string comment;
};

struct Comment {
  std::string text;
};

// localparam inside a generate block.
struct LocalParam {
  std::string name;
  std::string value;
};

// Simulation-only parameter legality check: prints an `ifndef SYNTHESIS initial block.
struct ParamCheck {
  std::string cond;     // condition that must hold
  std::string message;  // $fatal message when it does not
};

struct Generate;
struct GenerateIf;
using Item = std::variant<Signal, ContAssign, AlwaysFF, AlwaysComb, Instance, Comment, LocalParam,
                          std::shared_ptr<Generate>, std::shared_ptr<GenerateIf>>;

// for (genvar var = 0; var < count; var++) begin : label ... end
struct Generate {
  std::string label;
  std::string var;
  std::string count;
  std::vector<Item> items;
};

// if (cond) begin : label ... end else begin : elseLabel ... end
struct GenerateIf {
  std::string cond;
  std::string label;
  std::vector<Item> thenItems;
  std::string elseLabel;
  std::vector<Item> elseItems;
};

struct Module {
  std::string name;
  std::vector<std::string> description;  // comment lines printed above the module
  std::vector<Param> params;
  std::vector<Port> ports;
  std::vector<ParamCheck> checks;
  std::vector<Item> items;
  std::vector<std::string> lintWaivers;  // justification text printed with each waiver
};

inline std::shared_ptr<Generate> makeGenerate(std::string label, std::string var,
                                              std::string count, std::vector<Item> items) {
  return std::make_shared<Generate>(
      Generate{std::move(label), std::move(var), std::move(count), std::move(items)});
}

inline std::shared_ptr<GenerateIf> makeGenerateIf(std::string cond, std::string label,
                                                  std::vector<Item> thenItems,
                                                  std::string elseLabel = "",
                                                  std::vector<Item> elseItems = {}) {
  return std::make_shared<GenerateIf>(GenerateIf{std::move(cond), std::move(label),
                                                 std::move(thenItems), std::move(elseLabel),
                                                 std::move(elseItems)});
}

}  // namespace ftaccel::ir
