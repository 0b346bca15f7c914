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
    {"cert", true},
    {"key", true},
    {"listen", true},
    {"alpn", true},
    {"groups", true},
    {"ciphers", true},
    {"min-version", true},
    {"max-version", true},
    {"echo", false},
    {"www", true},
    {"client-ca", true},
    {"require-client-cert", false},
    {"no-tickets", false},
    {"max-connections", true},
    {"handshake-timeout", true},
    {"idle-timeout", true},
    {"help", false},
};

constexpr std::string_view kServerUsage =
    "usage: bastion server --cert PEM --key PEM [--listen ADDR:PORT] [--alpn LIST]\n"
    "                      [--groups LIST] [--ciphers LIST] [--min-version V] [--max-version V]\n"
    "                      [--echo | --www DIR]\n"
    "                      [--client-ca PEM [--require-client-cert]] [--no-tickets]\n"
    "                      [--max-connections N] [--handshake-timeout SECONDS]\n"
    "                      [--idle-timeout SECONDS]\n"
    "  Answers HTTP (a status page, or the files of --www) and negotiates ALPN http/1.1 when\n"
    "  the client offers it (--alpn overrides); --echo echoes bytes and negotiates no ALPN\n"
    "  unless --alpn is given. Files and directories whose names start with '.' are not served.\n"
    "  Sends two session tickets after each handshake (resumption); --no-tickets: none.\n"
    "  Limits: --max-connections at once (256; more wait to be accepted); each handshake, and\n"
    "  each HTTP request head, must arrive within --handshake-timeout (10 s); a connection\n"
    "  waits at most --idle-timeout (30 s) on its client. A timeout of 0 means none.\n";

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
  auto certified = CertifiedKey::from_pem_files(*cert, *key, provider);
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
  options.key_log = key_log_from_env();
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
