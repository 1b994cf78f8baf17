// Fault-injection campaign engine of the co-simulation harness (`cosim campaign ...`).
#pragma once

// Runs a campaign on the simulation variant (fi ports) and appends JSON Lines records to --out;
// see docs/campaign-format.md. Returns the process exit code.
int campaignMain(int argc, char** argv);
