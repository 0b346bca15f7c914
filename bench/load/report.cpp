#include "report.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "process_stat.hpp"

namespace load {
namespace {

struct Summary {
  double median = 0;
  double min = 0;
  double max = 0;
};

Summary summarize(std::vector<double> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  const double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return {median, values.front(), values.back()};
}

using Measure = std::function<double(const PhaseFigures&, const RunResult&)>;

// Work per CPU-second of the server. A server that used less than one clock tick is charged
// one, so that the figure stays finite (a lower bound; only tiny smoke runs get there).
double per_server_cpu(const PhaseFigures& phase, const RunResult& run) {
  return work_done(phase, run) / std::max(run.server_cpu_seconds, cpu_tick_seconds());
}

double per_wall_second(const PhaseFigures& phase, const RunResult& run) {
  return work_done(phase, run) / run.wall_seconds;
}

Summary summarize_runs(const PhaseFigures& phase, const std::vector<RunResult>& runs,
                       const Measure& measure) {
  std::vector<double> values;
  for (const RunResult& run : runs) values.push_back(measure(phase, run));
  return summarize(values);
}

struct FigureKind {
  std::string suffix;
  std::string unit_per_handshake;
  std::string unit_per_mb;
  Measure measure;
};

std::vector<FigureKind> figure_kinds() {
  return {{"", "hs/cpu-s", "MB/cpu-s", per_server_cpu}, {"_wall", "hs/s", "MB/s", per_wall_second}};
}

const std::vector<RunResult>* runs_of(const Runs& runs, const std::string& figure,
                                      const std::string& impl) {
  auto by_figure = runs.find(figure);
  if (by_figure == runs.end()) return nullptr;
  auto by_impl = by_figure->second.find(impl);
  return by_impl == by_figure->second.end() ? nullptr : &by_impl->second;
}

std::string cell(const Summary& s) {
  char text[64];
  std::snprintf(text, sizeof text, "%.4g [%.4g-%.4g]", s.median, s.min, s.max);
  return text;
}

// Medians of a per-run detail, one column per server: "bastion / openssl".
std::string detail(const Runs& runs, const PhaseFigures& phase,
                   const std::function<double(const RunResult&)>& value, const char* format) {
  std::string line;
  for (const char* impl : {"bastion", "openssl"}) {
    const auto* list = runs_of(runs, phase.figure, impl);
    if (!line.empty()) line += " / ";
    if (list == nullptr) {
      line += "-";
      continue;
    }
    std::vector<double> values;
    for (const RunResult& run : *list) values.push_back(value(run));
    char text[48];
    std::snprintf(text, sizeof text, format, summarize(values).median);
    line += text;
  }
  return line;
}

double server_busy_percent(const RunResult& run) {
  return 100 * run.server_cpu_seconds / run.wall_seconds;
}

double client_busy_percent(const RunResult& run) {
  return 100 * run.client_cpu_seconds / run.wall_seconds;
}

double peak_server_threads(const RunResult& run) {
  return static_cast<double>(run.peak_server_threads);
}

double tickets_per_connection(const RunResult& run) {
  return static_cast<double>(run.tickets) / std::max(run.completed, 1);
}

// Connection times pooled over all runs: "p50 p99 max" in ms.
std::string latency(const Runs& runs, const PhaseFigures& phase) {
  std::string line;
  for (const char* impl : {"bastion", "openssl"}) {
    const auto* list = runs_of(runs, phase.figure, impl);
    if (!line.empty()) line += " / ";
    std::vector<double> all;
    if (list != nullptr) {
      for (const RunResult& run : *list) {
        all.insert(all.end(), run.connection_seconds.begin(), run.connection_seconds.end());
      }
    }
    if (all.empty()) {
      line += "-";
      continue;
    }
    std::sort(all.begin(), all.end());
    auto at = [&](double q) {
      return all[static_cast<size_t>(q * static_cast<double>(all.size() - 1))] * 1e3;
    };
    char text[64];
    std::snprintf(text, sizeof text, "%.3g %.3g %.3g", at(0.5), at(0.99), all.back() * 1e3);
    line += text;
  }
  return line;
}

}  // namespace

double work_done(const PhaseFigures& phase, const RunResult& run) {
  return phase.per_handshake ? run.completed : static_cast<double>(run.echoed_bytes) / 1e6;
}

void print_json(const std::vector<PhaseFigures>& phases, const Runs& runs) {
  for (const PhaseFigures& phase : phases) {
    for (const FigureKind& kind : figure_kinds()) {
      for (const char* impl : {"bastion", "openssl"}) {
        const auto* list = runs_of(runs, phase.figure, impl);
        if (list == nullptr || list->empty()) continue;
        const Summary s = summarize_runs(phase, *list, kind.measure);
        std::printf(
            "{\"figure\": \"%s%s\", \"impl\": \"%s\", \"median\": %.6g, \"min\": %.6g, "
            "\"max\": %.6g, \"unit\": \"%s\"}\n",
            phase.figure.c_str(), kind.suffix.c_str(), impl, s.median, s.min, s.max,
            (phase.per_handshake ? kind.unit_per_handshake : kind.unit_per_mb).c_str());
      }
    }
  }
  std::fflush(stdout);
}

void print_table(const std::vector<PhaseFigures>& phases, const Runs& runs) {
  std::fprintf(stderr, "\n%-22s %-9s %-28s %-28s %7s\n", "figure", "unit", "bastion", "openssl",
               "B/O");
  for (const PhaseFigures& phase : phases) {
    for (const FigureKind& kind : figure_kinds()) {
      const auto* b = runs_of(runs, phase.figure, "bastion");
      const auto* o = runs_of(runs, phase.figure, "openssl");
      const Summary sb = b ? summarize_runs(phase, *b, kind.measure) : Summary{};
      const Summary so = o ? summarize_runs(phase, *o, kind.measure) : Summary{};
      char ratio[16] = "-";
      if (b && o && so.median > 0)
        std::snprintf(ratio, sizeof ratio, "%.3f", sb.median / so.median);
      std::fprintf(stderr, "%-22s %-9s %-28s %-28s %7s\n", (phase.figure + kind.suffix).c_str(),
                   (phase.per_handshake ? kind.unit_per_handshake : kind.unit_per_mb).c_str(),
                   b ? cell(sb).c_str() : "-", o ? cell(so).c_str() : "-", ratio);
    }
    const double scale = phase.per_handshake ? 1e6 : 1e3;
    const char* unit = phase.per_handshake ? "us/hs" : "ms/MB";
    auto per_work = [&](double RunResult::*cpu) {
      return [&phase, cpu, scale](const RunResult& run) {
        return run.*cpu / work_done(phase, run) * scale;
      };
    };
    std::fprintf(stderr, "  server cpu %s: %s (in the kernel: %s); client cpu: %s\n", unit,
                 detail(runs, phase, per_work(&RunResult::server_cpu_seconds), "%.4g").c_str(),
                 detail(runs, phase, per_work(&RunResult::server_system_seconds), "%.4g").c_str(),
                 detail(runs, phase, per_work(&RunResult::client_cpu_seconds), "%.4g").c_str());
    std::fprintf(stderr, "  busy (cpu/wall) server: %s; client: %s\n",
                 detail(runs, phase, server_busy_percent, "%.0f%%").c_str(),
                 detail(runs, phase, client_busy_percent, "%.0f%%").c_str());
    std::fprintf(stderr, "  peak server threads: %s; tickets per connection: %s\n",
                 detail(runs, phase, peak_server_threads, "%.0f").c_str(),
                 detail(runs, phase, tickets_per_connection, "%.2g").c_str());
    std::fprintf(stderr, "  connection ms p50 p99 max: %s\n", latency(runs, phase).c_str());
  }
  std::fprintf(stderr,
               "B/O compares medians; higher is better. cpu-s: CPU-seconds of the server process "
               "(utime + stime, all threads).\n");
}

}  // namespace load
