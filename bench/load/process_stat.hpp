// What /proc says about another process: the CPU time of all its threads, dead ones included
// (and how much of it was spent in the kernel), and how many threads it has now. Used to charge a
// server for the load it served.
#pragma once

#include <sys/types.h>

#include <optional>

namespace load {

struct ProcessStat {
  double cpu_seconds = 0;     // utime + stime
  double system_seconds = 0;  // stime: in the kernel
  long threads = 0;
};

// nullopt when the process has exited (or /proc cannot be read).
std::optional<ProcessStat> read_process_stat(pid_t pid);

// The resolution of cpu_seconds: one clock tick (10 ms with USER_HZ = 100).
double cpu_tick_seconds();

}  // namespace load
