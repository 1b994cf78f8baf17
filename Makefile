# ftaccel: one-command setup. `make demo` and `make test` install what is missing (apt-get),
# build, and run. Everything else is a convenience on top.
BUILD   ?= build
JOBS    ?= 2
# One test more than cores: several tests wait on subprocesses, timers or a lock part of the time.
TEST_JOBS ?= $(shell echo $$(( $(JOBS) + 1 )))
FTACCEL := $(BUILD)/ftaccel
SKY130  ?= ../shared/pdk/sky130hd_tt.lib.gz

APT_PACKAGES := g++ make cmake ninja-build ccache pkg-config verilator yosys opensta iverilog \
                catch2 libfmt-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev parallel \
                gnuplot-nox python3

.PHONY: all deps build test test-large demo bench bench-campaign campaign regen lint-large fuzz sanitize clean

all: build

# Installs only the Debian packages that are not there yet (root or sudo).
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "[deps] installing:$$missing"; \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	else echo "[deps] all system packages present"; fi

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest -j $(TEST_JOBS) --output-on-failure -LE large

# The slow checks left out of `make test`: 64x64 and 256x256 lints, 64x64 co-simulation,
# --verify-pruned on seven configurations.
test-large: build
	cd $(BUILD) && ctest -j $(JOBS) --output-on-failure -L large

# Generate the default IP, co-simulate it against the golden model, synthesize it.
demo: build
	$(FTACCEL) generate --out $(BUILD)/demo/ftaccel_ws8x8_d8
	@# The WaveDrom timing example as SVG when wavedrom-cli is installed (optional, offline:
	@# `npm install -g wavedrom-cli`, or `npm install wavedrom-cli` in this directory).
	@if npx --no-install wavedrom-cli -i $(BUILD)/demo/ftaccel_ws8x8_d8/ftaccel_ws8x8_d8_timing.json \
	    -s $(BUILD)/demo/ftaccel_ws8x8_d8_timing.svg >/dev/null 2>&1; then \
	  echo "timing diagram: $(BUILD)/demo/ftaccel_ws8x8_d8_timing.svg"; \
	else echo "(timing SVG skipped: wavedrom-cli not installed)"; fi
	$(FTACCEL) sim --vectors 5000 --batch 64 --pattern mixed
	@# 2,000 single-bit upsets over every flip-flop and cycle, classified against the golden model.
	rm -f $(BUILD)/demo/seu.jsonl
	$(FTACCEL) campaign --model seu --faults 2000 --seed 1 -j $(JOBS) --out $(BUILD)/demo/seu.jsonl
	$(FTACCEL) synth
	@# SkyWater 130 nm HD: the 8-bit MAC needs about 8 ns, so the report uses a 10 ns clock.
	@if [ -f $(SKY130) ]; then $(FTACCEL) synth --liberty $(SKY130) --clock-ns 10; \
	else echo "(SkyWater 130 nm report skipped: $(SKY130) not found)"; fi

# Regenerate the committed reference IP after a generator change.
regen: build
	$(FTACCEL) generate --out rtl/ftaccel_ws8x8_d8

bench: build
	bash synth/bench.sh $(BUILD) $(SKY130)
	bash synth/campaign_bench.sh $(BUILD)

# Fault-injection throughput only (naive vs fast engine), JSON in $(BUILD)/campaign_bench.json.
bench-campaign: build
	bash synth/campaign_bench.sh $(BUILD)

# The 10,000-fault SEU campaign on the default IP, with its outcome table and fault patterns.
campaign: build
	$(BUILD)/ftaccel campaign --model seu --faults 10000 --seed 1 -j $(JOBS) --out $(BUILD)/campaign_default.jsonl
	$(BUILD)/ftaccel campaign-report $(BUILD)/campaign_default.jsonl --patterns $(BUILD)/campaign_default_patterns.csv

# Verilator -Wall lint of the 256x256 array, which array.nets = "auto" builds in the rows form, with
# `ftaccel lint --mode hier` (docs/lint.md: the IP around a port-exact stub of the row module, then
# the row alone; two Verilator runs of 0.9 s each, 1.7 s of CPU, 39 MiB peak, clean). A flat Verilator
# lint of the same IP (`ftaccel lint --mode flat`) took about 3 min of CPU and 4.3 GB peak (25.5 min
# and 6.0 GB with per-PE nets). Then Icarus on the kept package (over 15 min with the flat form).
# Not part of `make test`.
lint-large: build
	rm -rf $(BUILD)/lint256
	time $(FTACCEL) lint --set array.rows=256 --set array.cols=256 --mode hier --work-dir $(BUILD)/lint256
	cd $(BUILD)/lint256/ip && time iverilog -g2012 -o /dev/null -s ftaccel_ws256x256_d8 $$(cat ftaccel_ws256x256_d8.f)

# Random-configuration regression: N valid configurations drawn from SEED, SEED+1, ... (config i
# from seed SEED+i alone), each generated, linted (Verilator -Wall, Icarus, Yosys), co-simulated
# and run through a FUZZ_FAULTS-fault campaign; results in $(BUILD)/fuzz/results.jsonl.
# FUZZ_JOBS configurations run at once (default JOBS). A failure prints its seed;
# `make fuzz N=1 SEED=<seed>` repeats it.
N          ?= 10
SEED       ?= 1
FUZZ_MAX   ?= 64
FUZZ_FAULTS ?= 20
FUZZ_JOBS  ?= $(JOBS)
fuzz: build
	python3 tools/fuzz/fuzz.py -n $(N) --seed $(SEED) --max-size $(FUZZ_MAX) --faults $(FUZZ_FAULTS) -j $(FUZZ_JOBS) \
	  --ftaccel $(FTACCEL) --work $(BUILD)/fuzz

# AddressSanitizer + UndefinedBehaviorSanitizer: the generator and tests built in build-asan,
# the unit tests (no co-simulation) and a few co-simulations and campaigns whose models are
# compiled and linked with the same flags (FTACCEL_COSIM_CXXFLAGS).
ASAN_BUILD ?= build-asan
sanitize: deps
	bash tools/fuzz/sanitize.sh $(ASAN_BUILD) $(JOBS)

clean:
	rm -rf $(BUILD)
