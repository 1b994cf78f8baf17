// A small typed tree of SystemVerilog modules, built by the units and printed by SvPrinter.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ftaccel::ir {

// Widths and expressions are SystemVerilog expression text ("DataBits", "Rows*DataBits");
// an empty width means a single bit. ir::resolve (Resolve.h) fills in the evaluated integer
// beside every printed expression, so passes read numbers instead of parsing text.
struct Param {
  std::string name;   // UpperCamelCase
  std::string value;  // default value expression
  bool local = false; // localparam (derived)
  std::string comment;
  bool header = false;    // local: printed in the #() list (usable in port widths)
  int64_t evaluated = 0;  // filled by ir::resolve
};

enum class Dir { In, Out };

struct Port {
  Dir dir;
  std::string name;   // with _i / _o suffix
  std::string width;  // "" = 1 bit, else the vector width expression
  std::string comment;
  int bits = 0;       // evaluated width, filled by ir::resolve
};

// What a register is, declared where the register is declared. The fault-injection pass, the
// manifest's site list and the campaign's live-window rules all read it.
enum class LiveClass {
  None,        // no live-window rule: always live (control, flags, configuration)
  Act,         // streamed operand passing a PE (WS/IS/OS)
  Psum,        // WS/IS partial sum
  Weight,      // WS/IS active stationary operand
  Shadow,      // WS/IS shadow (next) stationary operand
  SkewIn,      // input skew stage (operand bits; tags have no rule)
  Deskew,      // WS/IS output de-skew stage
  WeightPass,  // OS streamed weight passing a PE
  SkewW,       // OS weight skew stage
  Acc,         // OS accumulator
  Hold,        // OS finished result
  Drain,       // OS drain chain
  DeskewOs,    // OS output de-skew stage
  FilterStage, // WS input-filter stage register (AFD, median): operand bits of one vector, tags no rule
};
// Enumerator names in declaration order, for tables handed to the harness.
inline const char* liveClassNames() {
  return "None, Act, Psum, Weight, Shadow, SkewIn, Deskew, WeightPass, SkewW, Acc, Hold, Drain, DeskewOs, FilterStage";
}
inline const char* liveClassName(LiveClass c) {
  static const char* const names[] = {"None",   "Act",   "Psum", "Weight", "Shadow", "SkewIn", "Deskew",
                                      "WeightPass", "SkewW", "Acc", "Hold",   "Drain",  "DeskewOs",
                                      "FilterStage"};
  return names[static_cast<int>(c)];
}

struct RegInfo {
  std::string kind;  // site kind in the manifest: act, psum, weight, control, skew, ...
  LiveClass live = LiveClass::None;
};

struct Signal {
  std::string name;
  std::string width;
  std::string comment;
  bool isSigned = false;
  std::optional<RegInfo> reg{};  // set on every register (a signal assigned in an always_ff)
  int bits = 0;                // evaluated width; 0 inside generate blocks (per iteration)
};

// A register declaration: a signal with its fault-site kind and live-window class.
inline Signal reg(std::string name, std::string width, std::string comment, RegInfo info) {
  Signal s{std::move(name), std::move(width), std::move(comment)};
  s.reg = std::move(info);
  return s;
}

