// A program outside Bastion's tree: GET / from 127.0.0.1:PORT (as "localhost", trusting
// CA.pem), then the first line of the response and the library's version.
#include <bastion/bastion.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: consumer PORT CA.pem\n");
    return 2;
  }
  auto trust = bastion::TrustStore::from_pem_file(argv[2]);
  if (!trust) return std::fprintf(stderr, "%s\n", trust.error().message().c_str()), 1;
  bastion::ClientOptions options;
  options.verifier = bastion::webpki_verifier(*trust, bastion::default_provider());
  auto config = bastion::ClientConfig::create(std::move(options));
  if (!config) return std::fprintf(stderr, "%s\n", config.error().message().c_str()), 1;
  auto stream = bastion::Stream::connect(*config, "127.0.0.1",
                                         static_cast<uint16_t>(std::atoi(argv[1])), "localhost");
  if (!stream) return std::fprintf(stderr, "%s\n", stream.error().message().c_str()), 1;
  if (!stream->write("GET / HTTP/1.0\r\n\r\n")) return 1;
  std::string response;
  uint8_t buffer[4096];
  for (;;) {
    auto n = stream->read(buffer);
    if (!n || *n == 0) break;
    response.append(reinterpret_cast<const char*>(buffer), *n);
  }
  std::printf("%s\n", response.substr(0, response.find('\r')).c_str());
  std::printf("%s\n", bastion::to_string(*stream->info().version).c_str());
  std::printf("bastion %s (headers %s)\n", std::string(bastion::version()).c_str(),
              BASTION_VERSION_STRING);
  return 0;
}
