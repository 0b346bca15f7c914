// What bastion-load prints: a JSON line per figure and server on stdout, shaped like
// bastion-bench's, and a table with the Bastion/OpenSSL ratios and the detail behind them on
// stderr.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "load_run.hpp"

namespace load {

// One phase of the check, as reported.
struct PhaseFigures {
  std::string figure;         // "load_handshakes" or "load_transfer"; "_wall" is the throughput
  bool per_handshake = true;  // else per MB (10^6 bytes echoed)
};

// Every recorded run, by phase figure, then by server name.
using Runs = std::map<std::string, std::map<std::string, std::vector<RunResult>>>;

void print_json(const std::vector<PhaseFigures>& phases, const Runs& runs);
void print_table(const std::vector<PhaseFigures>& phases, const Runs& runs);

// The unit of work a run did: handshakes or MB.
double work_done(const PhaseFigures& phase, const RunResult& run);

}  // namespace load
