// Runs the x509-limbo suite (C2SP/x509-limbo) through Bastion's path validation and prints
// the conformance per category, then "N passed, M failed". A case passes when our verdict
// (SUCCESS or FAILURE) equals the expected one.
//
//   limbo_runner [--min-pass N] [--verbose] [--only PREFIX] path/to/limbo.json
//
// Exits 1 when fewer than N cases pass (for CI), 2 on a usage or input error.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "bastion/x509.hpp"
#include "crypto/provider.hpp"
#include "json.hpp"
#include "x509/certificate.hpp"
#include "x509/der.hpp"
#include "x509/path.hpp"

namespace {

using bastion::limbo::Json;
namespace x509 = bastion::x509;

struct Tally {
  size_t passed = 0;
  size_t failed = 0;
};

std::string category(const std::string& id) {
  const size_t first = id.find("::");
  if (first == std::string::npos) return id;
  const size_t second = id.find("::", first + 2);
  if (second == std::string::npos) return id.substr(0, first);
  return id.substr(0, second);
}

// RFC 3339 "2024-01-01T00:00:00+00:00" (fraction and offset allowed), floored to seconds.
std::optional<int64_t> parse_rfc3339(const std::string& t) {
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (std::sscanf(t.c_str(), "%4u-%2u-%2uT%2u:%2u:%2u", &y, &mo, &d, &h, &mi, &s) != 6) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') ++pos;
  }
  int64_t offset = 0;
  if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    unsigned oh = 0, om = 0;
    if (std::sscanf(t.c_str() + pos + 1, "%2u:%2u", &oh, &om) != 2) return std::nullopt;
    offset = (t[pos] == '+' ? 1 : -1) * static_cast<int64_t>(oh * 3600 + om * 60);
  }
  return x509::der::days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
}

std::vector<x509::CertificatePtr> parse_all(const Json& list) {
  std::vector<x509::CertificatePtr> out;
  if (!list.array()) return out;
  for (const auto& item : *list.array()) {
    if (!item.string()) continue;
    auto ders = bastion::parse_pem_certificates(*item.string());
    if (!ders) continue;
    for (auto& der : *ders) {
      if (auto c = x509::Certificate::parse(std::move(der))) out.push_back(std::move(c).value());
    }
  }
  return out;
}

// Our verdict on one case, with the reason for a rejection.
bastion::Result<void> run_case(const Json& tc, const bastion::crypto::Provider& provider) {
  using bastion::Error;
  using bastion::ErrorCode;
  const auto anchors = x509::AnchorSet(parse_all(tc["trusted_certs"]));
  const auto pool = parse_all(tc["untrusted_intermediates"]);
  const std::string* peer_pem = tc["peer_certificate"].string();
  if (!peer_pem) return Error{ErrorCode::bad_certificate, "no peer certificate"};
  auto peer_ders = bastion::parse_pem_certificates(*peer_pem);
  if (!peer_ders) return std::move(peer_ders).error();
  auto leaf = x509::Certificate::parse(std::move(peer_ders->front()));
  if (!leaf) return std::move(leaf).error();

  x509::ValidationOptions options;
  if (const auto* t = tc["validation_time"].string()) {
    const auto when = parse_rfc3339(*t);
    if (!when) return Error{ErrorCode::internal_error, "bad validation_time " + *t};
    options.time = *when;
  } else {
    options.time = std::chrono::floor<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  }
  const std::string* kind = tc["validation_kind"].string();
  options.purpose =
      kind && *kind == "CLIENT" ? x509::KeyPurpose::client_auth : x509::KeyPurpose::server_auth;
  if (const auto* ekus = tc["extended_key_usage"].array()) {
    for (const auto& e : *ekus) {
      if (!e.string()) continue;
      if (*e.string() == "serverAuth") options.purpose = x509::KeyPurpose::server_auth;
      if (*e.string() == "clientAuth") options.purpose = x509::KeyPurpose::client_auth;
    }
  }
  // Limbo's key_usage lists what the end-entity must assert; TLS verifiers always ask for
  // digitalSignature, limbo only when it says so.
  options.require_digital_signature = false;
  if (const auto* usages = tc["key_usage"].array()) {
    for (const auto& u : *usages) {
      if (u.string() && *u.string() == "digitalSignature") options.require_digital_signature = true;
    }
  }
  const Json& peer_name = tc["expected_peer_name"];
  if (const auto* value = peer_name["value"].string()) options.server_name = *value;
  if (const auto* depth = tc["max_chain_depth"].number()) {
    options.max_intermediates = static_cast<size_t>(*depth);
  }
  auto path = x509::build_path(anchors, *leaf, pool, options, provider);
  if (!path) return std::move(path).error();
  return {};
}

std::optional<std::string> read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int main(int argc, char** argv) {
  size_t min_pass = 0;
  bool verbose = false;
  std::string only;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--min-pass" && i + 1 < argc) {
      min_pass = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--verbose") {
      verbose = true;
    } else if (arg == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (!path && arg.rfind("--", 0) != 0) {
      path = argv[i];
    } else {
      std::fprintf(stderr,
                   "usage: limbo_runner [--min-pass N] [--verbose] [--only PREFIX] limbo.json\n");
      return 2;
    }
  }
  if (!path) {
    std::fprintf(stderr,
                 "usage: limbo_runner [--min-pass N] [--verbose] [--only PREFIX] limbo.json\n");
    return 2;
  }
  const auto text = read_file(path);
  if (!text) {
    std::fprintf(stderr, "cannot read %s\n", path);
    return 2;
  }
  std::string error;
  const auto doc = bastion::limbo::parse_json(*text, error);
  if (!doc || !(*doc)["testcases"].array()) {
    std::fprintf(stderr, "%s: not a limbo document: %s\n", path, error.c_str());
    return 2;
  }
  const auto provider = bastion::crypto::openssl_provider();

  std::map<std::string, Tally> by_category;
  Tally total;
  for (const auto& tc : *(*doc)["testcases"].array()) {
    const std::string* id = tc["id"].string();
    const std::string* expected = tc["expected_result"].string();
    if (!id || !expected) continue;
    if (!only.empty() && id->rfind(only, 0) != 0) continue;
    const auto verdict = run_case(tc, *provider);
    const bool ok = verdict.ok() == (*expected == "SUCCESS");
    Tally& t = by_category[category(*id)];
    (ok ? t.passed : t.failed)++;
    (ok ? total.passed : total.failed)++;
    if (!ok && verbose) {
      std::printf("MISMATCH %s: expected %s, got %s\n", id->c_str(), expected->c_str(),
                  verdict.ok() ? "SUCCESS" : verdict.error().message().c_str());
    }
  }

  std::printf("%-40s %8s %8s %8s\n", "category", "passed", "failed", "total");
  for (const auto& [name, t] : by_category) {
    std::printf("%-40s %8zu %8zu %8zu\n", name.c_str(), t.passed, t.failed, t.passed + t.failed);
  }
  std::printf("%zu passed, %zu failed\n", total.passed, total.failed);
  if (total.passed < min_pass) {
    std::fprintf(stderr, "limbo: %zu passed, below the recorded minimum of %zu\n", total.passed,
                 min_pass);
    return 1;
  }
  return 0;
}
