// Constants of the IP under test, fault descriptions, options and the random generator.
// Part of the campaign engine (tb/Campaign.cpp); compiled into the co-simulation harness only.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "SplitMix64.h"
#include "campaign/CampaignIo.h"
#include "contract/CampaignOptions.h"
#include "cosim_config.h"
#include "golden/GoldenModel.h"

namespace ftaccel::campaign {

using ftaccel::golden::Wide;

constexpr int kRows = FTACCEL_ROWS;
constexpr int kCols = FTACCEL_COLS;
constexpr int kBits = FTACCEL_DATA_BITS;
constexpr int kAccBits = FTACCEL_ACC_BITS;
constexpr int kProdBits = 2 * kBits;
// Flow-controlling PEs (array.pe): vectors of rows*group_l lanes, results of cols*group_k, the
// packed weights' index bits on wload_idx_i (0: dense PE).
constexpr int kIdxBits = FTACCEL_IDX_BITS;
constexpr int kLanesIn = kRows * FTACCEL_GROUP_L;
constexpr int kLanesOut = kCols * FTACCEL_GROUP_K;


enum class Effect { Flip, Stuck0, Stuck1, Random, Timing, Memory };
inline const char* effectName(Effect e) {
  switch (e) {
    case Effect::Flip: return "flip";
    case Effect::Stuck0: return "stuck0";
    case Effect::Stuck1: return "stuck1";
    case Effect::Random: return "random";
    case Effect::Timing: return "timing";
    case Effect::Memory: return "flip";  // a flip in a stored weight word (kind "memory")
  }
  return "?";
}

// One upset: bits of one register site (or, for Random/Timing, one PE) over cycles [c0, c1].
struct Injection {
  int site = -1;            // index into kFiSites; -1 for PE-level effects
  std::vector<int> bits;    // bit positions within the site (PE effects: none)
  long c0 = 0, c1 = 0;      // clock edges; c1 = kForever for permanent faults
  Effect effect = Effect::Flip;
  int peRow = -1, peCol = -1;
  long word = -1;  // Memory: the weight word (beat * words per beat + word in the beat); bits in it
  int64_t correct = 0, wrong = 0;  // Timing: the product and what the multiplier delivered
};
constexpr long kForever = 1L << 50;

struct Fault {
  long index = 0;
  std::vector<Injection> injections;
  long timingErrors = 0;  // timing model: wrong products drawn (the first 64 are listed)
  bool permanent() const {
    for (const auto& i : injections)
      if (i.c1 >= kForever) return true;
    return false;
  }
};


using Options = ftaccel::contract::CampaignOptions;

using Rng = ftaccel::tb::SplitMix64;  // fault draws: one seeded generator per fault

}  // namespace ftaccel::campaign
