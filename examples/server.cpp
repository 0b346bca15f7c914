// A minimal TLS echo server; Ctrl-C stops it.
// usage: example_server CERT.pem KEY.pem [PORT]   (PORT 0 or absent: any free port)
#include <cstdio>
#include <cstdlib>

#include "bastion/bastion.hpp"

// Prints the error and exits.
void check(const bastion::Result<void>& result) {
  if (result) return;
  std::fprintf(stderr, "error: %s\n", result.error().message().c_str());
  std::exit(1);
}
template <class T>
T check(bastion::Result<T> result) {
  if (!result) check(bastion::Result<void>(result.error()));
  return std::move(result).value();
}

int main(int argc, char** argv) {
  if (argc < 3) return std::fprintf(stderr, "usage: %s CERT.pem KEY.pem [PORT]\n", argv[0]), 2;
  bastion::ServerOptions options;
  options.certificates = {
      check(bastion::CertifiedKey::from_pem_files(argv[1], argv[2], bastion::default_provider()))};
  auto config = check(bastion::ServerConfig::create(std::move(options)));

  bastion::ListenOptions listen;
  listen.port = static_cast<uint16_t>(argc > 3 ? std::atoi(argv[3]) : 0);
  auto server = check(bastion::Server::listen(config, listen));
  check(server->stop_on_signals());
  std::printf("listening on %s\n", server->endpoint().c_str());
  std::fflush(stdout);

  check(server->serve([](bastion::Stream& stream) {
    uint8_t buffer[4096];
    for (auto n = stream.read(buffer); n && *n > 0; n = stream.read(buffer)) {
      if (!stream.write(std::span(buffer, *n))) return;
    }
  }));
}
