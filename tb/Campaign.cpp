// Fault-injection campaigns on the simulation variant of an IP (docs/fault-injection.md).
//
// Workload: WS/IS load one stationary matrix and stream M vectors; OS runs one tile of K steps;
// producers always valid, consumer always ready. One fault-free reference run records the model
// state before every clock edge. The fast engine then handles each fault by (1) classifying it
// from the live windows of the schedule when every flipped bit is dead, (2) the
// stationary-register rule, else (3) restoring the snapshot before its first edge, simulating,
// and stopping as soon as the state equals the reference again or the results are complete.
// The naive engine re-simulates every fault from reset; `make bench-campaign` compares the two.
#include "Campaign.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cosim_config.h"

#if FTACCEL_FAULT_PORTS

#include "Vtop.h"
#include "campaign/Common.h"
#include "campaign/Faults.h"
#include "campaign/Liveness.h"
#include "campaign/Records.h"
#include "campaign/ResultsFile.h"
#include "campaign/Runner.h"
#include "campaign/Simulator.h"
#include "campaign/Workers.h"
#include "campaign/Workload.h"
#include "verilated.h"

using namespace ftaccel::campaign;

int campaignMain(int argc, char** argv) {
  Options o = readCampaignOptions(argc, argv);
  installStopHandlers();
  auto ctx = std::make_unique<VerilatedContext>();
  ctx->randReset(2);
  auto top = std::make_unique<Vtop>(ctx.get());
  std::unique_ptr<ftaccel::fault::TimingTable> table;
  if (o.model == "timing") {
    try {
      table = std::make_unique<ftaccel::fault::TimingTable>(ftaccel::fault::loadTimingTable(o.timingTable));
    } catch (const std::exception& e) {
      fail(e.what());
    }
  }
  const std::vector<Injection> list = o.model == "list" ? parseList(o.inject) : std::vector<Injection>{};
  const Workload wl = makeWorkload(o.vectors, o.workloadSeed);
  Simulator sim(*top, wl, table.get(), o.timingScale, (size_t)o.snapshotMib << 20, o.snapshotStride);
  if (o.model.rfind("mem-", 0) == 0) sim.setMemoryWord(o.memoryWord);
  std::string why;
  const auto t0 = std::chrono::steady_clock::now();
  if (!sim.recordReference(why)) fail(why);
  if (o.engine == "fast" && !sim.restoresExactly())
    fail("model state snapshots do not restore exactly with this Verilator; use --engine naive");
  const long window = sim.refEnd();
  const Liveness live(sim.accepts(), sim.wloads());

  const ftaccel::contract::CampaignHeader header = makeHeader(o, window);
  bool fresh = true;
  ResultsFile out(o.out);  // locked before it is read: one writer per file
  const std::set<long> done = resumeResults(o.out, header, fresh);
  out.start(done.size());
  if (fresh || out.empty())  // one write: a kill cannot leave the header without the fault-free line
    out.append(headerText(header) + faultFreeText({1, sim.falseAlarm() ? 1 : 0, 0}));
  std::vector<long> todo;
  for (long k = o.shardIndex; k < o.faults; k += o.shardCount)
    if (!done.count(k)) todo.push_back(k);
  if (o.progress)
    std::fprintf(stderr, "[campaign] %s, %zu faults to run (%zu already recorded), window %ld cycles, %d job(s)\n",
                 o.model.c_str(), todo.size(), done.size(), window, o.jobs);

  const FaultRunner runOne(o, window, list, wl, sim, live);
  Stats total;
  const int jobs = std::max(1, std::min<int>(o.jobs, (int)todo.size()));
  Progress progress(todo.size(), o.progress);
  const auto start = std::chrono::steady_clock::now();
  if (jobs <= 1) runSerial(todo, runOne, out, total, progress);
  else runForked(todo, jobs, runOne, out, total, progress);
  out.close();
  if (gStopSignal) {
    if (o.progress)
      std::fprintf(stderr, "[campaign] stopped by signal %d with %ld of %zu faults recorded; rerun to resume\n",
                   (int)gStopSignal, out.records(), todo.size() + done.size());
    std::fflush(stderr);
    _exit(128 + gStopSignal);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  progress.tick(total.done, true);
  ftaccel::contract::CampaignStats stats;
  stats.faultsRun = total.done;
  stats.alreadyRecorded = (long)done.size();
  stats.seconds = secs;
  stats.injectionsPerSecond = secs > 0 ? total.done / secs : 0.0;
  stats.pruned = total.pruned;
  stats.analytic = total.analytic;
  stats.pruningViolations = total.violations;
  stats.simulatedCycles = total.cycles;
  stats.windowCycles = window;
  stats.referenceSeconds = std::chrono::duration<double>(start - t0).count();
  stats.snapshotBytes = (long)sim.rootSize();
  stats.snapshotStride = sim.stride();
  stats.engine = o.engine;
  stats.jobs = jobs;
  std::printf("%s\n", statsText(stats).c_str());
  top->final();
  return total.violations ? 1 : 0;
}

#else

#include <cstdio>

int campaignMain(int, char**) {
  std::fprintf(stderr, "campaign: error: campaigns need the fault-injection variant of the IP\n");
  return 2;
}

#endif