// Procedural statements; always_ff prints assignments as <=, always_comb as =. An If whose
// elseBody is a single If with chainElse set prints as "end else if (...) begin".
struct Stmt {
  enum class Kind { Assign, If, Comment };
  Kind kind = Kind::Assign;
  std::string lhs;
  std::string rhs;
  std::string cond;
  std::vector<Stmt> thenBody;
  std::vector<Stmt> elseBody;
  bool chainElse = false;

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
  // if (c0) t0 else if (c1) t1 ... else e
  static Stmt ifElseIf(std::vector<std::pair<std::string, std::vector<Stmt>>> branches,
                       std::vector<Stmt> e = {}) {
    Stmt tail;
    bool first = true;
    for (auto it = branches.rbegin(); it != branches.rend(); ++it) {
      Stmt s = ifThen(std::move(it->first), std::move(it->second));
      if (first) {
        s.elseBody = std::move(e);
      } else {
        s.elseBody.push_back(std::move(tail));
        s.chainElse = true;
      }
      tail = std::move(s);
      first = false;
    }
    return tail;
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
  std::string label;  // e.g. "p_psum", printed as a comment (a named block costs Icarus a thread)
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

// localparam item (inside a generate block, or a table at module level).
struct LocalParam {
  std::string name;
  std::string value;
  std::string type = "int";
  bool opaque = false;  // not an integer expression (a table): elaboration leaves it alone
};

// Simulation-only parameter legality check: prints an `ifndef SYNTHESIS initial block.
struct ParamCheck {
  std::string cond;     // condition that must hold
  std::string message;  // $fatal message when it does not
};

// Owning pointer with value semantics: copying a Box copies what it holds, so a copied Module
// is a deep copy (generate blocks are recursive and need the indirection).
template <class T>
class Box {
 public:
  explicit Box(T value) : p_(std::make_unique<T>(std::move(value))) {}
  Box(const Box& other) : p_(std::make_unique<T>(*other.p_)) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& other) {
    if (this != &other) p_ = std::make_unique<T>(*other.p_);
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }

 private:
  std::unique_ptr<T> p_;
};

struct Generate;
struct GenerateIf;
using Item = std::variant<Signal, ContAssign, AlwaysFF, AlwaysComb, Instance, Comment, LocalParam,
                          Box<Generate>, Box<GenerateIf>>;

// The two loops of a PE grid say so, so passes can find PE coordinates without reading labels.
enum class GridAxis { None, Row, Col };

// for (genvar var = 0; var < count; var++) begin : label ... end
struct Generate {
  std::string label;
  std::string var;
  std::string count;
  std::vector<Item> items;
  GridAxis axis = GridAxis::None;
};

// if (cond) begin : label ... end else begin : elseLabel ... end
struct GenerateIf {
  std::string cond;
  std::string label;
  std::vector<Item> thenItems;
  std::string elseLabel;
  std::vector<Item> elseItems;
};

// The top's interface assertions (docs/integration.md): immediate assertions in one clocked
// block under `ifndef SYNTHESIS, which Icarus 11, Verilator --assert and commercial simulators
// all check (Icarus 11 parses no concurrent assertions).
struct StreamCheck {
  std::string name;                  // "in", "wload", "out"
  std::string valid;                 // in_valid_i
  std::string ready;                 // in_ready_o
  std::vector<std::string> payload;  // ports that must hold while valid waits for ready
  bool fromIp = false;               // the IP is the producer (out stream)
};
struct InterfaceChecks {
  std::vector<StreamCheck> streams;
  std::vector<std::string> knownOutputs;  // never unknown once rst_ni is high
  bool empty() const { return streams.empty() && knownOutputs.empty(); }
};

struct Module {
  std::string name;
  std::vector<std::string> description;  // comment lines printed above the module
  std::vector<Param> params;
  std::vector<Port> ports;
  std::vector<ParamCheck> checks;
  std::vector<Item> items;
  std::vector<std::string> lintWaivers;  // justification text printed with each waiver
  InterfaceChecks assertions;            // clocked by clk_i, off in reset (rst_ni low)
};

inline Box<Generate> makeGenerate(std::string label, std::string var, std::string count,
                                  std::vector<Item> items, GridAxis axis = GridAxis::None) {
  return Box<Generate>(
      Generate{std::move(label), std::move(var), std::move(count), std::move(items), axis});
}

inline Box<GenerateIf> makeGenerateIf(std::string cond, std::string label,
                                      std::vector<Item> thenItems, std::string elseLabel = "",
                                      std::vector<Item> elseItems = {}) {
  return Box<GenerateIf>(GenerateIf{std::move(cond), std::move(label), std::move(thenItems),
                                    std::move(elseLabel), std::move(elseItems)});
}

}  // namespace ftaccel::ir
