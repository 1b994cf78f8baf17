// array.pe / array.group_l / array.group_k: dense keeps every earlier hash and name; the
// flow-controlling kinds get a name suffix; combinations that cannot be built are refused.
#include <catch2/catch.hpp>

#include "TestUtil.h"
#include "config/Config.h"
#include "diag/Diagnostics.h"

using namespace ftaccel;

namespace {

std::string refusal(const std::vector<std::string>& sets) { return test::configError(sets); }

}  // namespace

TEST_CASE("pe keys: dense is the default and leaves the hash and name alone", "[sparse][config]") {
  const auto plain = config::loadConfigText("", "t", {});
  const auto dense = config::loadConfigText("", "t", {"array.pe=dense", "array.group_l=1", "array.group_k=1"});
  CHECK(plain.hash() == dense.hash());
  CHECK(dense.ip.name == plain.ip.name);
  CHECK(plain.canonicalToml().find("array.pe") == std::string::npos);
  CHECK(plain.canonicalToml().find("group_") == std::string::npos);
}

TEST_CASE("pe keys: the flow-controlling kinds and their names", "[sparse][config]") {
  auto sh = config::loadConfigText("", "t", {"array.pe=shortened", "array.group_l=8"});
  CHECK(sh.array.pe == config::PeKind::Shortened);
  CHECK(sh.ip.name == "ftaccel_ws8x8_d8_sh8");
  CHECK(config::peIndexBits(sh.array) == 3);
  CHECK(sh.canonicalToml().find("array.group_l = 8") != std::string::npos);
  auto sp = config::loadConfigText("", "t", {"array.pe=superposition", "array.group_k=4"});
  CHECK(sp.ip.name == "ftaccel_ws8x8_d8_sp4");
  CHECK(config::peIndexBits(sp.array) == 2);
  auto td = config::loadConfigText("", "t", {"array.pe=twodim", "array.group_l=4", "array.group_k=2"});
  CHECK(td.ip.name == "ftaccel_ws8x8_d8_td4x2");
  CHECK(config::peIndexBits(td.array) == 3);
  CHECK(sh.hash() != sp.hash());
}

TEST_CASE("pe keys: refusals name the key and say why", "[sparse][config]") {
  CHECK(refusal({"array.pe=shortened", "array.group_l=4", "array.dataflow=os"})
            .find("does not apply to array.dataflow = \"os\"") != std::string::npos);
  CHECK(refusal({"array.pe=shortened", "array.group_l=4", "array.dataflow=is"})
            .find("does not apply to array.dataflow = \"is\"") != std::string::npos);
  CHECK(refusal({"array.pe=shortened", "array.group_l=4", "protect.bypass=true"})
            .find("cannot be combined with the protection unit 'bypass'") != std::string::npos);
  CHECK(refusal({"array.pe=shortened", "array.group_l=6"}).find("'array.group_l' = 6 is not a power of two") !=
        std::string::npos);
  CHECK(refusal({"array.pe=superposition", "array.group_k=512"}).find("array.group_k") != std::string::npos);
  CHECK(refusal({"array.pe=shortened", "array.group_l=0"}).find("array.group_l") != std::string::npos);
  CHECK(refusal({"array.pe=shortened"}).find("needs 'array.group_l' >= 2") != std::string::npos);
  CHECK(refusal({"array.pe=twodim", "array.group_l=2"}).find("needs 'array.group_k' >= 2") != std::string::npos);
  CHECK(refusal({"array.group_l=4"}).find("does not apply to array.pe = \"dense\"") != std::string::npos);
  CHECK(refusal({"array.pe=superposition", "array.group_k=2", "array.group_l=2"})
            .find("'array.group_l' = 2 does not apply to array.pe = \"superposition\"") != std::string::npos);
  CHECK(refusal({"array.pe=sparse"}).find("allowed: \"dense\", \"shortened\", \"superposition\", \"twodim\"") !=
        std::string::npos);
}
