// bastion server: serve TLS clients, many at once, until Ctrl-C.
#include <cstdio>
#include <filesystem>
#include <string>

#include "args.hpp"
#include "bastion/bastion.hpp"
#include "commands.hpp"
#include "handlers.hpp"

namespace bastion::cli {
namespace {

constexpr OptionSpec kServerOptions[] = {
    {"cert", true},    {"key", true},   {"listen", true}, {"alpn", true},  {"groups", true},
    {"ciphers", true}, {"echo", false}, {"www", true},    {"help", false},
};

constexpr std::string_view kServerUsage =
    "usage: bastion server --cert PEM --key PEM [--listen ADDR:PORT] [--alpn LIST]\n"
    "                      [--groups LIST] [--ciphers LIST] [--echo | --www DIR]\n";

Server::Handler handler_for(const ParsedArgs& args) {
  if (args.has("echo")) return serve_echo;
  if (auto root = args.value("www")) {
    return [root = std::filesystem::path(*root)](Stream& stream) { serve_files(stream, root); };
  }
  return serve_status;
}

void report_connection_error(const Error& error, std::string_view peer) {
  std::string line = std::string(peer) + ": error: " + error.message() + "\n";
  std::fputs(line.c_str(), stderr);
}

}  // namespace

int run_server(std::span<char* const> raw_args) {
  auto parsed = parse_args(raw_args, kServerOptions);
  if (!parsed.value) return usage_error(parsed.error);
  const ParsedArgs& args = *parsed.value;
  if (args.has("help")) {
    std::fputs(kServerUsage.data(), stdout);
    return 0;
  }
  if (!args.positional.empty()) return usage_error("unexpected argument " + args.positional[0]);
  auto cert = args.value("cert");
  auto key = args.value("key");
  if (!cert || !key) return usage_error("server needs --cert and --key");
  if (args.has("echo") && args.has("www"))
    return usage_error("--echo and --www exclude each other");
  if (auto root = args.value("www"); root && !std::filesystem::is_directory(*root)) {
    return usage_error("--www: " + *root + " is not a directory");
  }
  auto endpoint = parse_endpoint(args.value("listen").value_or("127.0.0.1:4433"), 4433);
  if (!endpoint.value) return usage_error(endpoint.error);
  auto choices = parse_tls_choices(args);
  if (!choices.value) return usage_error(choices.error);

  auto provider = default_provider();
  auto certified = CertifiedKey::from_pem_files(*cert, *key, provider);
  if (!certified) return fail(certified.error().message());
  ServerOptions options;
  options.cipher_suites = std::move(choices.value->cipher_suites);
  options.groups = std::move(choices.value->groups);
  options.alpn = std::move(choices.value->alpn);
  options.certificates = {*certified};
  options.key_log = key_log_from_env();
  options.provider = provider;
  auto config = ServerConfig::create(std::move(options));
  if (!config) return fail(config.error().message());

  ListenOptions listen;
  listen.address = endpoint.value->host;
  listen.port = endpoint.value->port;
  auto server = Server::listen(*config, listen);
  if (!server) return fail(server.error().message());
  auto signals = (*server)->stop_on_signals();
  if (!signals) return fail(signals.error().message());
  std::printf("listening on %s\n", (*server)->endpoint().c_str());
  std::fflush(stdout);

  auto served = (*server)->serve(handler_for(args), report_connection_error);
  if (!served) return fail(served.error().message());
  return 0;
}

}  // namespace bastion::cli
