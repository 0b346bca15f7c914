// The Asio adapter's data path over TCP on 127.0.0.1, Asio on both sides: handshakes,
// composed reads and writes, large full-duplex transfers, scatter/gather, KeyUpdate, TLS 1.2
// and the blocking calls.
#include <array>
#include <string>
#include <thread>
#include <vector>

#include "asio_support.hpp"

namespace bastion::test::asio_adapter {
namespace {

TEST(AsioStream, HandshakeBothRoles) {
  Loopback net;
  net.handshake();
  EXPECT_TRUE(net.client.connection().handshake_complete());
  EXPECT_TRUE(net.server.connection().handshake_complete());
  ConnectionInfo client = net.client.info();
  EXPECT_EQ(client.version, ProtocolVersion::tls13);
  EXPECT_TRUE(client.peer_verified);
  EXPECT_EQ(net.server.info().server_name, "localhost");
  EXPECT_EQ(&net.client.lowest_layer(), &net.client.next_layer());
}

TEST(AsioStream, HandshakeAgainCompletesAtOnce) {
  Loopback net;
  net.handshake();
  bool done = false;
  net.client.async_handshake([&](const error_code& ec) {
    EXPECT_FALSE(ec);
    done = true;
  });
  EXPECT_FALSE(done);  // never inside the initiating call
  ASSERT_TRUE(net.run());
  EXPECT_TRUE(done);
}

TEST(AsioStream, ComposedReadAndWriteRoundTrip) {
  Loopback net;
  net.handshake();
  std::string request = "ping\n";
  std::array<char, 5> at_server{};
  std::string at_client;
  net::async_write(net.client, net::buffer(request), [&](const error_code& ec, size_t n) {
    EXPECT_FALSE(ec);
    EXPECT_EQ(n, request.size());
  });
  net::async_read(net.server, net::buffer(at_server), [&](const error_code& ec, size_t n) {
    ASSERT_FALSE(ec) << ec.message();
    ASSERT_EQ(n, at_server.size());
    static const std::string reply = "pong\nrest";
    net::async_write(net.server, net::buffer(reply),
                     [](const error_code& e, size_t) { EXPECT_FALSE(e); });
  });
  net::async_read_until(net.client, net::dynamic_buffer(at_client), "\n",
                        [&](const error_code& ec, size_t n) {
                          EXPECT_FALSE(ec) << ec.message();
                          EXPECT_EQ(n, 5u);
                        });
  ASSERT_TRUE(net.run());
  EXPECT_EQ(std::string(at_server.data(), at_server.size()), request);
  EXPECT_EQ(at_client.substr(0, 5), "pong\n");
}

// Both sides write 8 MiB while they read the other's 8 MiB: one read and one write outstanding
// on each stream at once, with records far larger than the sockets' buffers in flight.
TEST(AsioStream, LargeFullDuplexTransfer) {
  Loopback net;
  net.handshake();
  const std::vector<uint8_t> up = pattern(8 << 20, 7);
  const std::vector<uint8_t> down = pattern(8 << 20, 9);
  std::vector<uint8_t> got_up(up.size());
  std::vector<uint8_t> got_down(down.size());
  int completed = 0;
  auto expect_all = [&completed](size_t size) {
    return [&completed, size](const error_code& ec, size_t n) {
      EXPECT_FALSE(ec) << ec.message();
      EXPECT_EQ(n, size);
      ++completed;
    };
  };
  net::async_write(net.client, net::buffer(up), expect_all(up.size()));
  net::async_write(net.server, net::buffer(down), expect_all(down.size()));
  net::async_read(net.server, net::buffer(got_up), expect_all(up.size()));
  net::async_read(net.client, net::buffer(got_down), expect_all(down.size()));
  ASSERT_TRUE(net.run());
  EXPECT_EQ(completed, 4);
  EXPECT_TRUE(got_up == up);
  EXPECT_TRUE(got_down == down);
}

TEST(AsioStream, ScatterAndGatherBuffers) {
  Loopback net;
  net.handshake();
  const std::vector<uint8_t> data = pattern(100000, 3);
  // Pieces of odd sizes, one of them empty, crossing record boundaries.
  std::array<net::const_buffer, 4> pieces = {
      net::buffer(data.data(), 1), net::buffer(data.data() + 1, 0),
      net::buffer(data.data() + 1, 40000), net::buffer(data.data() + 40001, data.size() - 40001)};
  std::vector<uint8_t> first(30000), second(data.size() - first.size());
  std::array<net::mutable_buffer, 2> targets = {net::buffer(first), net::buffer(second)};
  net::async_write(net.client, pieces, [&](const error_code& ec, size_t n) {
    EXPECT_FALSE(ec);
    EXPECT_EQ(n, data.size());
  });
  net::async_read(net.server, targets, [&](const error_code& ec, size_t n) {
    EXPECT_FALSE(ec);
    EXPECT_EQ(n, data.size());
  });
  ASSERT_TRUE(net.run());
  first.insert(first.end(), second.begin(), second.end());
  EXPECT_TRUE(first == data);
}

// The client asks for a KeyUpdate; the server's answer goes out with its next write, before its
// data, and both directions keep working under the new keys.
TEST(AsioStream, KeyUpdateBothWays) {
  Loopback net;
  net.handshake();
  ASSERT_TRUE(net.client.connection().key_update(true).ok());
  std::string hello = "after update";
  std::array<char, 12> at_server{};
  std::array<char, 5> at_client{};
  net::async_write(net.client, net::buffer(hello),
                   [](const error_code& ec, size_t) { EXPECT_FALSE(ec); });
  net::async_read(net.server, net::buffer(at_server), [&](const error_code& ec, size_t) {
    ASSERT_FALSE(ec) << ec.message();
    net::async_write(net.server, net::buffer("reply", 5),
                     [](const error_code& e, size_t) { EXPECT_FALSE(e); });
  });
  net::async_read(net.client, net::buffer(at_client),
                  [](const error_code& ec, size_t) { EXPECT_FALSE(ec) << ec.message(); });
  ASSERT_TRUE(net.run());
  EXPECT_EQ(std::string(at_server.data(), at_server.size()), hello);
  EXPECT_EQ(std::string(at_client.data(), at_client.size()), "reply");
}

TEST(AsioStream, Tls12) {
  ClientOptions options;
  options.max_version = ProtocolVersion::tls12;
  Loopback net(client_config(std::move(options)));
  net.handshake();
  EXPECT_EQ(net.client.info().version, ProtocolVersion::tls12);
  std::array<char, 3> got{};
  net::async_write(net.server, net::buffer("abc", 3),
                   [](const error_code& ec, size_t) { EXPECT_FALSE(ec); });
  net::async_read(net.client, net::buffer(got),
                  [](const error_code& ec, size_t) { EXPECT_FALSE(ec); });
  ASSERT_TRUE(net.run());
  EXPECT_EQ(std::string(got.data(), 3), "abc");
}

// The server uses the blocking calls on a thread of its own; the client is asynchronous.
TEST(AsioStream, BlockingCalls) {
  Loopback net;
  const std::vector<uint8_t> data = pattern(1 << 20, 5);
  std::vector<uint8_t> echoed(data.size());
  error_code server_shutdown = net::error::fault;
  std::thread server([&] {
    error_code ec;
    net.server.handshake(ec);
    ASSERT_FALSE(ec) << ec.message();
    std::vector<uint8_t> got(data.size());
    net::read(net.server, net::buffer(got), ec);
    ASSERT_FALSE(ec) << ec.message();
    net::write(net.server, net::buffer(got), ec);
    ASSERT_FALSE(ec) << ec.message();
    net.server.shutdown(server_shutdown);
  });
  net.client.async_handshake([&](const error_code& ec) {
    ASSERT_FALSE(ec) << ec.message();
    net::async_write(net.client, net::buffer(data),
                     [](const error_code& e, size_t) { EXPECT_FALSE(e); });
    net::async_read(net.client, net::buffer(echoed), [&](const error_code& e, size_t) {
      ASSERT_FALSE(e) << e.message();
      net.client.async_shutdown([](const error_code& s) { EXPECT_FALSE(s) << s.message(); });
    });
  });
  EXPECT_TRUE(net.run());
  server.join();
  EXPECT_TRUE(echoed == data);
  EXPECT_FALSE(server_shutdown) << server_shutdown.message();
}

// Without an error_code argument, the blocking calls throw the flavour's system_error.
TEST(AsioStream, BlockingCallsThrowSystemError) {
  Loopback net(distrusting_client_config());
  error_code at_server;
  std::thread server([&] { net.server.handshake(at_server); });
  try {
    net.client.handshake();
    ADD_FAILURE() << "the handshake succeeded";
  } catch (const tls::system_error& e) {
    EXPECT_EQ(tls::bastion_error(e.code()), ErrorCode::certificate_untrusted) << e.what();
  }
  server.join();
  EXPECT_EQ(tls::bastion_error(at_server), ErrorCode::peer_alert) << at_server.message();
}

}  // namespace
}  // namespace bastion::test::asio_adapter
