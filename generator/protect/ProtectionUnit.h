// The protection-unit plug-in interface: what a unit declares (keys, hooks into the PE, array
// and top, ports, alarms, pipeline stages, synthesis baseline, harness driver) and the registry.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "config/Config.h"
#include "config/KeyRow.h"
#include "ir/Ir.h"
#include "units/GridNets.h"
#include "units/PipelineModel.h"

namespace ftaccel::protect {

// Points of the PE datapath a unit may rewrite (each hook receives the current SV expression and
// returns the new one; the identity leaves the RTL byte for byte as it was).
enum class PePoint {
  OperandA,   // the streamed operand entering the multiplier (WS: activation, IS: weight; OS: activation)
  OperandB,   // the other operand (WS: active weight, IS: stationary input; OS: weight)
  Product,    // the full-width signed product
  Result,     // what the PE stores as its result (WS/IS: psum_q, psumIn = partial sum from the north; OS: hold_q)
  PsumOut,    // what leaves the PE (WS/IS: psum_o; OS: drain_o)
  LoadChain,  // WS/IS: the next shadow (stationary) value taken from the load chain; OS: none
};

// PE attachment point for logic: ports, items and description lines are appended;
// `declarations` go to the top of the module.
struct PeHook {
  ir::Module& pe;
  const config::Config& cfg;
  std::vector<ir::Item>& declarations;
};

// Array attachment point: ports and items of the array module, the PE instance's connections,
// and neighbour-to-neighbour chains (wired PE to PE by the array builder, units/GridNets.h).
struct ArrayHook {
  ir::Module& array;
  ir::Instance& pe;
  std::vector<units::GridChain>& chains;
  const config::Config& cfg;
};

// Input-stage attachment point, in front of the input register and skew: the lane vectors
// about to enter the skew (WS/IS: the streamed operand with its swap tags; OS: activations with
// their tile flags, and the weights). A unit that declares inputStages() registers every stream
// through that many stages (enabled by `enable`, the pipeline advance) and replaces each `data`
// with its stage output, so the streams stay aligned.
struct InputStream {
  std::string role;      // "stream" (WS/IS), "act" or "weight" (OS)
  std::string data;      // the vector entering the skew
  std::string lanes;     // number of lanes (SV expression), lane i = data[i*laneBits +: laneBits]
  std::string laneBits;  // bits per lane (SV expression)
  int operandBits = 0;   // the low operandBits of a lane are the operand, the rest are tags
};
struct InputStageHook {
  ir::Module& top;
  std::vector<InputStream> streams;
  std::string enable = "en";
};

// Output-check attachment point, after the de-skew: the result vector as it leaves the IP and
// the condition under which a result is taken. A check reads them (it never delays the results)
// and reports through its own alarm outputs.
struct OutputCheckHook {
  ir::Module& top;
  std::string data = "out_data_o";  // lanes lanes of laneBits bits, lane c = output c
  std::string lanes = "Cols";
  std::string laneBits = "AccBits";
  std::string taken = "out_valid_o && out_ready_i";
  std::string enable = "en";        // the pipeline advance
  // The de-skewed result vector in front of the output buffer and the condition under which
  // the buffer takes it (a valid result leaves the pipeline this cycle).
  std::string results = "results";
  std::string pushed = "buf_head_load || buf_tail_load";
  // A value a unit computes beside the results in the pipeline (aligned with the de-skewed
  // results under `enable`, in front of the output buffer) passes through buffer registers of
  // its own with the same controls, so it stays with its result vector; returns the buffered
  // signal (aligned with `data`). Arguments: value, its width (SV expression), a name prefix.
  std::function<std::string(const std::string&, const std::string&, const std::string&)> alongResults{};
};

// Stream-insertion point (WS/IS), between the streamed operand's ports and the ctrl: a unit may
// hold the stream off (its ready low) and put vectors of its own into the pipeline as bubbles:
// the ctrl sees no input for them, so no result is delivered for them. The unit replaces `valid`
// (what the ctrl reads as its input valid), `ready` (the net the ctrl drives; the unit then
// drives `readyPort` itself) and `data` (the vector entering the input stages and the skew).
struct StreamInsertHook {
  ir::Module& top;
  std::string valid;            // initially the top's valid port
  std::string swap;             // the top's swap port (read only)
  std::string ready;            // initially readyPort: the ctrl drives the port
  std::string readyPort;        // the top's ready output
  std::string data;             // the vector taken (zero while idle): "act_in"
  std::string lanes = "Rows";   // lane r = data[r*laneBits +: laneBits]
  std::string laneBits = "DataBits";
  std::string accept = "accept";  // the ctrl takes a vector this cycle
  std::string enable = "en";      // the pipeline advance (data is registered under it)
};

// Load-path attachment point (WS/IS), between the top's load port and the array: one beat of
// the stationary operand, `lanes` lanes of `laneBits` bits, loaded when `taken` is high. A unit
// may replace `data` with its own signal (e.g. a checked copy); the array reads what is left.
struct LoadPathHook {
  ir::Module& top;
  std::string data;                  // "wload_data_i" (WS) or "xload_data_i" (IS)
  std::string role;                  // what is loaded: "weight" (WS) or "input" (IS)
  std::string lanes = "Cols";        // lane c = column c
  std::string laneBits = "DataBits";
  std::string taken = "wload";       // a beat is taken this cycle (the ctrl's wload_o)
};

// A module a unit adds, and which module instantiates it (its hook writes the instance): the
// synthesis roll-up counts it `instances` times per parent.
struct ExtraModule {
  enum class Parent { Top, Array, Pe };
  ir::Module module;
  Parent parent = Parent::Top;
  int instances = 1;
};

// A top-level port group a unit owns: ports whose name starts with `prefix`.
struct PortGroup {
  std::string prefix;  // "bypass_"
  std::string group;   // manifest group name
};

class ProtectionUnit {
 public:
  virtual ~ProtectionUnit() = default;

