// Stream over a socketpair: the client in the test thread, the server in another thread.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "bastion/stream.hpp"
#include "bastion/x509.hpp"
#include "core/buffer_pool.hpp"
#include "support/test_certs.hpp"

namespace bastion::test {
namespace {

constexpr std::chrono::seconds kTimeout{10};

std::shared_ptr<const CertifiedKey> certified_key(const char* cert_pem, const char* key_pem) {
  auto key = CertifiedKey::from_pem(cert_pem, key_pem, default_provider());
  EXPECT_TRUE(key.ok()) << key.error().message();
  return key.ok() ? *key : nullptr;
}

Der first_der(const char* pem) {
  auto ders = parse_pem_certificates(pem);
  EXPECT_TRUE(ders.ok());
  return ders.ok() ? ders->front() : Der{};
}

std::shared_ptr<const ClientConfig> client_config(bool with_certificate = false) {
  ClientOptions options;
  options.verifier = exact_certificate_verifier({first_der(kEcdsaCertPem)});
  if (with_certificate) options.client_certificate = certified_key(kRsaCertPem, kRsaKeyPem);
  auto config = ClientConfig::create(std::move(options));
  EXPECT_TRUE(config.ok()) << config.error().message();
  return *config;
}

std::shared_ptr<const ServerConfig> server_config(ClientAuth client_auth = ClientAuth::none) {
  ServerOptions options;
  options.certificates = {certified_key(kEcdsaCertPem, kEcdsaKeyPem)};
  if (client_auth != ClientAuth::none) {
    options.client_auth = client_auth;
    options.client_verifier = exact_certificate_verifier({first_der(kRsaCertPem)});
  }
  auto config = ServerConfig::create(std::move(options));
  EXPECT_TRUE(config.ok()) << config.error().message();
  return *config;
}

std::string read_all(Stream& stream, std::optional<Error>& error) {
  std::string text;
  std::array<uint8_t, 4096> buffer;
  for (;;) {
    auto n = stream.read(buffer);
    if (!n) {
      error = n.error();
      return text;
    }
    if (*n == 0) return text;
    text.append(reinterpret_cast<const char*>(buffer.data()), *n);
  }
}

// The two ends of a socketpair; the server end goes to a thread that runs Stream::server and
// then `serve` on the stream (or records the handshake error).
class StreamPair : public ::testing::Test {
 protected:
  void start_server(std::shared_ptr<const ServerConfig> config,
                    std::function<void(Stream&)> serve) {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    client_fd_ = fds[0];
    server_thread_ = std::thread([this, fd = fds[1], config, serve] {
      auto stream = Stream::server(fd, config);
      if (!stream) {
        server_error_ = stream.error();
        return;
      }
      server_info_ = stream->info();
      stream->set_timeout(kTimeout);
      serve(*stream);
    });
  }

  Result<Stream> connect(bool with_certificate = false) {
    auto stream =
        Stream::client(std::exchange(client_fd_, -1), client_config(with_certificate), "localhost");
    if (stream) stream->set_timeout(kTimeout);
    return stream;
  }

  void TearDown() override {
    if (client_fd_ >= 0) ::close(client_fd_);
    if (server_thread_.joinable()) server_thread_.join();
  }

  void join_server() { server_thread_.join(); }

