// A TLS echo server over Asio with C++20 coroutines, one thread: each client is a coroutine
// that sends back what it receives until the client's close_notify, then answers it with ours.
// It prints one line per client that ends. Ctrl-C (or SIGTERM) stops it.
// usage: bastion-example-asio-echo-server PORT CERT.pem KEY.pem   (PORT 0: any free port)
#include <array>
#include <asio.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "bastion/asio.hpp"
#include "bastion/bastion.hpp"

using asio::ip::tcp;
using TlsStream = bastion::asio::stream<tcp::socket>;

namespace {

std::string describe(const tcp::endpoint& endpoint) {
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

asio::awaitable<void> echo(TlsStream stream, std::string peer) {
  std::error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  co_await stream.async_handshake(token);
  std::array<uint8_t, 16384> buffer;
  while (!ec) {
    size_t n = co_await stream.async_read_some(asio::buffer(buffer), token);
    if (!ec) co_await asio::async_write(stream, asio::buffer(buffer.data(), n), token);
  }
  if (ec != asio::error::eof) {
    std::printf("%s: error: %s\n", peer.c_str(), stream.error_message(ec).c_str());
    std::fflush(stdout);
    co_return;
  }
  // The client's close_notify came (a clean end): ours answers it.
  co_await stream.async_shutdown(token);
  std::printf("%s: closed%s%s\n", peer.c_str(), ec ? ": " : "",
              ec ? stream.error_message(ec).c_str() : "");
  std::fflush(stdout);
}

asio::awaitable<void> accept_clients(tcp::acceptor acceptor,
                                     std::shared_ptr<const bastion::ServerConfig> config) {
  for (;;) {
    tcp::socket socket = co_await acceptor.async_accept(asio::use_awaitable);
    std::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);  // an echo answers at once
    std::string peer = describe(socket.remote_endpoint(ec));
    asio::co_spawn(acceptor.get_executor(), echo(TlsStream(std::move(socket), config), peer),
                   asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return std::fprintf(stderr, "usage: %s PORT CERT.pem KEY.pem\n", argv[0]), 2;
  auto key = bastion::CertifiedKey::from_pem_files(argv[2], argv[3], bastion::default_provider());
  if (!key) return std::fprintf(stderr, "error: %s\n", key.error().message().c_str()), 1;
  bastion::ServerOptions options;
  options.certificates = {*key};
  auto config = bastion::ServerConfig::create(std::move(options));
  if (!config) return std::fprintf(stderr, "error: %s\n", config.error().message().c_str()), 1;

  asio::io_context io;
  const auto port = static_cast<uint16_t>(std::atoi(argv[1]));
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), port});
  std::printf("listening on %s\n", describe(acceptor.local_endpoint()).c_str());
  std::fflush(stdout);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io](const std::error_code&, int) { io.stop(); });
  asio::co_spawn(io, accept_clients(std::move(acceptor), *config), [](std::exception_ptr error) {
    if (error) std::fprintf(stderr, "error: accepting clients failed\n");
  });
  io.run();
}
