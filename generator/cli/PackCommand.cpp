// `ftaccel pack`: a complementary-sparse weight matrix (text, docs/sparsity.md) into the packed
// values and index bits the flow-controlling PEs load.
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "cli/Commands.h"
#include "cli/ConfigArgs.h"
#include "diag/Diagnostics.h"
#include "flow/FileIo.h"
#include "flow/MatrixText.h"
#include "golden/GoldenModel.h"

namespace ftaccel::cli {

namespace {

struct PackArgs {
  ConfigArgs config;
  std::string matrix;
  std::string out;
  bool dense = false;
};

int run(const PackArgs& a) {
  const config::Config cfg = a.config.load();
  if (cfg.array.pe == config::PeKind::Dense)
    diag::throwError("pack.pe", diag::Location{"--set", 0, 0},
                     "ftaccel pack needs a flow-controlling PE: set array.pe = \"shortened\", "
                     "\"superposition\" or \"twodim\" and its group size(s)");
  std::ifstream in(a.matrix, std::ios::binary);
  if (!in) diag::throwError("pack.matrix", diag::Location{a.matrix, 0, 0}, "cannot open the matrix file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  golden::Matrix w = flow::parseMatrixText(buffer.str(), a.matrix);
  const golden::GroupShape shape{cfg.array.groupL, cfg.array.groupK};
  const int64_t lo = golden::minValue(cfg.data.bits), hi = golden::maxValue(cfg.data.bits);
  for (int r = 0; r < w.rows; ++r)
    for (int c = 0; c < w.cols; ++c)
      if (w.at(r, c) < lo || w.at(r, c) > hi)
        diag::throwError("pack.range", diag::Location{a.matrix, 0, 0},
                         fmt::format("value {} at row {}, column {} does not fit data.bits = {} ({}..{})",
                                     w.at(r, c), r, c, cfg.data.bits, lo, hi));
  const int srcRows = w.rows, srcCols = w.cols;
  if (a.dense) w = golden::expandDense(w, shape);
  std::string error;
  const auto packed = golden::pack(w, shape, error);
  if (!packed) diag::throwError("pack.exclusive", diag::Location{a.matrix, 0, 0}, error);
  const std::string text = flow::formatPacked(*packed, config::toString(cfg.array.pe), srcRows, srcCols);
  if (a.out.empty()) {
    std::cout << text;
  } else {
    flow::writeFile(a.out, text);  // atomic: FILE.part, then rename
    std::cerr << fmt::format("packed {} x {} into {} x {} (group {} x {}) -> {}\n", srcRows, srcCols,
                             packed->values.rows, packed->values.cols, shape.l, shape.k, a.out);
  }
  return 0;
}

}  // namespace

Command addPackCommand(CLI::App& parent) {
  auto args = std::make_shared<PackArgs>();
  CLI::App* app = parent.add_subcommand(
      "pack", "Pack a complementary-sparse weight matrix into values and index bits (docs/sparsity.md)");
  args->config.attach(app);
  app->add_option("matrix", args->matrix, "Weight matrix in the text format of docs/sparsity.md")->required();
  app->add_option("-o,--out", args->out, "Write the packed matrix here (default: standard output)");
  app->add_flag("--dense", args->dense,
                "The matrix is a dense layer: place every weight at index 0 of its group (fixed multiplexer input)");
  return Command{app, [args] { return run(*args); }};
}

}  // namespace ftaccel::cli
