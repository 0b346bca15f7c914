// Server over loopback: connection threads are reused, bounded by max_connections, end when
// idle too long and on stop().
#include "bastion/server.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bastion/x509.hpp"
#include "io/socket.hpp"
#include "support/test_certs.hpp"

namespace bastion::test {
namespace {

// A bound on waits for the server to get somewhere, so that a broken server fails the test
// instead of hanging it; never reached by a working one.
constexpr std::chrono::seconds kTimeout{10};
// Far longer than kTimeout: a thread that waits this long for a connection was not woken.
constexpr std::chrono::seconds kNeverIdleOut{60};

std::shared_ptr<const ServerConfig> server_config() {
  auto key = CertifiedKey::from_pem(kEcdsaCertPem, kEcdsaKeyPem, default_provider());
  EXPECT_TRUE(key.ok()) << key.error().message();
  ServerOptions options;
  options.certificates = {key.ok() ? *key : nullptr};
  auto config = ServerConfig::create(std::move(options));
  EXPECT_TRUE(config.ok()) << config.error().message();
  return *config;
}

std::shared_ptr<const ClientConfig> client_config() {
  auto ders = parse_pem_certificates(kEcdsaCertPem);
  EXPECT_TRUE(ders.ok());
  ClientOptions options;
  options.verifier = exact_certificate_verifier({ders.ok() ? ders->front() : Der{}});
  auto config = ClientConfig::create(std::move(options));
  EXPECT_TRUE(config.ok()) << config.error().message();
  return *config;
}

// Sends every line back until the client closes.
void echo(Stream& stream) {
  std::array<uint8_t, 256> buffer;
  for (;;) {
    auto n = stream.read(buffer);
    if (!n || *n == 0 || !stream.write(std::span(buffer).first(*n))) return;
  }
}

// Polls until `done` holds or kTimeout has passed; true if it holds.
bool eventually(const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// A server on a free loopback port, serving on its own thread until stop_and_join().
class ServerTest : public ::testing::Test {
 protected:
  void start(ListenOptions options, Server::Handler handler = echo) {
    auto server = Server::listen(server_config(), options);
    ASSERT_TRUE(server.ok()) << server.error().message();
    server_ = std::move(server).value();
    serving_ = std::async(std::launch::async, [this, handler] {
      return server_->serve(handler, [this](const Error& error, std::string_view peer) {
        std::lock_guard lock(errors_mutex_);
        errors_.push_back(std::string(peer) + ": " + error.message());
      });
    });
  }

  Result<Stream> connect() {
    auto stream = Stream::connect(client_, "127.0.0.1", server_->port(), "localhost");
    if (stream) stream->set_timeout(kTimeout);
    return stream;
  }

  // A full connection: handshake, one line echoed, orderly close.
  void exchange_and_close() {
    auto stream = connect();
    ASSERT_TRUE(stream.ok()) << stream.error().message();
    expect_echo(*stream, "ping");
    EXPECT_TRUE(stream->close().ok());
  }

  static void expect_echo(Stream& stream, std::string_view line) {
    ASSERT_TRUE(stream.write(line).ok());
    std::array<uint8_t, 64> buffer;
    auto n = stream.read(buffer);
    ASSERT_TRUE(n.ok()) << n.error().message();
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(buffer.data()), *n), line);
  }

  // True if serve() returned (successfully) within kTimeout of stop().
  bool stop_and_join() {
    server_->stop();
    if (serving_.wait_for(kTimeout) != std::future_status::ready) return false;
    auto outcome = serving_.get();
    EXPECT_TRUE(outcome.ok()) << outcome.error().message();
    return true;
  }

  void TearDown() override {
    if (serving_.valid()) {
      EXPECT_TRUE(stop_and_join());
    }
    std::lock_guard lock(errors_mutex_);
    for (const auto& error : errors_) ADD_FAILURE() << "server reported " << error;
  }

