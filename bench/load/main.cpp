// bastion-load: the socket-level load check. Drives the same TLS 1.3 load over loopback
// against running servers (`bastion server --echo` and `openssl s_server -rev`, started by
// scripts/loadcheck), one OpenSSL client on one epoll thread for all of them, the rounds
// alternating between the servers, and charges each server the CPU time its process used.
// JSON lines on stdout, the table on stderr; exits 1 if any connection failed.
// See docs/PERFORMANCE.md, "Socket-level load check".
#include <arpa/inet.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "load_run.hpp"
#include "report.hpp"
#include "tls_client.hpp"

namespace load {
namespace {

// s_server -rev reads lines of at most 16382 bytes (BIO_gets with its 16 KiB buffer); a full
// line goes back as one record from either server.
constexpr size_t kTransferLine = 16382;
constexpr size_t kHandshakeLine = 16;
constexpr int kTransferLinesPerExchange = 4;

struct Settings {
  int rounds = 9;  // recorded rounds, after one warm-up round
  int concurrency = 32;
  int handshakes = 2000;  // connections of the handshake phase, per round and server
  int transfer_connections = 96;
  int transfer_exchanges = 64;  // of 4 lines each, per connection
};

struct Options {
  Settings settings;
  std::string ca_file;
  std::string server_name = "localhost";
  std::vector<Target> targets;
  std::string only_phase;  // "handshakes" or "transfer"; empty: both
  bool count_tickets = false;
};

[[noreturn]] void usage() {
  std::fputs(
      "usage: bastion-load --cafile PEM --target NAME=ADDR:PORT:PID [--target ...]\n"
      "                    [--smoke | --quick] [--rounds N] [--concurrency N] [--servername NAME]\n"
      "                    [--phase handshakes|transfer]\n"
      "       bastion-load --cafile PEM --target NAME=ADDR:PORT:PID --count-tickets\n"
      "NAME is bastion or openssl; PID is the server's process, charged for the CPU it uses.\n"
      "--count-tickets makes one connection and prints how many session tickets came.\n",
      stderr);
  std::exit(2);
}

std::optional<Target> parse_target(const std::string& text) {
  const auto eq = text.find('=');
  const auto last_colon = text.rfind(':');
  if (eq == std::string::npos || last_colon == std::string::npos || last_colon < eq) {
    return std::nullopt;
  }
  const auto port_colon = text.rfind(':', last_colon - 1);
  if (port_colon == std::string::npos || port_colon < eq) return std::nullopt;
  Target target;
  target.name = text.substr(0, eq);
  if (target.name != "bastion" && target.name != "openssl") return std::nullopt;
  const std::string host = text.substr(eq + 1, port_colon - eq - 1);
  target.address.sin_family = AF_INET;
  if (inet_pton(AF_INET, host.c_str(), &target.address.sin_addr) != 1) return std::nullopt;
  const int port = std::atoi(text.substr(port_colon + 1, last_colon - port_colon - 1).c_str());
  target.pid = std::atoi(text.substr(last_colon + 1).c_str());
  if (port <= 0 || port > 65535 || target.pid <= 0) return std::nullopt;
  target.address.sin_port = htons(static_cast<uint16_t>(port));
  return target;
}

int positive(const char* text) {
  const int value = std::atoi(text);
  if (value <= 0) usage();
  return value;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--smoke") {
      o.settings = {1, 8, 24, 8, 2};
    } else if (a == "--quick") {
      o.settings = {5, 32, 1000, 64, 32};
    } else if (a == "--rounds" && has_value) {
      o.settings.rounds = positive(argv[++i]);
    } else if (a == "--concurrency" && has_value) {
      o.settings.concurrency = positive(argv[++i]);
    } else if (a == "--cafile" && has_value) {
      o.ca_file = argv[++i];
    } else if (a == "--phase" && has_value) {
      o.only_phase = argv[++i];
      if (o.only_phase != "handshakes" && o.only_phase != "transfer") usage();
    } else if (a == "--count-tickets") {
      o.count_tickets = true;
    } else if (a == "--servername" && has_value) {
      o.server_name = argv[++i];
    } else if (a == "--target" && has_value) {
      auto target = parse_target(argv[++i]);
      if (!target) usage();
      o.targets.push_back(*target);
    } else {
      usage();
    }
  }
  if (o.ca_file.empty() || o.targets.empty()) usage();
  if (o.count_tickets && o.targets.size() != 1) usage();
  return o;
}

