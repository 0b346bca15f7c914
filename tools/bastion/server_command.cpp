// bastion server: serve TLS clients, many at once, until Ctrl-C.
#include <cstdio>
#include <filesystem>
#include <string>

#include "args.hpp"
#include "bastion/bastion.hpp"
#include "commands.hpp"
#include "handlers.hpp"
#include "help.hpp"

namespace bastion::cli {
namespace {

constexpr size_t kMaxConnections = 100000;

struct Limits {
  ListenOptions listen;
  HttpLimits http;
};

Parsed<Limits> parse_limits(const ParsedArgs& args) {
  Limits limits;
  if (auto text = args.value("max-connections")) {
    auto n = parse_count(*text, kMaxConnections);
    if (!n.value) return {std::nullopt, "--max-connections: " + n.error};
    limits.listen.max_connections = *n.value;
  }
  if (auto text = args.value("handshake-timeout")) {
    auto t = parse_seconds(*text);
    if (!t.value) return {std::nullopt, "--handshake-timeout: " + t.error};
    limits.listen.handshake_timeout = *t.value;
  }
  limits.http.request_head = limits.listen.handshake_timeout;
  if (auto text = args.value("idle-timeout")) {
    auto t = parse_seconds(*text);
    if (!t.value) return {std::nullopt, "--idle-timeout: " + t.error};
    limits.listen.idle_timeout = *t.value;
  }
  return {limits, {}};
}

Server::Handler content_handler(const ParsedArgs& args, std::shared_ptr<const WebRoot> root,
                                const HttpLimits& limits) {
  if (args.has("echo")) return serve_echo;
  if (root) {
    return [root = std::move(root), limits](Stream& stream) { serve_files(stream, *root, limits); };
  }
  return [limits](Stream& stream) { serve_status(stream, limits); };
}

// With client authentication on, each connection is logged with the client's certificate.
Server::Handler handler_for(const ParsedArgs& args, std::shared_ptr<const WebRoot> root,
                            const HttpLimits& limits) {
  auto handler = content_handler(args, std::move(root), limits);
  if (!args.has("client-ca")) return handler;
  return [handler = std::move(handler)](Stream& stream) {
    ClientIdentity client = client_identity(stream.info());
    std::string line = stream.peer_address() + ": client_subject: " + client.subject +
                       "; client_verified: " + (client.verified ? "yes" : "no") + "\n";
    std::fputs(line.c_str(), stdout);
    std::fflush(stdout);
    handler(stream);
  };
}

// --client-ca asks clients for a certificate from those CAs; --require-client-cert refuses
// clients without one.
Result<void> configure_client_auth(const ParsedArgs& args,
                                   const std::shared_ptr<const crypto::Provider>& provider,
                                   ServerOptions& options) {
  auto client_ca = args.value("client-ca");
  if (!client_ca) return {};
  auto store = TrustStore::from_pem_file(*client_ca);
  if (!store) return std::move(store).error();
  options.client_auth = args.has("require-client-cert") ? ClientAuth::require : ClientAuth::request;
  options.client_verifier = webpki_verifier(*store, provider);
  return {};
}

void report_connection_error(const Error& error, std::string_view peer) {
  std::string line = std::string(peer) + ": error: " + error.message() + "\n";
  std::fputs(line.c_str(), stderr);
}

}  // namespace

int run_server(std::span<char* const> raw_args) {
  auto parsed = parse_args(raw_args, kServerCommand.options);
  if (!parsed.value) return usage_error(parsed.error);
  const ParsedArgs& args = *parsed.value;
  if (args.has("help")) {
    std::fputs(command_help(kServerCommand).c_str(), stdout);
    return 0;
  }
  if (!args.positional.empty()) return usage_error("unexpected argument " + args.positional[0]);
  auto cert = args.value("cert");
  auto key = args.value("key");
  if (!cert || !key) return usage_error("server needs --cert and --key");
  if (args.has("echo") && args.has("www"))
    return usage_error("--echo and --www exclude each other");
  if (args.has("require-client-cert") && !args.has("client-ca")) {
    return usage_error("--require-client-cert needs --client-ca");
  }
  std::shared_ptr<const WebRoot> root;
  if (auto dir = args.value("www")) {
    if (!std::filesystem::is_directory(*dir)) {
      return usage_error("--www: " + *dir + " is not a directory");
    }
    auto opened = WebRoot::open(*dir);
    if (!opened) return fail(opened.error().message());
    root = std::move(opened).value();
  }
  auto limits = parse_limits(args);
  if (!limits.value) return usage_error(limits.error);
  auto endpoint = parse_endpoint(args.value("listen").value_or("127.0.0.1:4433"), 4433);
  if (!endpoint.value) return usage_error(endpoint.error);
  auto choices = parse_tls_choices(args);
  if (!choices.value) return usage_error(choices.error);

  auto provider = default_provider();
  auto certified = load_certified_key(args, *cert, *key);
  if (!certified) return fail(certified.error().message());
  ServerOptions options;
  options.cipher_suites = std::move(choices.value->cipher_suites);
  options.groups = std::move(choices.value->groups);
  options.min_version = choices.value->min_version;
  options.max_version = choices.value->max_version;
  options.alpn = std::move(choices.value->alpn);
  // An HTTPS server names its protocol when the client asks (RFC 7301); --echo speaks none.
  if (!args.has("alpn") && !args.has("echo")) options.alpn = {"http/1.1"};
  options.certificates = {*certified};
  if (auto file = args.value("keylog")) {
    options.key_log = key_log_file(*file);
    if (!options.key_log) return fail("--keylog: cannot open " + *file);
  } else {
    options.key_log = key_log_from_env();
  }
  options.provider = provider;
  if (args.has("no-tickets")) options.session_tickets = 0;
  if (auto ok = configure_client_auth(args, provider, options); !ok) {
    return fail(ok.error().message());
  }
  auto config = ServerConfig::create(std::move(options));
  if (!config) return fail(config.error().message());

  ListenOptions listen = limits.value->listen;
  listen.address = endpoint.value->host;
  listen.port = endpoint.value->port;
  auto server = Server::listen(*config, listen);
  if (!server) return fail(server.error().message());
  auto signals = (*server)->stop_on_signals();
  if (!signals) return fail(signals.error().message());
  std::printf("listening on %s\n", (*server)->endpoint().c_str());
  std::fflush(stdout);

  auto served = (*server)->serve(handler_for(args, std::move(root), limits.value->http),
                                 report_connection_error);
  if (!served) return fail(served.error().message());
  return 0;
}

}  // namespace bastion::cli
