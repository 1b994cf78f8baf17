// Key-row helpers shared by the activation-filter units (AFD, median): a row builder and the
// check that a filter is configured on the dataflow it applies to.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "config/Config.h"
#include "config/KeyRow.h"

namespace ftaccel::protect::keys {

template <typename Get, typename Set>
config::KeyRow row(std::string_view path, config::Kind kind, double min, double max, Get get, Set set,
                   std::vector<std::string_view> choices = {}) {
  config::KeyRow r;
  r.path = path;
  r.kind = kind;
  r.min = min;
  r.max = max;
  r.choices = std::move(choices);
  r.get = get;
  r.set = set;
  return r;
}

// The filters work on the lanes of one streamed beat, which are the activations of one vector
// (its channels) only in WS. IS streams weights (activations are the loaded operand); OS streams
// one reduction step per beat, so its lanes are different vectors (batch rows) of one channel.
inline std::string wsOnly(const config::Config& cfg, bool enabled, std::string_view key, std::string_view what) {
  if (!enabled || cfg.array.dataflow == config::Dataflow::WS) return "";
  return fmt::format(
      "'{}' = true does not apply to array.dataflow = \"{}\": {} filters the activation channels of one "
      "streamed vector, which only the ws dataflow streams ({}); allowed: array.dataflow = \"ws\"",
      key, config::toString(cfg.array.dataflow), what,
      cfg.array.dataflow == config::Dataflow::IS ? "is streams weights and loads the activations"
                                                 : "an os beat carries one channel of rows different vectors");
}

}  // namespace ftaccel::protect::keys
