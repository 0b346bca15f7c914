// bastion verify: Bastion's own path validation on certificate files, like `openssl verify`.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "args.hpp"
#include "bastion/bastion.hpp"
#include "certificate_report.hpp"
#include "commands.hpp"
#include "help.hpp"

namespace bastion::cli {
namespace {

enum class Purpose { server, client };

struct VerifyRequest {
  std::string chain_file;
  Purpose purpose = Purpose::server;
  std::optional<std::string> name;
  std::chrono::system_clock::time_point at = std::chrono::system_clock::now();
  bool at_given = false;
};

Parsed<VerifyRequest> plan_verify(const ParsedArgs& args) {
  if (args.positional.size() != 1) return {std::nullopt, "verify needs exactly one CHAIN.pem"};
  VerifyRequest request;
  request.chain_file = args.positional[0];
  if (auto purpose = args.value("purpose")) {
    if (*purpose == "client") {
      request.purpose = Purpose::client;
    } else if (*purpose != "server") {
      return {std::nullopt, "unknown --purpose '" + *purpose + "' (server or client)"};
    }
  }
  request.name = args.value("name");
  if (request.name && request.purpose == Purpose::client) {
    return {std::nullopt, "--name applies to --purpose server only"};
  }
  if (request.name && request.name->empty()) return {std::nullopt, "--name needs a name"};
  if (auto text = args.value("at")) {
    auto at = parse_time(*text);
    if (!at.value) return {std::nullopt, "--at: " + at.error};
    request.at = *at.value;
    request.at_given = true;
  }
  if (auto conflict = trust_option_conflict(args)) return {std::nullopt, *conflict};
  return {std::move(request), {}};
}

Result<std::vector<Der>> read_certificates(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error{ErrorCode::io_error, "cannot read " + file};
  const std::string pem{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto certificates = parse_pem_certificates(pem);
  if (!certificates) {
    Error error = std::move(certificates).error();
    error.detail = file + ": " + error.detail;
    return error;
  }
  return certificates;
}

std::string format_utc(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const year_month_day date{day};
  const hh_mm_ss time{secs - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return text;
}

// The verifier always matches a server certificate against a name. Without --name the
// leaf's own first name stands in, so that everything but the name is checked; a wildcard
// becomes a name it covers.
std::string stand_in_name(std::span<const uint8_t> leaf) {
  auto summary = describe_certificate(leaf);
  if (summary && !summary->dns_names.empty()) {
    std::string name = summary->dns_names.front();
    if (name.starts_with("*.")) name = "wildcard" + name.substr(1);
    return name;
  }
  if (summary && !summary->ip_addresses.empty()) return summary->ip_addresses.front();
  // Matches nothing: the leaf names no host, which the verifier reports.
  return "no-name.invalid";
}

}  // namespace

int run_verify(std::span<char* const> raw_args) {
  auto parsed = parse_args(raw_args, kVerifyCommand.options);
  if (!parsed.value) return usage_error(parsed.error);
  const ParsedArgs& args = *parsed.value;
  if (args.has("help")) {
    std::fputs(command_help(kVerifyCommand).c_str(), stdout);
    return 0;
  }
  auto request = plan_verify(args);
  if (!request.value) return usage_error(request.error);
  const VerifyRequest& r = *request.value;

  auto chain = read_certificates(r.chain_file);
  if (!chain) return fail(chain.error().message());
  const size_t given = chain->size();
  if (auto untrusted = args.value("untrusted")) {
    auto extra = read_certificates(*untrusted);
    if (!extra) return fail(extra.error().message());
    chain->insert(chain->end(), extra->begin(), extra->end());
  }
  auto anchors = load_trust_store(args);
  if (!anchors) return fail(anchors.error().message());

  for (size_t i = 0; i < chain->size(); ++i) {
    print_certificate(stdout, i, (*chain)[i], false);
    if (i >= given) std::printf("  (from --untrusted)\n");
  }
  std::printf("purpose: %s\n", r.purpose == Purpose::server ? "server" : "client");
  if (r.purpose == Purpose::server) {
    std::printf("name: %s\n", r.name ? r.name->c_str() : "not checked (no --name)");
  }
  std::printf("at: %s%s\n", format_utc(r.at).c_str(), r.at_given ? "" : " (now)");

  const auto verifier = webpki_verifier(*anchors, default_provider());
  const auto verified =
      r.purpose == Purpose::client
          ? verifier->verify_client(*chain, r.at)
          : verifier->verify_server(*chain, r.name.value_or(stand_in_name(chain->front())), r.at);
  if (!verified) {
    std::fflush(stdout);
    return fail(r.chain_file + ": " + explain_error(verified.error(), *chain));
  }
  std::printf("%s: OK\n", r.chain_file.c_str());
  return 0;
}

}  // namespace bastion::cli
