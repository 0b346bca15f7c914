// An HTTPS GET over Asio with C++20 coroutines: prints the response to GET /.
// usage: bastion-example-asio-get HOST PORT CAFILE
// HOST is resolved, connected to, sent as SNI and checked against the certificate, which must
// chain to a certificate of CAFILE (PEM).
#include <array>
#include <asio.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "bastion/asio.hpp"
#include "bastion/bastion.hpp"

using asio::ip::tcp;
using TlsStream = bastion::asio::stream<tcp::socket>;

namespace {

// Prints what failed and how; returns the exit status.
int fail(const char* what, const std::error_code& ec, const TlsStream& stream) {
  std::fprintf(stderr, "error: %s: %s\n", what, stream.error_message(ec).c_str());
  return 1;
}

asio::awaitable<int> get(std::string host, std::string port,
                         std::shared_ptr<const bastion::ClientConfig> config) {
  auto executor = co_await asio::this_coro::executor;
  std::error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);

  TlsStream stream(executor, config, host);
  tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(host, port, token);
  if (ec) co_return fail(("resolving " + host).c_str(), ec, stream);
  co_await asio::async_connect(stream.next_layer(), endpoints, token);
  if (ec) co_return fail(("connecting to " + host + ":" + port).c_str(), ec, stream);
  co_await stream.async_handshake(token);
  if (ec) co_return fail(("handshake with " + host + ":" + port).c_str(), ec, stream);

  const std::string request = "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
  co_await asio::async_write(stream, asio::buffer(request), token);
  if (ec) co_return fail("sending the request", ec, stream);

  std::array<char, 16384> buffer;
  for (;;) {
    size_t n = co_await stream.async_read_some(asio::buffer(buffer), token);
    if (ec == asio::error::eof) break;  // the server's close_notify: the response is whole
    if (ec) co_return fail("reading the response", ec, stream);
    std::fwrite(buffer.data(), 1, n, stdout);
  }
  // Our close_notify answers the server's; the server may have closed the socket already.
  co_await stream.async_shutdown(token);
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return std::fprintf(stderr, "usage: %s HOST PORT CAFILE\n", argv[0]), 2;
  auto trust = bastion::TrustStore::from_pem_file(argv[3]);
  if (!trust) return std::fprintf(stderr, "error: %s\n", trust.error().message().c_str()), 1;
  bastion::ClientOptions options;
  options.verifier = bastion::webpki_verifier(*trust, bastion::default_provider());
  auto config = bastion::ClientConfig::create(std::move(options));
  if (!config) return std::fprintf(stderr, "error: %s\n", config.error().message().c_str()), 1;

  asio::io_context io;
  int status = 1;
  asio::co_spawn(io, get(argv[1], argv[2], *config), [&status](std::exception_ptr error, int rc) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
      }
      return;
    }
    status = rc;
  });
  io.run();
  return status;
}