  std::shared_ptr<const ClientConfig> client_ = client_config();
  std::unique_ptr<Server> server_;
  std::future<Result<void>> serving_;
  std::mutex errors_mutex_;
  std::vector<std::string> errors_;
};

TEST_F(ServerTest, SequentialConnectionsReuseOneThread) {
  // With one slot, the server accepts the next client only once the thread is idle again.
  ListenOptions options;
  options.max_connections = 1;
  options.thread_idle_timeout = kNeverIdleOut;
  start(options);
  for (int i = 0; i < 5; ++i) exchange_and_close();
  ASSERT_TRUE(stop_and_join());
  auto stats = server_->stats();
  EXPECT_EQ(stats.connections, 5u);
  EXPECT_EQ(stats.threads_started, 1u);
  EXPECT_EQ(stats.threads, 0u);
}

TEST_F(ServerTest, IdleThreadsAreReusedAtAnyLimit) {
  ListenOptions options;
  options.thread_idle_timeout = kNeverIdleOut;
  start(options);
  for (int i = 0; i < 3; ++i) {
    exchange_and_close();
    ASSERT_TRUE(eventually([&] { return server_->stats().idle_threads == 1; }));
  }
  EXPECT_EQ(server_->stats().threads_started, 1u);
}

TEST_F(ServerTest, ServesUpToMaxConnectionsAtOnceThenReusesAFreedThread) {
  ListenOptions options;
  options.max_connections = 4;
  options.thread_idle_timeout = kNeverIdleOut;
  start(options);
  // Each handshake completes only on a thread of its own, as the echo handlers do not return
  // until their clients close.
  std::vector<Stream> clients;
  for (int i = 0; i < 4; ++i) {
    auto stream = connect();
    ASSERT_TRUE(stream.ok()) << stream.error().message();
    clients.push_back(std::move(stream).value());
  }
  for (auto& client : clients) expect_echo(client, "all at once");
  EXPECT_EQ(server_->stats().threads_started, 4u);
  EXPECT_EQ(server_->stats().threads, 4u);

  // A fifth client waits in the accept queue until a slot frees, then gets the freed thread. (A
  // server without the bound would start a fifth thread for it while the first client closes.)
  auto fifth_fd = io::connect_tcp("127.0.0.1", server_->port());
  ASSERT_TRUE(fifth_fd.ok()) << fifth_fd.error().message();
  EXPECT_TRUE(clients.front().close().ok());
  auto stream = Stream::client(*fifth_fd, client_, "localhost");
  ASSERT_TRUE(stream.ok()) << stream.error().message();
  expect_echo(*stream, "fifth");
  EXPECT_EQ(server_->stats().connections, 5u);
  EXPECT_EQ(server_->stats().threads_started, 4u);
}

TEST_F(ServerTest, IdleThreadEndsAfterIdleTimeout) {
  ListenOptions options;
  options.max_connections = 1;
  options.thread_idle_timeout = std::chrono::milliseconds(1);
  start(options);
  exchange_and_close();
  ASSERT_TRUE(eventually([&] { return server_->stats().threads == 0; }));
  exchange_and_close();
  EXPECT_EQ(server_->stats().threads_started, 2u);
}

TEST_F(ServerTest, StopEndsIdleThreads) {
  ListenOptions options;
  options.thread_idle_timeout = kNeverIdleOut;
  start(options);
  std::vector<Stream> clients;
  for (int i = 0; i < 3; ++i) {
    auto stream = connect();
    ASSERT_TRUE(stream.ok()) << stream.error().message();
    clients.push_back(std::move(stream).value());
  }
  for (auto& client : clients) EXPECT_TRUE(client.close().ok());
  ASSERT_TRUE(eventually([&] { return server_->stats().idle_threads == 3; }));
  // Waiting out kNeverIdleOut would miss kTimeout.
  ASSERT_TRUE(stop_and_join());
  EXPECT_EQ(server_->stats().threads, 0u);
}

TEST_F(ServerTest, StopClosesOpenConnections) {
  std::promise<void> handler_started;
  start({}, [&](Stream& stream) {
    handler_started.set_value();
    echo(stream);
  });
  auto client = connect();
  ASSERT_TRUE(client.ok()) << client.error().message();
  handler_started.get_future().wait();
  ASSERT_TRUE(stop_and_join());
  std::array<uint8_t, 64> buffer;
  auto n = client->read(buffer);
  EXPECT_TRUE(!n.ok() || *n == 0);
  EXPECT_EQ(server_->stats().threads, 0u);
}

TEST_F(ServerTest, HandshakeDeadlineEndsAClientThatTricklesItsHello) {
  // Slowloris: a record header that promises 16 KiB, then a byte every 50 ms, each well
  // within the idle timeout. Only the deadline for the whole handshake ends it.
  ListenOptions options;
  options.handshake_timeout = std::chrono::milliseconds(300);
  options.idle_timeout = kTimeout;
  start(options);
  auto fd = io::connect_tcp("127.0.0.1", server_->port());
  ASSERT_TRUE(fd.ok()) << fd.error().message();
  const uint8_t header[] = {22, 3, 1, 0x40, 0x00};
  ASSERT_TRUE(io::send_all(*fd, header).ok());
  bool closed = false;
  const auto give_up = std::chrono::steady_clock::now() + kTimeout;
  while (!closed && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const uint8_t byte = 0x01;
    uint8_t scratch[64];
    auto got = io::recv_available(*fd, scratch);
    closed = !got.ok() || (got->has_value() && **got == 0) ||
             !io::send_all(*fd, std::span(&byte, 1)).ok();
  }
  ::close(*fd);
  EXPECT_TRUE(closed) << "the server kept a trickling client past its handshake deadline";
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(errors_mutex_);
    return !errors_.empty();
  }));
  std::lock_guard lock(errors_mutex_);
  ASSERT_EQ(errors_.size(), 1u);
  EXPECT_NE(errors_[0].find("timed_out: handshake not complete within 300 ms"), std::string::npos)
      << errors_[0];
  errors_.clear();
}

TEST_F(ServerTest, HandshakeDeadlineDoesNotLimitTheConnectionAfterIt) {
  ListenOptions options;
  options.handshake_timeout = std::chrono::milliseconds(100);
  start(options);
  auto stream = connect();
  ASSERT_TRUE(stream.ok()) << stream.error().message();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  expect_echo(*stream, "still served");
  EXPECT_TRUE(stream->close().ok());
}

}  // namespace
}  // namespace bastion::test
