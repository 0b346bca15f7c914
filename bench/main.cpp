// bastion-bench: the same TLS 1.3 scenarios through Bastion, OpenSSL's libssl and raw
// libcrypto (the floor), in one process and one thread, with the repetitions interleaved.
// JSON lines on stdout, a table on stderr. See docs/PERFORMANCE.md.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "implementation.hpp"

namespace bench {
namespace {

struct Figure {
  std::string name;
  std::string unit;
  bool higher_is_better = true;
  bool has_floor = false;
  bool cpu_split = false;  // also report client and server CPU time
  std::function<Sample(Implementation&, const Params&)> run;
};

std::vector<Figure> figures() {
  std::vector<Figure> f;
  // Lambdas capture copies: clang before 16 cannot capture structured bindings.
  for (auto [prefix, version_id] :
       {std::pair{"hs13", Version::tls13}, std::pair{"hs12", Version::tls12}}) {
    for (auto [suffix, key_kind] : {std::pair{"_full_ecdsa", KeyKind::ecdsa_p256},
                                    std::pair{"_full_rsa", KeyKind::rsa_2048}}) {
      const KeyKind key = key_kind;
      const Version version = version_id;
      f.push_back({std::string(prefix) + suffix, "hs/s", true, true, true,
                   [key, version](Implementation& i, const Params& p) {
                     return i.handshake(key, version, p);
                   }});
    }
  }
  f.push_back({"hs13_full_ecdsa_tickets", "hs/s", true, false, true,
               [](Implementation& i, const Params& p) { return i.handshake_with_tickets(p); }});
  f.push_back({"hs13_resumed", "hs/s", true, true, true, [](Implementation& i, const Params& p) {
                 return i.resumed_handshake(Version::tls13, p);
               }});
  // No floor: a TLS 1.2 abbreviated handshake has no public-key operation to compare with.
  f.push_back({"hs12_resumed", "hs/s", true, false, true, [](Implementation& i, const Params& p) {
                 return i.resumed_handshake(Version::tls12, p);
               }});
  for (size_t write : {size_t{16384}, size_t{1024}}) {
    for (auto [suite_name, suite_id] :
         {std::pair{"aes128gcm", Suite::aes128gcm}, std::pair{"aes256gcm", Suite::aes256gcm},
          std::pair{"chacha20", Suite::chacha20}}) {
      const Suite suite = suite_id;
      std::string name = std::string("bulk_") + suite_name + (write == 1024 ? "_1k" : "_16k");
      f.push_back(
          {name, "MB/s", true, true, true, [suite, write](Implementation& i, const Params& p) {
             return i.bulk(suite, write, Version::tls13, p);
           }});
    }
  }
  for (auto [suite_name, suite_id] :
       {std::pair{"aes128gcm", Suite::aes128gcm}, std::pair{"aes256gcm", Suite::aes256gcm},
        std::pair{"chacha20", Suite::chacha20}}) {
    const Suite suite = suite_id;
    f.push_back({std::string("bulk12_") + suite_name + "_16k", "MB/s", true, true, true,
                 [suite](Implementation& i, const Params& p) {
                   return i.bulk(suite, 16384, Version::tls12, p);
                 }});
  }
  // Idle after a short request and response, and after a full 16 KiB record each way.
  for (auto [suffix, message_size] :
       {std::pair{"", size_t{100}}, std::pair{"_16k", size_t{16384}}}) {
    for (auto [side_name, side_id] :
         {std::pair{"server", Side::server}, std::pair{"client", Side::client}}) {
      const Side side = side_id;
      const size_t message = message_size;
      f.push_back({std::string("mem_idle_") + side_name + suffix, "bytes", false, false, false,
                   [side, message](Implementation& i, const Params& p) {
                     return i.idle_memory(side, message, p);
                   }});
    }
  }
  f.push_back({"allocs_per_record", "count", false, false, false,
               [](Implementation& i, const Params& p) { return i.allocs_per_record(p); }});
  return f;
}

struct Summary {
  double median = 0;
  double min = 0;
  double max = 0;
};

Summary summarize(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return {n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v.front(), v.back()};
}

void print_json(const std::string& figure, const std::string& impl, const Summary& s,
                const std::string& unit) {
  std::printf(
      "{\"figure\": \"%s\", \"impl\": \"%s\", \"median\": %.6g, \"min\": %.6g, \"max\": %.6g, "
      "\"unit\": \"%s\"}\n",
      figure.c_str(), impl.c_str(), s.median, s.min, s.max, unit.c_str());
}

struct Results {
  // samples[figure][impl]
  std::map<std::string, std::map<std::string, std::vector<Sample>>> samples;
};

struct Options {
  Params params;
  std::string only_figure;
  std::string only_impl;
  bool smoke = false;
};

Options parse(int argc, char** argv) {
  Options o;
  o.params = {21, 400, size_t{64} << 20, 16};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--smoke") {
      o.smoke = true;
      o.params = {2, 2, kBulkBatch, 2};
    } else if (a == "--quick") {
      o.params = {15, 200, size_t{24} << 20, 8};
    } else if (a == "--figure" && i + 1 < argc) {
      o.only_figure = argv[++i];
    } else if (a == "--impl" && i + 1 < argc) {
      o.only_impl = argv[++i];
    } else if (a == "--reps" && i + 1 < argc) {
      o.params.repetitions = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr,
                   "usage: bastion-bench [--smoke | --quick] [--figure NAME] [--impl NAME] "
                   "[--reps N]\n");
      std::exit(2);
    }
  }
  return o;
}

