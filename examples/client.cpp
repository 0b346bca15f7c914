// A minimal HTTPS client: GET / and print the response.
// usage: example_client HOST [PORT [CA.pem]]   (without CA.pem the system's CAs are trusted)
#include <cstdio>
#include <cstdlib>
#include <string>

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
  std::string host = argc > 1 ? argv[1] : "example.com";
  auto port = static_cast<uint16_t>(argc > 2 ? std::atoi(argv[2]) : 443);
  bastion::ClientOptions options;  // by default: the system's CAs, WebPKI rules
  if (argc > 3) {
    auto trust = check(bastion::TrustStore::from_pem_file(argv[3]));
    options.verifier = bastion::webpki_verifier(trust, bastion::default_provider());
  }
  auto config = check(bastion::ClientConfig::create(std::move(options)));
  auto stream = check(bastion::Stream::connect(config, host, port));
  check(stream.write("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"));
  uint8_t buffer[4096];
  while (size_t n = check(stream.read(buffer))) std::fwrite(buffer, 1, n, stdout);
  check(stream.close());
}