  int client_fd_ = -1;
  std::thread server_thread_;
  std::optional<Error> server_error_;
  std::optional<ConnectionInfo> server_info_;
};

TEST_F(StreamPair, HandshakeDataBothWaysAndCloseNotify) {
  std::string server_got;
  start_server(server_config(), [&](Stream& stream) {
    std::array<uint8_t, 64> buffer;
    auto n = stream.read(buffer);
    ASSERT_TRUE(n.ok()) << n.error().message();
    server_got.assign(reinterpret_cast<const char*>(buffer.data()), *n);
    ASSERT_TRUE(stream.write("pong").ok());
    ASSERT_TRUE(stream.close().ok());
  });
  auto client = connect();
  ASSERT_TRUE(client.ok()) << client.error().message();
  EXPECT_EQ(client->info().version, ProtocolVersion::tls13);
  EXPECT_TRUE(client->info().peer_verified);
  ASSERT_TRUE(client->write("ping").ok());

  std::optional<Error> error;
  EXPECT_EQ(read_all(*client, error), "pong");
  EXPECT_FALSE(error) << error->message();  // read() returned 0: close_notify
  EXPECT_TRUE(client->connection().peer_closed());
  std::array<uint8_t, 8> buffer;
  auto again = client->read(buffer);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
  EXPECT_TRUE(client->close().ok());
  join_server();
  EXPECT_EQ(server_got, "ping");
  ASSERT_TRUE(server_info_);
  EXPECT_EQ(server_info_->server_name, "localhost");
}

TEST_F(StreamPair, LargeWritesEchoAndAnIdleStreamHoldsNoBuffer) {
  const std::string message(100000, 'm');
  start_server(server_config(), [&](Stream& stream) {
    std::string got;
    std::array<uint8_t, 4096> buffer;
    while (got.size() < message.size()) {
      auto n = stream.read(buffer);
      if (!n || *n == 0) return;
      got.append(reinterpret_cast<const char*>(buffer.data()), *n);
    }
    ASSERT_TRUE(stream.write(got).ok());
    // Until the client goes away.
    static_cast<void>(stream.read(buffer));
  });
  auto config = client_config();
  std::optional<Stream> client;
  {
    auto made = Stream::client(std::exchange(client_fd_, -1), config, "localhost");
    ASSERT_TRUE(made.ok()) << made.error().message();
    client.emplace(std::move(made).value());
  }
  ASSERT_TRUE(client->write(message).ok());
  std::string echoed;
  std::array<uint8_t, 8192> buffer;
  while (echoed.size() < message.size()) {
    auto n = client->read(buffer);
    ASSERT_TRUE(n.ok() && *n > 0);
    echoed.append(reinterpret_cast<const char*>(buffer.data()), *n);
  }
  EXPECT_EQ(echoed, message);
  // Waiting for input that does not come: the buffers go back to the pool before the wait.
  client->set_timeout(std::chrono::milliseconds(50));
  auto waited = client->receive_once();
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.error().code, ErrorCode::timed_out);
  const size_t kept_while_idle = config->buffer_pool()->kept();
  EXPECT_GT(kept_while_idle, 0u);
  client.reset();  // a connection hands back whatever it still holds
  EXPECT_EQ(config->buffer_pool()->kept(), kept_while_idle);
}

TEST_F(StreamPair, PeerClosingWithoutCloseNotifyIsTruncated) {
  // The server's Stream is destroyed without close(): the socket closes, no close_notify.
  start_server(server_config(), [](Stream& stream) { ASSERT_TRUE(stream.write("partial").ok()); });
  auto client = connect();
  ASSERT_TRUE(client.ok()) << client.error().message();
  std::optional<Error> error;
  EXPECT_EQ(read_all(*client, error), "partial");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::truncated);
  EXPECT_NE(error->message().find("without close_notify"), std::string::npos) << error->message();
}

TEST_F(StreamPair, DeadlineEndsAWriteToAPeerThatDoesNotRead) {
  // A slow reader cannot hold a sender past its deadline, however long each wait may be.
  std::optional<Error> write_error;
  start_server(server_config(), [&](Stream& stream) {
    stream.set_deadline(std::chrono::steady_clock::now() + std::chrono::milliseconds(300));
    const std::string big(8 * 1024 * 1024, 'x');  // far more than the socket buffers hold
    auto wrote = stream.write(big);
    if (!wrote) write_error = wrote.error();
  });
  auto client = connect();
  ASSERT_TRUE(client.ok()) << client.error().message();
  join_server();  // the client reads nothing
  ASSERT_TRUE(write_error);
  EXPECT_EQ(write_error->code, ErrorCode::timed_out);
  EXPECT_NE(write_error->detail.find("deadline"), std::string::npos) << write_error->detail;
}

