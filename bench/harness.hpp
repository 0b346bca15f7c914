// What the scenarios share: the thread CPU clock, the in-memory pipes that join a client and a
// server, and the result of one repetition of one figure.
#pragma once

#include <time.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "alloc_tracker.hpp"

namespace bench {

// This thread's CPU time in seconds.
inline double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// CPU time spent by each side, charged by running each side's calls inside `run`.
struct CpuSplit {
  double client = 0;
  double server = 0;

  template <class F>
  void run(Side side, F&& f) {
    SideScope scope(side);
    const double start = thread_cpu_seconds();
    f();
    (side == Side::client ? client : server) += thread_cpu_seconds() - start;
  }
  double total() const { return client + server; }
};

// One direction of an in-memory connection. Bytes are appended at the back and taken from the
// front; the storage is reserved once so that the harness does not allocate in steady state.
struct Pipe {
  std::vector<uint8_t> bytes;
  size_t head = 0;

  std::span<uint8_t> readable() { return std::span(bytes).subspan(head); }
  bool empty() const { return head == bytes.size(); }
  void push(std::span<const uint8_t> data) {
    SideScope scope(Side::harness);
    bytes.insert(bytes.end(), data.begin(), data.end());
  }
  void pop(size_t n) {
    head += n;
    if (head == bytes.size()) {
      bytes.clear();
      head = 0;
    }
  }
};

// The scenario's parameters, from --smoke, --quick or the default.
struct Params {
  int repetitions = 0;
  int handshakes = 0;        // per repetition
  size_t bulk_bytes = 0;     // per repetition and write size
  int idle_connections = 0;  // per repetition of the memory figures
};

// One repetition of one figure for one implementation.
struct Sample {
  double value = 0;   // in the figure's unit
  double client = 0;  // client CPU seconds per unit of work (handshake, or MB)
  double server = 0;
  bool ok = false;
  std::string error;  // why the scenario did not complete
};

enum class Suite : uint8_t { aes128gcm, aes256gcm, chacha20 };

// The size of the reads a server makes from its socket.
inline constexpr size_t kReadChunk = 16384;

}  // namespace bench

namespace bench {

inline Sample per_handshake(const CpuSplit& cpu, int count) {
  Sample s;
  s.value = count / cpu.total();
  s.client = cpu.client / count;
  s.server = cpu.server / count;
  s.ok = true;
  return s;
}

inline Sample per_megabyte(const CpuSplit& cpu, size_t bytes) {
  const double mb = static_cast<double>(bytes) / 1e6;
  Sample s;
  s.value = mb / cpu.total();
  s.client = cpu.client / mb;
  s.server = cpu.server / mb;
  s.ok = true;
  return s;
}

}  // namespace bench
