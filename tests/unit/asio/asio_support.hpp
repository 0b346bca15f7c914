// What the Asio adapter's tests share: the flavour under test (standalone Asio, or Boost.Asio
// with BASTION_TEST_BOOST_ASIO: the same tests are built against both), configs with the test
// certificates, and a client and a server stream connected over TCP on 127.0.0.1.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#ifdef BASTION_TEST_BOOST_ASIO
#include <boost/asio.hpp>

#include "bastion/boost_asio.hpp"
namespace net = boost::asio;
namespace tls = bastion::boost_asio;
#else
#include <asio.hpp>

#include "bastion/asio.hpp"
namespace net = ::asio;
namespace tls = bastion::asio;
#endif

#include "bastion/config.hpp"
#include "bastion/x509.hpp"
#include "support/test_certs.hpp"

namespace bastion::test::asio_adapter {

using tcp = net::ip::tcp;
using error_code = tls::error_code;
using TlsStream = tls::stream<tcp::socket>;

// Every test's io_context runs at most this long; a hang fails instead of blocking ctest.
inline constexpr std::chrono::seconds kTimeout{20};

inline std::shared_ptr<const ServerConfig> server_config(ServerOptions options = {}) {
  auto key = CertifiedKey::from_pem(kEcdsaCertPem, kEcdsaKeyPem, default_provider());
  EXPECT_TRUE(key.ok());
  options.certificates = {*key};
  auto config = ServerConfig::create(std::move(options));
  EXPECT_TRUE(config.ok()) << config.error().message();
  return *config;
}

// Trusts the test CA, which issued the leaves for localhost, with WebPKI rules.
inline std::shared_ptr<const ClientConfig> client_config(ClientOptions options = {}) {
  auto ders = parse_pem_certificates(kCaPem);
  EXPECT_TRUE(ders.ok());
  auto store = TrustStore::from_ders(*ders);
  EXPECT_TRUE(store.ok());
  options.verifier = webpki_verifier(*store, default_provider());
  auto config = ClientConfig::create(std::move(options));
  EXPECT_TRUE(config.ok()) << config.error().message();
  return *config;
}

// Trusts only a certificate that is not the server's: the server's chain is refused.
inline std::shared_ptr<const ClientConfig> distrusting_client_config() {
  ClientOptions options;
  auto ders = parse_pem_certificates(kRsaCertPem);
  EXPECT_TRUE(ders.ok());
  options.verifier = exact_certificate_verifier(*ders);
  auto config = ClientConfig::create(std::move(options));
  EXPECT_TRUE(config.ok());
  return *config;
}

inline std::vector<uint8_t> pattern(size_t size, uint32_t seed = 1) {
  std::vector<uint8_t> bytes(size);
  for (auto& b : bytes) {
    seed = seed * 1103515245 + 12345;  // any bytes do; these are reproducible
    b = static_cast<uint8_t>(seed >> 16);
  }
  return bytes;
}

// Two TCP sockets connected on 127.0.0.1, as a client stream and a server stream.
struct Loopback {
  explicit Loopback(std::shared_ptr<const ClientConfig> client_cfg = client_config(),
                    std::shared_ptr<const ServerConfig> server_cfg = server_config())
      : client(connected_pair(), std::move(client_cfg), "localhost"),
        server(std::move(accepted), std::move(server_cfg)) {}

  // Runs the io_context until it has no more work; false after kTimeout.
  bool run() {
    io.restart();
    io.run_for(kTimeout);
    return io.stopped();
  }

  // Both handshakes, each checked.
  void handshake() {
    bool client_done = false;
    bool server_done = false;
    client.async_handshake([&](const error_code& ec) {
      EXPECT_FALSE(ec) << ec.message();
      client_done = true;
    });
    server.async_handshake([&](const error_code& ec) {
      EXPECT_FALSE(ec) << ec.message();
      server_done = true;
    });
    ASSERT_TRUE(run());
    ASSERT_TRUE(client_done && server_done);
  }

  net::io_context io;
  tcp::socket accepted{io};
  TlsStream client;
  TlsStream server;

 private:
  // The client's socket; `accepted` becomes the server's. Declared in that order above.
  tcp::socket connected_pair() {
    tcp::acceptor acceptor(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    tcp::socket socket(io);
    socket.connect(acceptor.local_endpoint());
    acceptor.accept(accepted);
    return socket;
  }
};

}  // namespace bastion::test::asio_adapter