struct Phase {
  PhaseFigures figures;
  Workload workload;
};

std::vector<Phase> phases(const Options& o) {
  const Settings& s = o.settings;
  const Workload handshakes{.connections = s.handshakes,
                            .concurrency = s.concurrency,
                            .exchanges = 1,
                            .lines_per_exchange = 1,
                            .line_bytes = kHandshakeLine,
                            .server_name = o.server_name};
  const Workload transfer{.connections = s.transfer_connections,
                          .concurrency = s.concurrency,
                          .exchanges = s.transfer_exchanges,
                          .lines_per_exchange = kTransferLinesPerExchange,
                          .line_bytes = kTransferLine,
                          .server_name = o.server_name};
  std::vector<Phase> all;
  all.reserve(2);
  if (o.only_phase != "transfer")
    all.push_back(Phase{PhaseFigures{"load_handshakes", true}, handshakes});
  if (o.only_phase != "handshakes")
    all.push_back(Phase{PhaseFigures{"load_transfer", false}, transfer});
  return all;
}

void report_failures(const std::string& what, const RunResult& run) {
  std::fprintf(stderr, "FAILED %s: %d of %d connections failed\n", what.c_str(), run.failed,
               run.failed + run.completed);
  for (const std::string& error : run.errors) std::fprintf(stderr, "  %s\n", error.c_str());
}

// Both servers must issue the same number of session tickets, or one does more work per
// handshake than the other.
bool tickets_agree(const Runs& runs) {
  std::set<long> per_connection;
  for (const auto& [figure, by_impl] : runs) {
    for (const auto& [impl, list] : by_impl) {
      for (const RunResult& run : list) {
        if (run.completed > 0) per_connection.insert(run.tickets / run.completed);
      }
    }
  }
  return per_connection.size() <= 1;
}

// So that scripts/loadcheck can give s_server the number of tickets `bastion server` sends.
int count_tickets(SSL_CTX* ctx, const Options& o) {
  const Workload probe{.connections = 1,
                       .concurrency = 1,
                       .exchanges = 1,
                       .lines_per_exchange = 1,
                       .line_bytes = kHandshakeLine,
                       .server_name = o.server_name};
  const RunResult result = run_load(ctx, o.targets.front(), probe);
  if (result.completed != 1) {
    report_failures("ticket count", result);
    return 1;
  }
  std::printf("%d\n", result.tickets);
  return 0;
}

int run(int argc, char** argv) {
  const Options o = parse(argc, argv);
  const SslCtxPtr ctx = make_client_context(o.ca_file);
  if (o.count_tickets) return count_tickets(ctx.get(), o);
  const std::vector<Phase> all = phases(o);
  Runs runs;
  int failures = 0;
  // Round 0 warms up both servers and the client and is not recorded. Each round runs the
  // servers in a rotated order, so that a slow stretch of the machine falls on both alike.
  for (int round = 0; round <= o.settings.rounds; ++round) {
    for (const Phase& phase : all) {
      for (size_t k = 0; k < o.targets.size(); ++k) {
        const Target& target = o.targets[(k + static_cast<size_t>(round)) % o.targets.size()];
        RunResult result = run_load(ctx.get(), target, phase.workload);
        if (result.failed > 0 || result.completed != phase.workload.connections) {
          report_failures(phase.figures.figure + " " + target.name, result);
          ++failures;
        } else if (round > 0) {
          runs[phase.figures.figure][target.name].push_back(std::move(result));
        }
      }
    }
    std::fprintf(stderr, "round %d/%d done\n", round, o.settings.rounds);
  }
  std::vector<PhaseFigures> figures;
  for (const Phase& phase : all) figures.push_back(phase.figures);
  print_json(figures, runs);
  print_table(figures, runs);
  if (!tickets_agree(runs)) {
    std::fputs("FAILED: the servers issued different numbers of session tickets per connection\n",
               stderr);
    ++failures;
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace load

int main(int argc, char** argv) {
  try {
    return load::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bastion-load: %s\n", e.what());
    return 1;
  }
}