TEST_F(StreamPair, PeerClosingDuringTheHandshakeIsTruncated) {
  start_server(server_config(), [](Stream&) {});
  ::close(std::exchange(client_fd_, -1));
  join_server();
  ASSERT_TRUE(server_error_);
  EXPECT_EQ(server_error_->code, ErrorCode::truncated);
  EXPECT_NE(server_error_->message().find("during the handshake"), std::string::npos)
      << server_error_->message();
}

TEST_F(StreamPair, HalfCloseLetsThePeerKeepWriting) {
  start_server(server_config(), [](Stream& stream) {
    std::optional<Error> error;
    std::string request = read_all(stream, error);  // until the client's close_notify
    ASSERT_FALSE(error) << error->message();
    ASSERT_TRUE(stream.write("after your close: " + request).ok());
    ASSERT_TRUE(stream.close().ok());
  });
  auto client = connect();
  ASSERT_TRUE(client.ok()) << client.error().message();
  ASSERT_TRUE(client->write("request").ok());
  ASSERT_TRUE(client->shutdown_write().ok());
  EXPECT_FALSE(client->write("more").ok());
  std::optional<Error> error;
  EXPECT_EQ(read_all(*client, error), "after your close: request");
  EXPECT_FALSE(error) << error->message();
}

TEST_F(StreamPair, LargeWritesArriveWhole) {
  const std::string data(300 * 1000, 'x');
  start_server(server_config(), [&](Stream& stream) {
    std::optional<Error> error;
    std::string got = read_all(stream, error);
    ASSERT_FALSE(error) << error->message();
    ASSERT_TRUE(
        stream.write(std::to_string(got.size()) + (got == data ? " same" : " differ")).ok());
    ASSERT_TRUE(stream.close().ok());
  });
  auto client = connect();
  ASSERT_TRUE(client.ok()) << client.error().message();
  ASSERT_TRUE(client->write(data).ok());
  ASSERT_TRUE(client->shutdown_write().ok());
  std::optional<Error> error;
  EXPECT_EQ(read_all(*client, error), "300000 same");
  EXPECT_FALSE(error) << error->message();
}

TEST_F(StreamPair, ServerSeesTheVerifiedClientCertificate) {
  start_server(server_config(ClientAuth::require),
               [](Stream& stream) { ASSERT_TRUE(stream.close().ok()); });
  auto client = connect(/*with_certificate=*/true);
  ASSERT_TRUE(client.ok()) << client.error().message();
  std::optional<Error> error;
  EXPECT_EQ(read_all(*client, error), "");
  EXPECT_FALSE(error) << error->message();
  EXPECT_TRUE(client->close().ok());
  join_server();
  ASSERT_FALSE(server_error_) << server_error_->message();
  ASSERT_TRUE(server_info_);
  EXPECT_TRUE(server_info_->peer_verified);
  ASSERT_EQ(server_info_->peer_certificates.size(), 1u);
  EXPECT_EQ(server_info_->peer_certificates[0], first_der(kRsaCertPem));
}

TEST_F(StreamPair, MissingClientCertificateReachesTheClientAsAnAlert) {
  // TLS 1.3: the client's handshake completes before the server reads its empty Certificate,
  // so the refusal arrives on the client's first read.
  start_server(server_config(ClientAuth::require), [](Stream&) {});
  auto client = connect();
  ASSERT_TRUE(client.ok()) << client.error().message();
  std::array<uint8_t, 16> buffer;
  auto n = client->read(buffer);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().code, ErrorCode::peer_alert);
  EXPECT_EQ(n.error().received, Alert::certificate_required);
  join_server();
  ASSERT_TRUE(server_error_);
  EXPECT_EQ(server_error_->code, ErrorCode::certificate_required);
}

}  // namespace
}  // namespace bastion::test