std::string cell(const std::vector<Sample>& v, double scale = 1) {
  if (v.empty()) return "-";
  std::vector<double> values;
  for (const Sample& s : v) values.push_back(s.value * scale);
  Summary s = summarize(values);
  char buf[96];
  if (s.max >= 1e4) {
    std::snprintf(buf, sizeof(buf), "%.0f [%.0f-%.0f]", s.median, s.min, s.max);
  } else {
    std::snprintf(buf, sizeof(buf), "%.4g [%.4g-%.4g]", s.median, s.min, s.max);
  }
  return buf;
}

double median_of(const std::vector<Sample>& v, double Sample::*field) {
  std::vector<double> values;
  for (const Sample& s : v) values.push_back(s.*field);
  return values.empty() ? 0 : summarize(values).median;
}

void print_table(const std::vector<Figure>& figs, const Results& r) {
  std::fprintf(stderr, "\n%-22s %-6s %-28s %-28s %-28s %8s %8s\n", "figure", "unit", "bastion",
               "openssl", "floor", "B/O", "B/floor");
  for (const Figure& f : figs) {
    auto it = r.samples.find(f.name);
    if (it == r.samples.end()) continue;
    const auto& by_impl = it->second;
    auto get = [&](const char* impl) -> std::vector<Sample> {
      auto j = by_impl.find(impl);
      return j == by_impl.end() ? std::vector<Sample>{} : j->second;
    };
    auto b = get("bastion");
    auto o = get("openssl");
    auto fl = get("floor");
    auto ratio = [](const std::vector<Sample>& x, const std::vector<Sample>& y) -> std::string {
      double a = median_of(x, &Sample::value);
      double c = median_of(y, &Sample::value);
      if (x.empty() || y.empty() || c == 0) return "-";
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.3f", a / c);
      return buf;
    };
    std::fprintf(stderr, "%-22s %-6s %-28s %-28s %-28s %8s %8s\n", f.name.c_str(), f.unit.c_str(),
                 cell(b).c_str(), cell(o).c_str(), cell(fl).c_str(), ratio(b, o).c_str(),
                 ratio(b, fl).c_str());
    if (f.cpu_split) {
      const bool hs = f.unit == "hs/s";
      const double scale = hs ? 1e6 : 1e3;  // us per handshake, ms per MB
      std::string line;
      for (const auto* v : {&b, &o, &fl}) {
        char buf[64];
        std::snprintf(buf, sizeof(buf), "c %.4g + s %.4g", median_of(*v, &Sample::client) * scale,
                      median_of(*v, &Sample::server) * scale);
        line += v->empty() ? std::string("-") : std::string(buf);
        line.resize(((line.size() + 28) / 29) * 29, ' ');
      }
      std::fprintf(stderr, "  %-27s %s\n", hs ? "cpu us/hs" : "cpu ms/MB", line.c_str());
    }
  }
  std::fprintf(stderr,
               "B/O and B/floor compare medians; for hs/s and MB/s higher is better, for bytes "
               "and count lower is.\n");
}

int run(int argc, char** argv) {
  if (!install_openssl_allocator()) {
    std::fprintf(stderr, "bastion-bench: CRYPTO_set_mem_functions came too late\n");
    return 1;
  }
  const Options opt = parse(argc, argv);
  std::vector<std::unique_ptr<Implementation>> impls;
  impls.push_back(make_bastion());
  impls.push_back(make_openssl());
  impls.push_back(make_floor());

  std::vector<Figure> figs;
  for (Figure& f : figures()) {
    if (opt.only_figure.empty() || f.name == opt.only_figure) figs.push_back(std::move(f));
  }
  Results results;
  int failures = 0;
  // Round 0 warms caches and lazily built state up and is not recorded.
  for (int round = 0; round <= opt.params.repetitions; ++round) {
    for (const Figure& f : figs) {
      for (size_t k = 0; k < impls.size(); ++k) {
        Implementation& impl = *impls[(k + static_cast<size_t>(round)) % impls.size()];
        if (impl.name() == "floor" && !f.has_floor) continue;
        if (!opt.only_impl.empty() && impl.name() != opt.only_impl) continue;
        Sample s = f.run(impl, opt.params);
        if (!s.ok) {
          std::fprintf(stderr, "FAILED %s %s: %s\n", f.name.c_str(), impl.name().c_str(),
                       s.error.c_str());
          ++failures;
          continue;
        }
        if (round > 0) results.samples[f.name][impl.name()].push_back(s);
      }
    }
    std::fprintf(stderr, "round %d/%d done\n", round, opt.params.repetitions);
  }

  for (const Figure& f : figs) {
    for (const auto& [impl, samples] : results.samples[f.name]) {
      std::vector<double> values;
      std::vector<double> client;
      std::vector<double> server;
      for (const Sample& s : samples) {
        values.push_back(s.value);
        client.push_back(s.client * (f.unit == "hs/s" ? 1e6 : 1e3));
        server.push_back(s.server * (f.unit == "hs/s" ? 1e6 : 1e3));
      }
      print_json(f.name, impl, summarize(values), f.unit);
      if (f.cpu_split) {
        const std::string unit = f.unit == "hs/s" ? "us/hs" : "ms/MB";
        print_json(f.name + "_client_cpu", impl, summarize(client), unit);
        print_json(f.name + "_server_cpu", impl, summarize(server), unit);
      }
    }
  }
  std::fflush(stdout);
  print_table(figs, results);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
  try {
    return bench::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bastion-bench: %s\n", e.what());
    return 1;
  }
}
