// bastion client: connect, print what was negotiated, then close or pipe stdin/stdout.
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "args.hpp"
#include "bastion/bastion.hpp"
#include "certificate_report.hpp"
#include "client_report.hpp"
#include "commands.hpp"
#include "help.hpp"

namespace bastion::cli {
namespace {

// What the server presented and what the verifier said of it.
struct PresentedChain {
  std::vector<Der> chain;
  std::optional<Error> rejection;
};

// Keeps the chain the server presents, so that it can be shown when the verifier rejects it:
// a failed Stream::connect returns only the error, not the connection's
// unverified_peer_certificates. One client connection at a time uses it.
class PresentedChainVerifier final : public CertificateVerifier {
 public:
  explicit PresentedChainVerifier(std::shared_ptr<const CertificateVerifier> inner)
      : inner_(std::move(inner)) {}

  Result<void> verify_server(std::span<const Der> chain, std::string_view server_name,
                             std::chrono::system_clock::time_point now) const override {
    auto verified = inner_->verify_server(chain, server_name, now);
    presented_.chain.assign(chain.begin(), chain.end());
    presented_.rejection = verified ? std::nullopt : std::optional<Error>(verified.error());
    return verified;
  }
  Result<void> verify_client(std::span<const Der> chain,
                             std::chrono::system_clock::time_point now) const override {
    return inner_->verify_client(chain, now);
  }
  std::span<const Der> client_ca_names() const override { return inner_->client_ca_names(); }

  const CertificateVerifier& inner() const { return *inner_; }
  // What the last verify_server call saw, taken (empty afterwards).
  PresentedChain take_presented() const { return std::exchange(presented_, {}); }

