#include "process_stat.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace load {

std::optional<ProcessStat> read_process_stat(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(file, line)) return std::nullopt;
  // proc(5): "pid (comm) state ..."; comm may hold spaces and parentheses, so the fields are
  // counted from the last ')'. After it come field 3 (state) onwards.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 1));
  std::string field;
  long long utime = -1;
  long long stime = -1;
  long threads = -1;
  for (int index = 3; fields >> field; ++index) {
    if (index == 3 && (field == "Z" || field == "X")) return std::nullopt;  // exited
    if (index == 14) utime = std::stoll(field);
    if (index == 15) stime = std::stoll(field);
    if (index == 20) {
      threads = std::stol(field);
      break;
    }
  }
  if (utime < 0 || stime < 0 || threads < 0) return std::nullopt;
  const double tick = cpu_tick_seconds();
  return ProcessStat{static_cast<double>(utime + stime) * tick, static_cast<double>(stime) * tick,
                     threads};
}

double cpu_tick_seconds() {
  return 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace load
