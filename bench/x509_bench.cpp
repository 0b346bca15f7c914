// bastion-x509-bench: what the hostile certificate chains of tests/support/hostile_chains.hpp
// cost a verifier, next to a normal three-certificate chain: the CPU time of one whole
// verification (parsing included) as a handshake does it, through webpki_verifier, the median
// of many. JSON lines on stdout, a table on stderr. With --write DIR, writes each case's chain
// and anchors as PEM files instead (to time other verifiers on them).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bastion/x509.hpp"
#include "support/hostile_chains.hpp"
#include "x509/certificate_builder.hpp"

namespace {

using bastion::test::HostileChain;

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

struct Timing {
  double median_ms;
  std::string outcome;
};

Timing time_verification(const HostileChain& c, int runs) {
  auto store = bastion::TrustStore::from_ders(c.anchors).value();
  auto verifier = bastion::webpki_verifier(store, bastion::default_provider());
  std::vector<double> samples;
  std::string outcome;
  for (int i = 0; i < runs; ++i) {
    const double start = thread_cpu_ms();
    auto verified =
        verifier->verify_server(c.chain, c.server_name, std::chrono::system_clock::now());
    samples.push_back(thread_cpu_ms() - start);
    outcome = verified ? "accepted" : verified.error().message();
  }
  std::sort(samples.begin(), samples.end());
  return {samples[samples.size() / 2], outcome};
}

void write_case(const std::filesystem::path& dir, const HostileChain& c, size_t index) {
  const auto stem = dir / ("case" + std::to_string(index));
  std::ofstream chain(stem.string() + "-chain.pem");
  for (const auto& der : c.chain) chain << bastion::x509::pem_encode("CERTIFICATE", der);
  std::ofstream anchors(stem.string() + "-anchors.pem");
  for (const auto& der : c.anchors) anchors << bastion::x509::pem_encode("CERTIFICATE", der);
  std::ofstream(stem.string() + "-name.txt") << c.server_name << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const bool smoke = std::find(args.begin(), args.end(), "--smoke") != args.end();
  auto write = std::find(args.begin(), args.end(), "--write");
  bastion::test::HostileChainMaker maker(bastion::default_provider());
  std::vector<HostileChain> cases;
  cases.push_back(maker.ordinary_chain());
  cases.push_back(maker.shared_key_intermediates());
  cases.push_back(maker.layered_intermediates());
  cases.push_back(maker.signature_maze());
  cases.push_back(maker.anchored_constraints());
  if (write != args.end()) {
    if (write + 1 == args.end()) return std::fputs("--write needs a directory\n", stderr), 2;
    std::filesystem::create_directories(*(write + 1));
    for (size_t i = 0; i < cases.size(); ++i) write_case(*(write + 1), cases[i], i);
    return 0;
  }
  const int runs = smoke ? 1 : 21;
  std::fprintf(stderr, "%-28s %10s %9s  %s\n", "chain", "ms (cpu)", "bytes", "outcome");
  for (const auto& c : cases) {
    const Timing t = time_verification(c, runs);
    std::string slug = c.name;
    std::replace(slug.begin(), slug.end(), ' ', '_');
    std::replace(slug.begin(), slug.end(), '-', '_');
    std::printf("{\"figure\": \"x509_%s\", \"median_ms\": %.3f, \"message_bytes\": %zu}\n",
                slug.c_str(), t.median_ms, c.message_bytes());
    std::fprintf(stderr, "%-28s %10.3f %9zu  %s\n", c.name.c_str(), t.median_ms, c.message_bytes(),
                 t.outcome.c_str());
  }
  return 0;
}
