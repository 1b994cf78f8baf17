// Fault-injection campaigns on the simulation variant of a WS/IS IP.
//
// Workload: reset, load one stationary matrix (rows beats), stream M vectors (the first one
// swaps the new matrix in), collect M results; producers always valid, consumer always ready.
// One fault-free reference run records the model state before every clock edge. The fast
// engine then handles each fault by (1) classifying it from the live windows of the schedule
// when every flipped bit is provably dead, else (2) restoring the snapshot of the injection
// cycle, simulating, and stopping as soon as the state equals the reference again (the rest of
// the run is then identical) or the results are complete. The naive engine re-simulates every
// fault from reset to the last result; `make bench` compares the two.
#include "Campaign.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "cosim_config.h"


#if FTACCEL_FAULT_PORTS

#include "Vtop.h"
#include "campaign/Common.h"
#include "campaign/Faults.h"
#include "campaign/Liveness.h"
#include "campaign/Records.h"
#include "campaign/Simulator.h"
#include "campaign/Workload.h"
#include "verilated.h"

using namespace ftaccel::campaign;

int campaignMain(int argc, char** argv) {
  Options o = parseOptions(argc, argv);
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
  std::string why;
  const auto t0 = std::chrono::steady_clock::now();
  if (!sim.recordReference(why)) fail(why);
  if (o.engine == "fast" && !sim.restoresExactly())
    fail("model state snapshots do not restore exactly with this Verilator; use --engine naive");
  const long window = sim.refEnd();
  const Liveness live(sim.accepts(), sim.wloads());

  const nlohmann::json header = headerJson(o, window);
  bool fresh = true;
  const std::set<long> done = resume(o, header, fresh);
  const int fd = ::open(o.out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) fail("cannot open " + o.out);
  if (fresh) {
    writeAll(fd, header.dump() + "\n");
    writeAll(fd, std::string("{\"type\":\"fault_free\",\"runs\":1,\"false_alarms\":") +
                     (sim.falseAlarm() ? "1" : "0") + ",\"mismatches\":0}\n");
  }
  std::vector<long> todo;
  for (long k = o.shard; k < o.faults; k += o.shards)
    if (!done.count(k)) todo.push_back(k);
  if (o.progress)
    std::fprintf(stderr, "[campaign] %s, %zu faults to run (%zu already recorded), window %ld cycles, %d job(s)\n",
                 o.model.c_str(), todo.size(), done.size(), window, o.jobs);

  const bool fast = o.engine == "fast";
  auto runOne = [&](long index, Stats& st) {
    Fault f = makeFault(o, index, window, list);
    bool pruned = false;
    // The shortcuts know nothing about detection units: with alarm outputs every fault runs.
    if (fast && FTACCEL_ALARM_COUNT == 0 && (o.model == "seu" || o.model == "mbu" || o.model == "list")) {
      pruned = !f.injections.empty();
      for (const auto& i : f.injections) {
        pruned = pruned && i.effect == Effect::Flip && i.c0 == i.c1;
        for (int b : i.bits) pruned = pruned && live.dead(i.site, b, i.c0);
      }
    }
    // Live flips of stationary registers: their effect on the results follows from the
    // dataflow (Liveness::stationaryEffect); --verify-pruned simulates them as well.
    RunResult predicted;
    const bool analytic = fast && FTACCEL_ALARM_COUNT == 0 && !pruned && (o.model == "seu" || o.model == "mbu" || o.model == "list") &&
                          f.injections.size() == 1 &&
                          live.stationaryEffect(f.injections[0], wl, predicted.errors);
    RunResult r = analytic ? predicted : RunResult{};
    bool violation = false;
    if ((!pruned && !analytic) || o.verifyPruned) r = sim.run(f, fast, mix(o.seed + 7 * (uint64_t)index));
    if (pruned && (!r.errors.empty() || r.missing || r.extra)) violation = true;
    if (analytic) {
      auto key = [](const ElementError& e) { return std::make_tuple(e.vec, e.lane, (long double)e.delta); };
      auto sorted = [&](std::vector<ElementError> v) {
        std::sort(v.begin(), v.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
        return v;
      };
      if (o.verifyPruned) {
        auto a = sorted(predicted.errors), b = sorted(r.errors);
        violation = r.missing || r.extra || a.size() != b.size() ||
                    !std::equal(a.begin(), a.end(), b.begin(), [&](const auto& x, const auto& y) { return key(x) == key(y); });
      }
      r.errors = predicted.errors;
    }
    st.violations += violation;
    st.pruned += pruned;
    st.analytic += analytic;
    st.cycles += r.cycles;
    ++st.done;
    return formatRecord(f, r, pruned, analytic, violation);
  };

  Stats total;
  const int jobs = std::max(1, std::min<int>(o.jobs, (int)todo.size()));
  auto report = [&](long finished, bool last) {
    if (!o.progress) return;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double rate = secs > 0 ? finished / secs : 0;
    double eta = rate > 0 ? (double)(todo.size() - finished) / rate : 0;
    std::fprintf(stderr, "[campaign] %ld/%zu faults, %.0f/s, ETA %.0f s%s\n", finished, todo.size(), rate,
                 eta, last ? " - done" : "");
  };
  const auto start = std::chrono::steady_clock::now();
  if (jobs <= 1) {
    auto lastReport = start;
    for (long k : todo) {
      writeAll(fd, runOne(k, total));
      auto now = std::chrono::steady_clock::now();
      if (now - lastReport > std::chrono::seconds(2)) {
        report(total.done, false);
        lastReport = now;
      }
    }
  } else {
    // Workers share the reference by fork; the parent is the only writer of the file.
    std::vector<int> pipes;
    std::vector<pid_t> pids;
    for (int w = 0; w < jobs; ++w) {
      int p[2];
      if (pipe(p) != 0) fail("pipe failed");
      pid_t pid = fork();
      if (pid < 0) fail("fork failed");
      if (pid == 0) {
        ::close(p[0]);
        Stats st;
        std::string buffer;  // a few records per write: the parent then has less to do
        auto last = std::chrono::steady_clock::now();
        for (size_t i = (size_t)w; i < todo.size(); i += (size_t)jobs) {
          buffer += runOne(todo[i], st);
          auto now = std::chrono::steady_clock::now();
          if (buffer.size() > (1 << 15) || now - last > std::chrono::milliseconds(200)) {
            writeAll(p[1], buffer);
            buffer.clear();
            last = now;
          }
        }
        writeAll(p[1], buffer);
        writeAll(p[1], "#stats " + std::to_string(st.pruned) + " " + std::to_string(st.analytic) + " " +
                           std::to_string(st.violations) + " " + std::to_string(st.cycles) + "\n");
        ::close(p[1]);
        std::fflush(stderr);
        _exit(0);
      }
      ::close(p[1]);
      pipes.push_back(p[0]);
      pids.push_back(pid);
    }
    std::vector<std::string> partial(jobs);
    std::vector<bool> open(jobs, true);
    int openCount = jobs;
    auto lastReport = start;
    while (openCount > 0) {
      std::vector<pollfd> fds;
      std::vector<int> which;
      for (int w = 0; w < jobs; ++w)
        if (open[w]) {
          fds.push_back({pipes[w], POLLIN, 0});
          which.push_back(w);
        }
      if (poll(fds.data(), fds.size(), 1000) < 0 && errno != EINTR) fail("poll failed");
      for (size_t i = 0; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
        const int w = which[i];
        char buf[1 << 16];
        ssize_t n = ::read(pipes[w], buf, sizeof buf);
        if (n <= 0) {
          open[w] = false;
          --openCount;
          ::close(pipes[w]);
          continue;
        }
        partial[w].append(buf, (size_t)n);
        std::string lines;
        size_t begin = 0, nl;
        while ((nl = partial[w].find('\n', begin)) != std::string::npos) {
          std::string l = partial[w].substr(begin, nl + 1 - begin);
          begin = nl + 1;
          if (l.rfind("#stats ", 0) == 0) {
            long pr = 0, an = 0, vi = 0, cy = 0;
            std::sscanf(l.c_str(), "#stats %ld %ld %ld %ld", &pr, &an, &vi, &cy);
            total.pruned += pr;
            total.analytic += an;
            total.violations += vi;
            total.cycles += cy;
            continue;
          }
          lines += l;
          ++total.done;
        }
        partial[w].erase(0, begin);
        if (!lines.empty()) writeAll(fd, lines);
      }
      auto now = std::chrono::steady_clock::now();
      if (now - lastReport > std::chrono::seconds(2)) {
        report(total.done, false);
        lastReport = now;
      }
    }
    for (pid_t pid : pids) {
      int status = 0;
      waitpid(pid, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("a campaign worker failed");
    }
  }
  ::close(fd);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report(total.done, true);
  std::printf(
      "{\"faults_run\": %ld, \"already_recorded\": %zu, \"seconds\": %.6f, \"injections_per_second\": %.1f, "
      "\"pruned\": %ld, \"analytic\": %ld, \"pruning_violations\": %ld, \"simulated_cycles\": %ld, \"window_cycles\": %ld, "
      "\"reference_seconds\": %.6f, \"snapshot_bytes\": %zu, \"snapshot_stride\": %ld, \"engine\": \"%s\", \"jobs\": %d}\n",
      total.done, done.size(), secs, secs > 0 ? total.done / secs : 0.0, total.pruned, total.analytic, total.violations,
      total.cycles, window, std::chrono::duration<double>(start - t0).count(), sim.rootSize(), sim.stride(),
      o.engine.c_str(), jobs);
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
