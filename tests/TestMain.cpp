// Catch2 entry point for the whole suite.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "flow/Process.h"

int main(int argc, char** argv) {
  // Tests that run a tool with flow::runProcess(..., measureRss) start it through this binary.
  ftaccel::flow::runRssRelayIfAsked(argc, argv);
  return Catch::Session().run(argc, argv);
}