 private:
  std::shared_ptr<const CertificateVerifier> inner_;
  mutable PresentedChain presented_;
};

// A completed handshake: the chain and what verification said of it. With --insecure the
// chain was not checked during the handshake, so it is checked here, to be reported.
void record_handshake(ConnectionReport& report, const ConnectionInfo& info,
                      const PresentedChainVerifier* verifier, std::string_view server_name) {
  report.info = info;
  report.chain = info.peer_certificates;
  report.verified = info.peer_verified;
  if (report.verified || verifier == nullptr || report.chain.empty()) return;
  auto checked =
      verifier->inner().verify_server(report.chain, server_name, std::chrono::system_clock::now());
  if (checked) {
    report.verified = true;
  } else {
    report.verify_error = explain_error(checked.error(), report.chain);
  }
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
// close_notify and keep reading, each wait on the server within `timeout` (zero: no limit);
// when the peer closes, we are done.
Result<void> pipe_stdio(Stream& stream, std::chrono::milliseconds timeout) {
  std::vector<uint8_t> buffer(16 * 1024);
  bool stdin_open = true;
  for (;;) {
    pollfd fds[2] = {{stream.fd(), POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    const int wait_ms = stdin_open || timeout.count() == 0 ? -1 : static_cast<int>(timeout.count());
    const int ready = ::poll(fds, stdin_open ? 2 : 1, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return Error{ErrorCode::io_error, "poll failed"};
    }
    if (ready == 0) {
      return Error{ErrorCode::timed_out,
                   "nothing from the server for " + std::to_string(timeout.count()) + " ms"};
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
  if (auto error = stream.connection().error()) return *error;
  return {};
}

// --export LABEL:LENGTH: keying material (RFC 5705, RFC 8446 §7.5), without a context.
struct ExportRequest {
  std::string label;
  size_t length = 0;
};

std::optional<ExportRequest> parse_export(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  auto length = parse_count(text.substr(colon + 1), 1024);
  if (!length.value) return std::nullopt;
  return ExportRequest{std::string(text.substr(0, colon)), *length.value};
}

Result<ExportedKey> export_key(const Connection& conn, const ExportRequest& request) {
  std::vector<uint8_t> material(request.length);
  if (auto ok = conn.export_keying_material(request.label, material); !ok) {
    return std::move(ok).error();
  }
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string hex;
  for (uint8_t b : material) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 0xf];
  }
  return ExportedKey{request.label, std::move(hex)};
}

// What the command line asks of the connections, checked before any is made.
struct ClientPlan {
  ClientTarget target;
  std::optional<ExportRequest> export_request;
  // --timeout: the connect, the handshake and each later wait; nullopt: the library's defaults
  // for the first two and no limit for the others.
  std::optional<std::chrono::milliseconds> timeout;
  bool json = false;
  bool showcerts = false;
  bool piping = false;
  int rounds = 1;
};

Parsed<ClientPlan> plan_client(const ParsedArgs& args) {
  if (args.positional.size() != 1) return {std::nullopt, "client needs exactly one HOST[:PORT]"};
  auto endpoint = parse_endpoint(args.positional[0], 443);
  if (!endpoint.value) return {std::nullopt, endpoint.error};
  ClientPlan plan;
  plan.target.host = endpoint.value->host;
  plan.target.port = endpoint.value->port;
  plan.target.server_name = args.value("servername").value_or(endpoint.value->host);
  plan.target.verification_required = !args.has("insecure");
  if (auto text = args.value("export")) {
    plan.export_request = parse_export(*text);
    if (!plan.export_request) return {std::nullopt, "--export takes LABEL:LENGTH, 1 to 1024 bytes"};
  }
  if (auto text = args.value("timeout")) {
    auto timeout = parse_seconds(*text);
    if (!timeout.value) return {std::nullopt, "--timeout: " + timeout.error};
    plan.timeout = *timeout.value;
  }
  if (args.has("cert") != args.has("key")) return {std::nullopt, "--cert and --key go together"};
  if (auto conflict = trust_option_conflict(args)) return {std::nullopt, *conflict};
  plan.json = args.has("json");
  plan.showcerts = args.has("showcerts");
  plan.piping = args.has("pipe");
  if (plan.json && plan.piping) {
    return {std::nullopt, "--json and --pipe exclude each other (both want stdout)"};
  }
  plan.rounds = args.has("reconnect") ? 2 : 1;
  return {std::move(plan), {}};
}

struct ClientSetup {
  std::shared_ptr<const ClientConfig> config;
  std::shared_ptr<const PresentedChainVerifier> verifier;  // null without a trust store
};

Result<ClientSetup> make_client_config(const ParsedArgs& args, TlsChoices choices) {
  auto provider = default_provider();
  ClientOptions options;
  if (auto cert = args.value("cert")) {
    auto certified = load_certified_key(args, *cert, *args.value("key"));
    if (!certified) return std::move(certified).error();
    options.client_certificate = *certified;
  }
  options.cipher_suites = std::move(choices.cipher_suites);
  options.groups = std::move(choices.groups);
  options.min_version = choices.min_version;
  options.max_version = choices.max_version;
  options.alpn = std::move(choices.alpn);
  if (auto file = args.value("keylog")) {
    options.key_log = key_log_file(*file);
    if (!options.key_log) return Error{ErrorCode::io_error, "--keylog: cannot open " + *file};
  } else {
    options.key_log = key_log_from_env();
  }
  options.provider = provider;
  options.insecure_skip_verify = args.has("insecure");
  ClientSetup setup;
  auto store = load_trust_store(args);
  if (store) {
    setup.verifier =
        std::make_shared<const PresentedChainVerifier>(webpki_verifier(*store, provider));
    options.verifier = setup.verifier;
  } else if (!options.insecure_skip_verify) {
    return std::move(store).error();
  }
  auto config = ClientConfig::create(std::move(options));
  if (!config) return std::move(config).error();
  setup.config = *config;
  return setup;
}

// Connects, reports and closes (or pipes, on the last round). Fills `report`; true when all
// went well.
bool run_connection(const ClientPlan& plan, const ClientSetup& setup, bool last,
                    ConnectionReport& report) {
  StreamTimeouts timeouts;
  if (plan.timeout) timeouts = {*plan.timeout, *plan.timeout};
  auto stream = Stream::connect(setup.config, plan.target.host, plan.target.port,
                                plan.target.server_name, timeouts);
  if (!stream) {
    if (setup.verifier) {
      auto presented = setup.verifier->take_presented();
      report.chain = std::move(presented.chain);
      if (presented.rejection)
        report.verify_error = explain_error(*presented.rejection, report.chain);
    }
    report.error = explain_error(stream.error(), report.chain);
    return false;
  }
  if (setup.verifier) static_cast<void>(setup.verifier->take_presented());
  if (plan.timeout) stream->set_timeout(*plan.timeout);
  record_handshake(report, stream->info(), setup.verifier.get(), plan.target.server_name);
  if (plan.export_request && last) {
    auto exported = export_key(stream->connection(), *plan.export_request);
    if (!exported) {
      report.error = exported.error().message();
      return false;
    }
    report.exported = std::move(exported).value();
  }
  if (!plan.json) {
    std::FILE* summary = plan.piping ? stderr : stdout;
    print_summary(summary, report);
    if (plan.showcerts) print_presented_chain(summary, report);
  }
  auto done = plan.piping && last
                  ? pipe_stdio(*stream, plan.timeout.value_or(std::chrono::milliseconds{0}))
                  : close_reporting_refusal(*stream);
  if (!done) {
    report.error = done.error().message();
    return false;
  }
  return true;
}

}  // namespace

int run_client(std::span<char* const> raw_args) {
  auto parsed = parse_args(raw_args, kClientCommand.options);
  if (!parsed.value) return usage_error(parsed.error);
  const ParsedArgs& args = *parsed.value;
  if (args.has("help")) {
    std::fputs(command_help(kClientCommand).c_str(), stdout);
    return 0;
  }
  auto plan = plan_client(args);
  if (!plan.value) return usage_error(plan.error);
  auto choices = parse_tls_choices(args);
  if (!choices.value) return usage_error(choices.error);
  auto setup = make_client_config(args, std::move(*choices.value));
  if (!setup) return fail(setup.error().message());

  // With --reconnect the first connection only collects tickets (read while it closes); the
  // second offers one, and is the one piped when --pipe is given.
  std::vector<ConnectionReport> reports;
  bool ok = true;
  for (int round = 1; ok && round <= plan.value->rounds; ++round) {
    ok = run_connection(*plan.value, *setup, round == plan.value->rounds, reports.emplace_back());
  }
  const ConnectionReport& report = reports.back();
  if (plan.value->json) {
    const ConnectionReport* first = reports.size() > 1 ? &reports.front() : nullptr;
    std::fputs(client_json(plan.value->target, report, first, plan.value->showcerts).c_str(),
               stdout);
    return ok ? 0 : 1;
  }
  if (ok) return 0;
  // A chain the handshake rejected: shown before the error, marked unverified.
  if (plan.value->showcerts && !report.info) print_presented_chain(stdout, report);
  return fail(*report.error);
}

}  // namespace bastion::cli
