// One phase of load against one server: a number of TLS connections over loopback, a bounded
// number open at once, each doing a full handshake, some echo exchanges and an orderly close,
// driven by one thread on epoll. The server's CPU time is read from /proc around the phase.
#pragma once

#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace load {

struct Target {
  std::string name;  // "bastion", "openssl": the impl of the JSON lines
  sockaddr_in address{};
  pid_t pid = 0;
};

// Every connection sends `exchanges` times `lines_per_exchange` lines of `line_bytes` bytes
// (a repeated letter, then '\n') and reads as many back before its next exchange. An echo
// server and a line-reversing one send back the same bytes.
struct Workload {
  int connections = 0;
  int concurrency = 0;
  int exchanges = 0;
  int lines_per_exchange = 0;
  size_t line_bytes = 0;  // with the '\n'
  std::string server_name;
  // A connection that makes no progress for this long fails as stalled.
  std::chrono::seconds stall_limit{10};
};

struct RunResult {
  int completed = 0;  // connections that did all their work and closed
  int failed = 0;
  std::vector<std::string> errors;  // the first few, with the stage they happened in
  uint64_t echoed_bytes = 0;        // payload sent and received back, counted once
  int tickets = 0;                  // NewSessionTickets received, all connections together
  double wall_seconds = 0;
  double client_cpu_seconds = 0;     // this process
  double server_cpu_seconds = 0;     // the target's process, all threads
  double server_system_seconds = 0;  // the part of it in the kernel
  long peak_server_threads = 0;
  std::vector<double> connection_seconds;  // connect to close, per completed connection
};

RunResult run_load(SSL_CTX* ctx, const Target& target, const Workload& workload);

}  // namespace load
