// bastion: a TLS 1.3 client and server on the command line.
#include <csignal>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>

#include "bastion/version.hpp"
#include "cert_command.hpp"
#include "commands.hpp"

namespace {

constexpr std::string_view kUsageCommands = R"(usage: bastion <command> [options]

commands:
  client HOST[:PORT]   connect (PORT defaults to 443; IPv6 as [::1]:443), print what was
                       negotiated and the server's certificate, then close
      --servername NAME   name sent as SNI and checked against the certificate (default HOST)
      --cafile PEM        trust the CA certificates in PEM (default: the system's)
      --alpn LIST         protocols to offer, e.g. h2,http/1.1
      --groups LIST       key exchange groups in preference order, e.g. x25519,secp256r1
      --ciphers LIST      cipher suites, e.g. TLS_AES_128_GCM_SHA256 (TLS 1.3) or
                          TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (TLS 1.2)
      --min-version V --max-version V   versions to offer, 1.2 or 1.3 (default both)
      --cert PEM --key PEM  client certificate chain and its key, presented when the server
                          asks for one (mutual TLS)
      --pipe              then copy stdin to the connection and the connection to stdout
                          (the summary goes to stderr)
      --insecure          do not require a valid certificate (it is still checked and reported)
  server --cert PEM --key PEM   serve TLS clients, many at once, until Ctrl-C
      --listen ADDR:PORT  address to listen on (default 127.0.0.1:4433; port 0 picks one)
      --alpn LIST         protocols accepted, server preference first
      --groups LIST       key exchange groups, server preference first
      --ciphers LIST      cipher suites (TLS 1.3 and 1.2), server preference first
      --min-version V --max-version V   versions accepted, 1.2 or 1.3 (default both)
      --echo              echo bytes back until the client closes
      --www DIR           serve the files of DIR over HTTP/1.1
                          (default: an HTTP response describing the connection)
      --client-ca PEM     ask clients for a certificate issued by a CA of PEM (mutual TLS);
                          each connection's client subject and verification are logged
      --require-client-cert  refuse clients without one (alert certificate_required)
)";

constexpr std::string_view kUsageTail = R"(  version              print the version
  help                 print this text

SSLKEYLOGFILE, when set, names a file that receives the session keys (NSS key log format).
)";

void print_usage(std::FILE* out) {
  for (auto part : {kUsageCommands, bastion::cli::kCertUsage, kUsageTail}) {
    std::fwrite(part.data(), 1, part.size(), out);
  }
}

}  // namespace

int main(int argc, char** argv) {
  // A peer or a reader of our stdout that goes away must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  std::span<char* const> args(argv + 1, static_cast<size_t>(argc > 0 ? argc - 1 : 0));
  if (args.empty()) {
    print_usage(stderr);
    return 2;
  }
  std::string_view command = args[0];
  auto rest = args.subspan(1);
  if (command == "client") return bastion::cli::run_client(rest);
  if (command == "server") return bastion::cli::run_server(rest);
  if (command == "cert") return bastion::cli::run_cert_command(argc - 1, argv + 1);
  if (command == "version" || command == "--version") {
    std::printf("bastion %s\n", std::string(bastion::version()).c_str());
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    print_usage(stdout);
    return 0;
  }
  return bastion::cli::usage_error("unknown command '" + std::string(command) + "'");
}
