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

inline double clock_seconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// This thread's CPU time in seconds: a system call, about 2 us on the development machine.
inline double thread_cpu_seconds() {
  return clock_seconds(CLOCK_THREAD_CPUTIME_ID);
}

// Monotonic time in seconds: read in user space (vDSO), about 25 ns.
inline double monotonic_seconds() {
  return clock_seconds(CLOCK_MONOTONIC);
}

// CPU time spent by each side, charged by running each side's calls inside `run`.
//
// A measured loop calls begin() before its first call: its figure then divides the work by the
// thread CPU time since begin(), read once at the end, and the per-call times only split that
// total between the sides. The per-call times are read from the monotonic clock: reading the
// thread CPU clock is a system call (about 2 us here), and one per call would charge each
// implementation for the number of calls it needs (a Bastion handshake is 13 calls, the
// floor's 3) rather than for its work. The loop runs on one thread without blocking, so the
// monotonic time of a call is its CPU time but for preemption, which only blurs the split.
struct CpuSplit {
  double client = 0;
  double server = 0;
  double begun = -1;  // thread CPU seconds at begin(), or -1

  template <class F>
  void run(Side side, F&& f) {
    SideScope scope(side);
    const double start = monotonic_seconds();
    f();
    (side == Side::client ? client : server) += monotonic_seconds() - start;
  }
  void begin() { begun = thread_cpu_seconds(); }
  // The measured total: since begin() when it was called, otherwise the sum of the calls.
  double total() const { return begun >= 0 ? thread_cpu_seconds() - begun : client + server; }
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
// The protocol version of a handshake or bulk figure: TLS 1.3, or TLS 1.2 with ECDHE and the
// AEAD of the same name (ECDHE_ECDSA or ECDHE_RSA by the server's key).
enum class Version : uint8_t { tls13, tls12 };

// The size of the reads a server makes from its socket.
inline constexpr size_t kReadChunk = 16384;

}  // namespace bench

namespace bench {

// `units` of work (handshakes, MB) in cpu.total() seconds, split between the sides in the
// proportion of their timed calls.
inline Sample per_unit(const CpuSplit& cpu, double units) {
  const double total = cpu.total();
  const double timed = cpu.client + cpu.server;
  Sample s;
  s.value = units / total;
  s.client = timed > 0 ? total * cpu.client / timed / units : 0;
  s.server = timed > 0 ? total * cpu.server / timed / units : 0;
  s.ok = true;
  return s;
}

inline Sample per_handshake(const CpuSplit& cpu, int count) {
  return per_unit(cpu, count);
}

inline Sample per_megabyte(const CpuSplit& cpu, size_t bytes) {
  return per_unit(cpu, static_cast<double>(bytes) / 1e6);
}

}  // namespace bench
