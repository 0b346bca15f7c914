// bastion client: connect, print what was negotiated, then close or pipe stdin/stdout.
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "args.hpp"
#include "bastion/bastion.hpp"
#include "commands.hpp"

namespace bastion::cli {
namespace {

constexpr OptionSpec kClientOptions[] = {
    {"servername", true}, {"cafile", true},      {"alpn", true},        {"groups", true},
    {"ciphers", true},    {"min-version", true}, {"max-version", true}, {"export", true},
    {"pipe", false},      {"insecure", false},   {"cert", true},        {"key", true},
    {"help", false},      {"reconnect", false},
};

constexpr std::string_view kClientUsage =
    "usage: bastion client HOST[:PORT] [--servername NAME] [--cafile PEM] [--alpn LIST]\n"
    "                      [--groups LIST] [--ciphers LIST] [--min-version V] [--max-version V]\n"
    "                      [--cert PEM --key PEM] [--export LABEL:LENGTH] [--pipe]\n"
    "                      [--insecure] [--reconnect]\n"
    "  --reconnect  connect a second time, offering a ticket from the first connection, and\n"
    "               print the second summary too (\"resumed: yes\" when the server accepted it)\n";

Result<std::shared_ptr<const TrustStore>> load_trust_store(const ParsedArgs& args) {
  if (auto cafile = args.value("cafile")) return TrustStore::from_pem_file(*cafile);
  return TrustStore::system();
}

// The verifier's own words about the chain; used for the summary and, with --insecure, to
// report what verification would have said.
std::string verification_line(const ConnectionInfo& info, const CertificateVerifier* verifier,
                              std::string_view server_name) {
  if (info.peer_verified) return "yes";
  if (verifier == nullptr) return "no (not checked: no trust store)";
  auto checked = verifier->verify_server(info.peer_certificates, server_name,
                                         std::chrono::system_clock::now());
  if (checked) return "yes";
  return "no (" + checked.error().message() + ")";
}

const char* resumed_by_name(ResumedBy by) {
  return by == ResumedBy::session_id ? "session_id" : "ticket";
}

void print_summary(std::FILE* out, const ConnectionInfo& info, const CertificateVerifier* verifier,
                   std::string_view server_name) {
  std::fprintf(out, "version: %s\n", name_or_none(info.version).c_str());
  std::fprintf(out, "cipher: %s\n", name_or_none(info.cipher_suite).c_str());
  std::fprintf(out, "group: %s\n", name_or_none(info.group).c_str());
  std::fprintf(out, "hello_retry: %s\n", info.hello_retry ? "yes" : "no");
  if (info.version == ProtocolVersion::tls12) {
    std::fprintf(out, "extended_master_secret: %s\n", info.extended_master_secret ? "yes" : "no");
  }
  std::fprintf(out, "resumed: %s\n", info.resumed ? "yes" : "no");
  if (info.resumed) std::fprintf(out, "resumed_by: %s\n", resumed_by_name(info.resumed_by));
  std::fprintf(out, "alpn: %s\n", info.alpn.empty() ? "none" : info.alpn.c_str());
  std::fprintf(out, "signature: %s\n", name_or_none(info.peer_signature_scheme).c_str());
  if (info.peer_certificates.empty()) {
    std::fprintf(out, "subject: none\nissuer: none\nexpires: none\n");
  } else if (auto leaf = describe_certificate(info.peer_certificates.front())) {
    std::fprintf(out, "subject: %s\n", leaf->subject.c_str());
    std::fprintf(out, "issuer: %s\n", leaf->issuer.c_str());
    std::fprintf(out, "expires: %s\n", leaf->not_after.c_str());
  } else {
    std::string why = "(unreadable: " + leaf.error().message() + ")";
    std::fprintf(out, "subject: %s\nissuer: %s\nexpires: %s\n", why.c_str(), why.c_str(),
                 why.c_str());
  }
  std::fprintf(out, "verified: %s\n", verification_line(info, verifier, server_name).c_str());
  std::fflush(out);
}

bool write_all_fd(int fd, std::span<const uint8_t> data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data = data.subspan(static_cast<size_t>(n));
  }
  return true;
}

// Copies stdin to the connection and the connection to stdout. At the end of stdin we send
// close_notify and keep reading; when the peer closes, we are done.
Result<void> pipe_stdio(Stream& stream) {
  std::vector<uint8_t> buffer(16 * 1024);
  bool stdin_open = true;
  for (;;) {
    pollfd fds[2] = {{stream.fd(), POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    if (::poll(fds, stdin_open ? 2 : 1, -1) < 0) {
      if (errno == EINTR) continue;
      return Error{ErrorCode::io_error, "poll failed"};
    }
    if (stdin_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      ssize_t n = ::read(STDIN_FILENO, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) {
        auto sent = stream.write(std::span<const uint8_t>(buffer.data(), static_cast<size_t>(n)));
        if (!sent) return sent;
      } else {
        stdin_open = false;
        auto closed = stream.shutdown_write();
        if (!closed) return closed;
      }
    }
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
    auto received = stream.receive_once();
    if (!received) return received;
    auto& conn = stream.connection();
    while (conn.readable() > 0) {
      size_t n = conn.read(buffer);
      if (!write_all_fd(STDOUT_FILENO, std::span<const uint8_t>(buffer.data(), n))) {
        return Error{ErrorCode::io_error, "cannot write to standard output"};
      }
    }
    if (conn.peer_closed()) return stream.close();
  }
}

// A TLS 1.3 server judges our certificate after our side of the handshake is done, so its
// refusal (certificate_required, bad_certificate, ...) arrives as an alert while we close.
Result<void> close_reporting_refusal(Stream& stream) {
  auto closed = stream.close();
  if (!closed) return closed;
  if (stream.connection().failed()) return stream.connection().receive({});
  return {};
}

}  // namespace

// --export LABEL:LENGTH: keying material (RFC 5705, RFC 8446 §7.5), without a context.
struct ExportRequest {
  std::string label;
  size_t length = 0;
};

std::optional<ExportRequest> parse_export(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  auto length = parse_count(text.substr(colon + 1), 1024);
  if (!length.value || *length.value == 0) return std::nullopt;
  return ExportRequest{std::string(text.substr(0, colon)), *length.value};
}

Result<void> print_export(std::FILE* out, const Connection& conn, const ExportRequest& request) {
  std::vector<uint8_t> material(request.length);
  if (auto ok = conn.export_keying_material(request.label, material); !ok) return ok;
  std::fprintf(out, "exporter: ");
  for (uint8_t b : material) std::fprintf(out, "%02X", b);
  std::fprintf(out, "\n");
  std::fflush(out);
  return {};
}

int run_client(std::span<char* const> raw_args) {
  auto parsed = parse_args(raw_args, kClientOptions);
  if (!parsed.value) return usage_error(parsed.error);
  const ParsedArgs& args = *parsed.value;
  if (args.has("help")) {
    std::fputs(kClientUsage.data(), stdout);
    return 0;
  }
  if (args.positional.size() != 1) return usage_error("client needs exactly one HOST[:PORT]");
  auto endpoint = parse_endpoint(args.positional[0], 443);
  if (!endpoint.value) return usage_error(endpoint.error);
  auto choices = parse_tls_choices(args);
  if (!choices.value) return usage_error(choices.error);
  std::string server_name = args.value("servername").value_or(endpoint.value->host);
  std::optional<ExportRequest> export_request;
  if (auto text = args.value("export")) {
    export_request = parse_export(*text);
    if (!export_request) return usage_error("--export takes LABEL:LENGTH, 1 to 1024 bytes");
  }

  auto cert = args.value("cert");
  auto key = args.value("key");
  if (cert.has_value() != key.has_value()) return usage_error("--cert and --key go together");

  auto provider = default_provider();
  ClientOptions options;
  if (cert) {
    auto certified = CertifiedKey::from_pem_files(*cert, *key, provider);
    if (!certified) return fail(certified.error().message());
    options.client_certificate = *certified;
  }
  options.cipher_suites = std::move(choices.value->cipher_suites);
  options.groups = std::move(choices.value->groups);
  options.min_version = choices.value->min_version;
  options.max_version = choices.value->max_version;
  options.alpn = std::move(choices.value->alpn);
  options.key_log = key_log_from_env();
  options.provider = provider;
  options.insecure_skip_verify = args.has("insecure");
  auto store = load_trust_store(args);
  if (store) {
    options.verifier = webpki_verifier(*store, provider);
  } else if (!options.insecure_skip_verify) {
    return fail(store.error().message());
  }
  auto verifier = options.verifier;
  auto config = ClientConfig::create(std::move(options));
  if (!config) return fail(config.error().message());

  // With --reconnect the first connection only collects tickets (read while it closes); the
  // second offers one, and is the one piped when --pipe is given.
  const bool piping = args.has("pipe");
  for (int round = args.has("reconnect") ? 2 : 1; round > 0; --round) {
    auto stream = Stream::connect(*config, endpoint.value->host, endpoint.value->port, server_name);
    if (!stream) return fail(stream.error().message());
    const bool last = round == 1;
    std::FILE* summary = piping ? stderr : stdout;
    print_summary(summary, stream->info(), verifier.get(), server_name);
    if (export_request && last) {
      if (auto ok = print_export(summary, stream->connection(), *export_request); !ok) {
        return fail(ok.error().message());
      }
    }
    auto done = piping && last ? pipe_stdio(*stream) : close_reporting_refusal(*stream);
    if (!done) return fail(done.error().message());
  }
  return 0;
}

}  // namespace bastion::cli
