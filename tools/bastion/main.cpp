// bastion: a TLS client and server, a certificate verifier and a local CA on the command line.
#include <csignal>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>

#include "bastion/version.hpp"
#include "cert_command.hpp"
#include "commands.hpp"
#include "help.hpp"

int main(int argc, char** argv) {
  // A peer or a reader of our stdout that goes away must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  std::span<char* const> args(argv + 1, static_cast<size_t>(argc > 0 ? argc - 1 : 0));
  if (args.empty()) {
    std::fputs(bastion::cli::full_help().c_str(), stderr);
    return 2;
  }
  std::string_view command = args[0];
  auto rest = args.subspan(1);
  if (command == "client") return bastion::cli::run_client(rest);
  if (command == "server") return bastion::cli::run_server(rest);
  if (command == "verify") return bastion::cli::run_verify(rest);
  if (command == "cert") return bastion::cli::run_cert_command(rest);
  if (command == "version" || command == "--version") {
    std::printf("bastion %s\n", std::string(bastion::version()).c_str());
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(bastion::cli::full_help().c_str(), stdout);
    return 0;
  }
  return bastion::cli::usage_error("unknown command '" + std::string(command) + "'");
}