  virtual std::string_view name() const = 0;  // "bypass": manifest, overhead table, registry
  virtual std::vector<config::KeyRow> configKeys() const = 0;
  virtual bool enabled(const config::Config& cfg) const = 0;

  // A PE datapath expression with this unit applied (bypass: the Result mux or AND gates);
  // called only when enabled. `psumIn` is the partial sum from the north (WS/IS, Result only).
  virtual std::string peExpr(PePoint point, const config::Config& cfg, const std::string& expr,
                             const std::string& psumIn) const {
    (void)point; (void)cfg; (void)psumIn;
    return expr;
  }
  // Hooks, called by the builders (only when enabled) after the module's own items.
  virtual void attachPe(PeHook& hook) const { (void)hook; }
  virtual void attachArray(ArrayHook& hook) const { (void)hook; }
  virtual void attachTop(ir::Module& top, ir::Instance& array, const config::Config& cfg) const {
    (void)top; (void)array; (void)cfg;
  }
  // Checks on the de-skewed results.
  virtual void attachOutputCheck(OutputCheckHook& hook, const config::Config& cfg) const { (void)hook; (void)cfg; }
  // The stationary operand's load beats (WS/IS only; OS streams both operands).
  virtual void attachLoadPath(LoadPathHook& hook, const config::Config& cfg) const { (void)hook; (void)cfg; }
  // Vectors a unit inserts into the streamed operand (WS/IS; called before attachInputStage).
  virtual void attachStreamInsert(StreamInsertHook& hook, const config::Config& cfg) const { (void)hook; (void)cfg; }
  // Stages in front of the skew (each declared in inputStages, in the same order).
  virtual void attachInputStage(InputStageHook& hook, const config::Config& cfg) const { (void)hook; (void)cfg; }
  // Extra modules of this unit (leaves first), and pipeline stages it adds in front of the skew.
  // `top` is the top module's name (it differs between the production RTL and the simulation
  // variant); module names start with top + "_" so two IPs never clash.
  virtual std::vector<ExtraModule> extraModules(const config::Config& cfg, const std::string& top) const {
    (void)cfg; (void)top;
    return {};
  }
  virtual std::vector<units::PipelineStage> inputStages(const config::Config& cfg) const { (void)cfg; return {}; }

  // Manifest: its port groups, its protocol entry (also when disabled: says how to enable it),
  // and the top-level alarm outputs that a campaign classifies as detected.
  virtual std::vector<PortGroup> portGroups() const { return {}; }
  virtual std::string protocol(const config::Config& cfg) const = 0;
  virtual std::vector<std::string> alarmPorts(const config::Config& cfg) const { (void)cfg; return {}; }
  // Manifest: the unit's cost in throughput (text under throughput.<name>) and the cycles it adds
  // to the latency section's batch formula (" + ..."); empty when it costs none.
  virtual std::string throughputNote(const config::Config& cfg) const { (void)cfg; return ""; }
  virtual std::string batchFormulaExtra(const config::Config& cfg) const { (void)cfg; return ""; }

  // Synthesis: the same configuration without this unit, and the published figures printed
  // beside its measured overhead.
  virtual config::Config baseline(const config::Config& cfg) const = 0;
  virtual std::string referenceFigures(const config::Config& cfg) const { (void)cfg; return ""; }

  // Harness: the header (path inside the harness tree) that drives this unit's ports; it must
  // define ftaccel::tb::<name>::clearInputs(top). Included only into models that have the unit.
  virtual std::string harnessDriver() const { return ""; }
  // Harness: `#define` lines written in front of the driver's include (the configuration's
  // facts the driver needs, e.g. the run-time settings it drives).
  virtual std::string harnessDefines(const config::Config& cfg) const { (void)cfg; return ""; }
  // Harness: true when the driver defines <name>::filterInputs(std::vector<int64_t>&), the
  // golden model of what an input stage does to a streamed vector; the harness applies the
  // filters of the enabled units in registry order before computing the expected result.
  virtual bool filtersInputs() const { return false; }
  // True when that header also defines ftaccel::tb::<name>::loadBeat(top, row): the stream
  // driver calls it after it has set the stationary operand's load lanes (WS/IS) of beat `row`
  // of the matrix, so the unit can drive lanes computed from the beat (Sanity-Check: the
  // checksum weight).
  virtual bool harnessLoadBeat() const { return false; }
  // Top-level inputs that travel with every beat of the stationary operand's load port: the
  // interface assertions hold them stable with the beat while its valid waits for ready.
  virtual std::vector<std::string> loadBeatPorts(const config::Config&) const { return {}; }
};

// Every unit, in the order hooks run. Adding a unit is one line in Registry.cpp.
const std::vector<const ProtectionUnit*>& registry();

// Design tests only: a unit that is enabled for every configuration while the object lives
// (its keys are not added to the key table). Shows that a unit needs nothing but the interface.
class ScopedTestUnit {
 public:
  explicit ScopedTestUnit(const ProtectionUnit& unit);
  ~ScopedTestUnit();
  ScopedTestUnit(const ScopedTestUnit&) = delete;
  ScopedTestUnit& operator=(const ScopedTestUnit&) = delete;
};

// The units a configuration enables, in registry order.
std::vector<const ProtectionUnit*> enabledUnits(const config::Config& cfg);

}  // namespace ftaccel::protect
