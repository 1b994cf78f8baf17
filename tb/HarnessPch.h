// Headers every model compiles that no generated header reaches: the standard library,
// Verilator's runtime and the model-independent harness interfaces. A model build compiles
// this once per Verilator version, harness and flag set into HarnessPch.h.gch (HarnessPch.mk),
// later models link to that file, and every file of a model (harness and verilated code)
// starts from it through `-include`, so each parses only its own code (DESIGN.md, "Tests and
// their cost"). The sources do not include it: each still includes what it uses, so builds
// without it (the harness smoke target) are unchanged. Must stay free of cosim_config.h,
// fi_sites.h, cosim_units.h and Vtop*.h.
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
