// Protocol fuzzer (`ftaccel sim --protocol-fuzz N`): N random legal handshake sequences from
// reset, each with its own offer/ready/swap rates (OS: random tile lengths). Every accepted
// vector's result must be right and must come within the manifest's `protocol.result_bound`;
// nothing may come out afterwards. Included by CosimMain.cpp after its helpers.
#pragma once

namespace {

// Legal producers hold valid, data and tag until the handshake (README, "Integrating the IP").
constexpr long kFuzzSlack = FTACCEL_RESULT_SLACK;  // manifest protocol.result_bound

struct FuzzRates {
  double in, load, swap, ready;
  long cycles;
};

FuzzRates fuzzRates(std::mt19937_64& rng) {
  static const double offer[] = {0.05, 0.3, 0.7, 1.0};
  static const double swap[] = {0.0, 0.05, 0.3, 1.0};
  static const double ready[] = {0.05, 0.4, 0.8, 1.0};
  auto pick = [&](const double* v) { return v[rng() % 4]; };
  return {pick(offer), pick(offer), pick(swap), pick(ready), 32 + (long)(rng() % 400)};
}

bool draw(std::mt19937_64& rng, double p) {
  return p >= 1.0 || std::uniform_real_distribution<double>(0, 1)(rng) < p;
}

int64_t randomValue(std::mt19937_64& rng) {
  return std::uniform_int_distribution<int64_t>(ftaccel::golden::minValue(kBits),
                                                ftaccel::golden::maxValue(kBits))(rng);
}

// One result the fuzzer waits for: its golden lanes, the cycle its bound starts from, the
// consumer stall count then, and the extra cycles it may take (OS: its row in the tile).
struct FuzzPending {
  std::vector<Wide> expected;
  long since, stallsAt, extra;
  long id;
};

// Takes one output handshake (or its absence) against the queue; returns false on a violation.
bool fuzzOutput(Vtop& top, std::deque<FuzzPending>& pending, bool outFire, long cycle, long stalls,
                Report& rep) {
  if (outFire) {
    if (pending.empty()) {
      ++rep.spurious;
      rep.mismatch("output handshake with no result pending (cycle " + std::to_string(cycle) + ")");
      return false;
    }
    FuzzPending p = std::move(pending.front());
    pending.pop_front();
    const long slack = cycle - p.since - kLatency - p.extra - (stalls - p.stallsAt);
    rep.fuzzWorstSlack = std::max(rep.fuzzWorstSlack, slack);
    bool ok = true;
    for (int c = 0; c < kCols; ++c) {
      const Wide got = getLaneSigned(top.out_data_o, c, kAccBits);
      if (got != p.expected[c]) {
        ok = false;
        rep.mismatch("result " + std::to_string(p.id) + " lane " + std::to_string(c) + ": expected " +
                     ftaccel::golden::toString(p.expected[c]) + ", got " + ftaccel::golden::toString(got));
      }
    }
    ++rep.checked;
    if (!ok) return false;
  }
  if (!pending.empty()) {
    const FuzzPending& p = pending.front();
    if (cycle - p.since - kLatency - p.extra - (stalls - p.stallsAt) > kFuzzSlack) {
      ++rep.fuzzBoundViolations;
      rep.mismatch("result " + std::to_string(p.id) + " exceeds the result bound (cycle " +
                   std::to_string(cycle) + ")");
      return false;
    }
  }
  return true;
}

#if !FTACCEL_DATAFLOW_OS
// WS/IS: vectors with random swap flags, loads at random times, a random consumer.
int fuzzProtocol(Vtop& top, const Options& opt, const FaultSetup& fs, Report& rep) {
  const auto& mask = fs.mask;
  std::mt19937_64 rng(opt.seed);
  Stimulus stim(opt.seed + 1, "random");  // random-output PE faults only
  StreamDriver<Vtop> io(top);
  long cycle = 0, id = 0;
  for (long seq = 0; seq < opt.protocolFuzz; ++seq) {
    const FuzzRates rate = fuzzRates(rng);
    io.offer({});
    reset(top);
    loadBypass(top, mask);
    ftaccel::golden::StationaryModel model(kRows, kCols);
    Matrix active(kRows, kCols), next(kRows, kCols);  // pruned active operand; the load being sent
    std::deque<FuzzPending> pending;
    std::vector<int64_t> x(kRows);
    bool vecUp = false, swapFlag = false, loadUp = false, ok = true;
    int loadRow = 0;
    long stalls = 0, quiet = 0;
    for (long t = 0; ok; ++t, ++cycle) {
      const bool drain = t >= rate.cycles;
      // Finished: nothing offered or in flight, no load half done, and quiet for the horizon.
      if (drain && !vecUp && !loadUp && loadRow == 0 && pending.empty() && ++quiet > kLatency + kFuzzSlack)
        break;
      if (!vecUp && !drain && draw(rng, rate.in)) {
        for (auto& v : x) v = randomValue(rng);
        swapFlag = draw(rng, rate.swap);
        vecUp = true;
      }
      // A started load is always finished (README); new loads start only before the drain.
      if (!loadUp && (loadRow != 0 || (!drain && draw(rng, rate.load)))) {
        if (loadRow == 0) {
          for (auto& v : next.data) v = randomValue(rng);
#if FTACCEL_UNIT_WEIGHT_PARITY
          ftaccel::protect::parity::packImage(next.data, weight_parity::layout(), weight_parity::rule());
#endif
        }
        loadUp = true;
      }
      const bool ready = drain || draw(rng, rate.ready);
      io.offer({vecUp, vecUp && swapFlag, loadUp, ready});
      for (int k = 0; k < kRows; ++k) io.streamLane(k, vecUp ? x[k] : 0);
      for (int c = 0; c < kCols; ++c) io.loadLane(loadRow, c, loadUp ? next.at(loadRow, c) : 0);
      driveFaults(top, fs.faults, stim);
      top.eval();
      rep.alarmCycles += FTACCEL_ANY_ALARM(top) ? 1 : 0;
      const Handshakes hs = io.handshakes();
      if (vecUp && swapFlag && hs.in && model.swapWaits(loadUp)) {
        rep.mismatch("a swap was taken while its load was in progress or offered (cycle " +
                     std::to_string(cycle) + ")");
        ok = false;
      }
      ok = fuzzOutput(top, pending, hs.out, cycle, stalls, rep) && ok;
      if (top.out_valid_o && !ready) ++stalls;
      if (hs.in) {
        if (swapFlag) {
          if (model.swap()) {
            ++rep.fuzzSwaps;
            active = model.active();
            for (int k = 0; k < kRows; ++k)
              for (int c = 0; c < kCols; ++c)
                if (mask[k][c]) active.at(k, c) = 0;
          } else {
            ++rep.fuzzNoopSwaps;
          }
        }
        pending.push_back({ftaccel::golden::arrayOutput(seenByArray(x), active, kBits), cycle, stalls, 0, id++});
        ++rep.vectors;
        vecUp = false;
      }
      if (hs.load) {
        model.loadBeat(std::vector<int64_t>(next.data.begin() + (long)loadRow * kCols,
                                            next.data.begin() + (long)(loadRow + 1) * kCols));
        loadRow = (loadRow + 1) % kRows;
        loadUp = false;
      }
      top.clk_i = 1;
      top.eval();
      top.clk_i = 0;
      top.eval();
    }
    ++rep.fuzzSequences;
    if (!ok) break;
  }
  top.final();
  rep.cycles = cycle;
  rep.latMin = rep.latMax = kLatency;
  return rep.print();
}
#else
// OS: tiles of random length (1..max_k steps) with random offer and ready rates.
int fuzzProtocol(Vtop& top, const Options& opt, const FaultSetup& fs, Report& rep) {
  const auto& mask = fs.mask;
  std::mt19937_64 rng(opt.seed);
  Stimulus stim(opt.seed + 1, "random");  // random-output PE faults only
  StreamDriver<Vtop> io(top);
  long cycle = 0, id = 0;
  const int maxK = std::min(FTACCEL_MAX_K, 3 * kRows + 4);
  for (long seq = 0; seq < opt.protocolFuzz; ++seq) {
    const FuzzRates rate = fuzzRates(rng);
    io.offer({});
    reset(top);
    loadBypass(top, mask);
    std::deque<FuzzPending> pending;
    Matrix tx, tw;  // the tile being sent: rows x K activations, K x cols weights
    int step = 0;
    bool up = false, inTile = false, ok = true;
    long stalls = 0, quiet = 0;
    for (long t = 0; ok; ++t, ++cycle) {
      const bool drain = t >= rate.cycles;
      if (drain && !up && !inTile && pending.empty() && ++quiet > kLatency + kRows + kFuzzSlack) break;
      // A started tile is always finished; new tiles start only before the drain.
      if (!up && (inTile || (!drain && draw(rng, rate.in)))) {
        if (!inTile) {
          const int k = 1 + (int)(rng() % (unsigned)maxK);
          tx = Matrix(kRows, k);
          tw = Matrix(k, kCols);
          for (auto& v : tx.data) v = randomValue(rng);
          for (auto& v : tw.data) v = randomValue(rng);
          step = 0;
          inTile = true;
        }
        up = true;
      }
      const bool ready = drain || draw(rng, rate.ready);
      io.offer({up, up && step == tx.cols - 1, false, ready});
      for (int r = 0; r < kRows; ++r) io.streamLane(r, up ? tx.at(r, step) : 0);
      for (int c = 0; c < kCols; ++c) io.weightLane(c, up ? tw.at(step, c) : 0);
      driveFaults(top, fs.faults, stim);
      top.eval();
      const Handshakes hs = io.handshakes();
      ok = fuzzOutput(top, pending, hs.out, cycle, stalls, rep);
      if (top.out_valid_o && !ready) ++stalls;
      if (hs.in) {
        up = false;
        if (++step == tx.cols) {
          const auto y = ftaccel::golden::matmul(tx, tw);
          for (int r = 0; r < kRows; ++r) {
            std::vector<Wide> row(kCols);
            for (int c = 0; c < kCols; ++c) row[c] = mask[r][c] ? 0 : y.at(r, c);
            pending.push_back({std::move(row), cycle, stalls, r, id++});
          }
          rep.vectors += kRows;
          inTile = false;
        }
      }
      tick(top);
    }
    ++rep.fuzzSequences;
    if (!ok) break;
  }
  top.final();
  rep.cycles = cycle;
  rep.latMin = rep.latMax = kLatency;
  return rep.print();
}
#endif

}  // namespace
