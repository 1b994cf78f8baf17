// Headers every model's harness parses that no generated header reaches: the standard
// library, Verilator's runtime and the model-independent harness interfaces. A model build
// compiles this once per Verilator version, harness and flags into HarnessPch.h.gch
// (HarnessPch.mk) and later models link to that file, so that CosimMain.cpp and Campaign.cpp
// parse only their model-specific code (about 40 % of their compile time at -O1, see
// DESIGN.md). Without the .gch (the harness smoke target, a stale flag set) it is an ordinary
// header. Must stay free of cosim_config.h, fi_sites.h, cosim_units.h and Vtop*.h.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "SimIo.h"
#include "campaign/CampaignIo.h"
#include "contract/CampaignRecord.h"
#include "fault/ResultsLock.h"
#include "fault/TimingTable.h"
#include "golden/GoldenModel.h"
#include "golden/SparsePacker.h"
#include "golden/Tiler.h"
#include "protect/parity/ParityPacker.h"
#include "verilated.h"
