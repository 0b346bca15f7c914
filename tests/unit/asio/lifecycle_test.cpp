// How an Asio adapter stream ends: close_notify both ways, a TLS 1.3 half-close, truncation,
// a failed handshake, calls out of order, and cancelling or closing the socket mid-operation.
#include <array>
#include <string>
#include <vector>

#include "asio_support.hpp"

namespace bastion::test::asio_adapter {
namespace {

bool is_bastion(const error_code& ec) {
  return std::string(ec.category().name()) == "bastion";
}

// The client shuts down; the server reads the close_notify as eof and answers with its own.
TEST(AsioLifecycle, ShutdownBothWays) {
  Loopback net;
  net.handshake();
  error_code client_shutdown = net::error::fault;
  error_code server_read;
  error_code server_shutdown = net::error::fault;
  std::array<char, 16> buffer{};
  net.client.async_shutdown([&](const error_code& ec) { client_shutdown = ec; });
  net.server.async_read_some(net::buffer(buffer), [&](const error_code& ec, size_t n) {
    server_read = ec;
    EXPECT_EQ(n, 0u);
    net.server.async_shutdown([&](const error_code& e) { server_shutdown = e; });
  });
  ASSERT_TRUE(net.run());
  EXPECT_EQ(server_read, net::error::eof);
  EXPECT_FALSE(client_shutdown) << client_shutdown.message();
  EXPECT_FALSE(server_shutdown) << server_shutdown.message();
  EXPECT_TRUE(net.client.connection().peer_closed());
  EXPECT_TRUE(net.server.connection().peer_closed());
  // Reading after the peer's close_notify goes on reporting eof; writing after ours is closed.
  net.server.async_read_some(net::buffer(buffer),
                             [](const error_code& ec, size_t) { EXPECT_EQ(ec, net::error::eof); });
  net.client.async_write_some(net::buffer("late", 4), [](const error_code& ec, size_t n) {
    EXPECT_EQ(tls::bastion_error(ec), ErrorCode::closed) << ec.message();
    EXPECT_EQ(n, 0u);
  });
  ASSERT_TRUE(net.run());
}

// TLS 1.3 half-close: after the client's close_notify the server still sends, and the client
// still reads, until the server's close_notify.
TEST(AsioLifecycle, HalfClose) {
  Loopback net;
  net.handshake();
  std::string at_client;
  error_code client_end;
  net.client.async_shutdown_write([](const error_code& ec) { EXPECT_FALSE(ec); });
  std::array<char, 16> buffer{};
  net.server.async_read_some(net::buffer(buffer), [&](const error_code& ec, size_t) {
    ASSERT_EQ(ec, net::error::eof);
    net::async_write(net.server, net::buffer("last words", 10), [&](const error_code& e, size_t) {
      ASSERT_FALSE(e) << e.message();
      net.server.async_shutdown([](const error_code& s) { EXPECT_FALSE(s) << s.message(); });
    });
  });
  net::async_read(net.client, net::dynamic_buffer(at_client),
                  [&](const error_code& ec, size_t) { client_end = ec; });
  ASSERT_TRUE(net.run());
  EXPECT_EQ(at_client, "last words");
  EXPECT_EQ(client_end, net::error::eof);
}

// async_shutdown discards what the peer still sends before its close_notify.
TEST(AsioLifecycle, ShutdownDiscardsUnreadData) {
  Loopback net;
  net.handshake();
  const std::vector<uint8_t> data = pattern(200000);
  net::async_write(net.server, net::buffer(data), [&](const error_code& ec, size_t) {
    ASSERT_FALSE(ec);
    net.server.async_shutdown_write([](const error_code& e) { EXPECT_FALSE(e); });
  });
  error_code client_shutdown = net::error::fault;
  net.client.async_shutdown([&](const error_code& ec) { client_shutdown = ec; });
  ASSERT_TRUE(net.run());
  EXPECT_FALSE(client_shutdown) << client_shutdown.message();
}

// The transport ends without close_notify: truncated, in Bastion's category, for every read.
TEST(AsioLifecycle, TruncationIsAnError) {
  Loopback net;
  net.handshake();
  net::async_write(net.server, net::buffer("partial", 7), [&](const error_code& ec, size_t) {
    ASSERT_FALSE(ec);
    net.server.lowest_layer().close();
  });
  std::string got;
  error_code end;
  net::async_read(net.client, net::dynamic_buffer(got),
                  [&](const error_code& ec, size_t) { end = ec; });
  ASSERT_TRUE(net.run());
  EXPECT_EQ(got, "partial");  // what came before the end is delivered
  EXPECT_TRUE(is_bastion(end)) << end.message();
  EXPECT_EQ(tls::bastion_error(end), ErrorCode::truncated);
  EXPECT_EQ(end, tls::make_error_code(ErrorCode::truncated));
  EXPECT_EQ(net.client.error_message(end),
            "truncated: the peer closed the connection without close_notify");
  std::array<char, 4> buffer{};
  net.client.async_read_some(net::buffer(buffer), [](const error_code& ec, size_t) {
    EXPECT_EQ(tls::bastion_error(ec), ErrorCode::truncated);
  });
  ASSERT_TRUE(net.run());
}

// Our close_notify went out, but the peer closes the transport without answering it.
TEST(AsioLifecycle, ShutdownWithoutTheAnswerIsTruncated) {
  Loopback net;
  net.handshake();
  std::array<char, 4> buffer{};
  net.server.async_read_some(net::buffer(buffer), [&](const error_code& ec, size_t) {
    EXPECT_EQ(ec, net::error::eof);
    net.server.lowest_layer().close();
  });
  error_code client_shutdown;
  net.client.async_shutdown([&](const error_code& ec) { client_shutdown = ec; });
  ASSERT_TRUE(net.run());
  EXPECT_EQ(tls::bastion_error(client_shutdown), ErrorCode::truncated);
}

// The client refuses the server's certificate: both handshakes fail with Bastion's codes, and
// the client's alert reached the server.
TEST(AsioLifecycle, HandshakeFailure) {
  Loopback net(distrusting_client_config());
  error_code at_client;
  error_code at_server;
  net.client.async_handshake([&](const error_code& ec) { at_client = ec; });
  net.server.async_handshake([&](const error_code& ec) { at_server = ec; });
  ASSERT_TRUE(net.run());
  EXPECT_TRUE(is_bastion(at_client)) << at_client.message();
  EXPECT_EQ(tls::bastion_error(at_client), ErrorCode::certificate_untrusted);
  EXPECT_EQ(at_client.message(), "certificate_untrusted");
  EXPECT_EQ(tls::bastion_error(at_server), ErrorCode::peer_alert);
  auto received = net.server.connection().error();
  ASSERT_TRUE(received.has_value());
  EXPECT_TRUE(received->received.has_value());
  EXPECT_FALSE(net.client.connection().info().unverified_peer_certificates.empty());
  // Later calls report the same error.
  std::array<char, 4> buffer{};
  net.client.async_read_some(net::buffer(buffer), [](const error_code& ec, size_t) {
    EXPECT_EQ(tls::bastion_error(ec), ErrorCode::certificate_untrusted);
  });
  net.client.async_write_some(net::buffer(buffer), [](const error_code& ec, size_t) {
    EXPECT_EQ(tls::bastion_error(ec), ErrorCode::certificate_untrusted);
  });
  ASSERT_TRUE(net.run());
}

// The server is not TLS at all: the client's handshake fails on what it receives.
TEST(AsioLifecycle, HandshakeWithAPlainTextPeer) {
  Loopback net;
  net::async_write(net.server.next_layer(), net::buffer("HTTP/1.1 400 Bad Request\r\n\r\n", 28),
                   [](const error_code&, size_t) {});
  error_code at_client;
  net.client.async_handshake([&](const error_code& ec) { at_client = ec; });
  ASSERT_TRUE(net.run());
  EXPECT_TRUE(is_bastion(at_client)) << at_client.message();
}

// A forged record fails the client's read, and the read sends the alert: the server's read
// receives it.
TEST(AsioLifecycle, FailedReadSendsItsAlert) {
  Loopback net;
  net.handshake();
  std::vector<uint8_t> forged = {0x17, 0x03, 0x03, 0x00, 0x20};
  forged.resize(5 + 0x20, 0x5a);
  net::async_write(net.server.next_layer(), net::buffer(forged), [](const error_code&, size_t) {});
  std::array<char, 16> buffer{};
  error_code at_client;
  error_code at_server;
  net.client.async_read_some(net::buffer(buffer),
                             [&](const error_code& ec, size_t) { at_client = ec; });
  net.server.async_read_some(net::buffer(buffer),
                             [&](const error_code& ec, size_t) { at_server = ec; });
  ASSERT_TRUE(net.run());
  EXPECT_EQ(tls::bastion_error(at_client), ErrorCode::bad_record_mac) << at_client.message();
  EXPECT_EQ(tls::bastion_error(at_server), ErrorCode::peer_alert) << at_server.message();
  auto received = net.server.connection().error();
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->received, Alert::bad_record_mac);
}

TEST(AsioLifecycle, ReadAndWriteBeforeTheHandshake) {
  Loopback net;
  std::array<char, 4> buffer{};
  net.client.async_read_some(net::buffer(buffer), [](const error_code& ec, size_t) {
    EXPECT_EQ(tls::bastion_error(ec), ErrorCode::closed);
  });
  net.client.async_write_some(net::buffer("data", 4), [](const error_code& ec, size_t) {
    EXPECT_EQ(tls::bastion_error(ec), ErrorCode::closed);
  });
  ASSERT_TRUE(net.run());
}

// Empty buffers complete at once, with no error, and never inside the initiating call.
TEST(AsioLifecycle, EmptyBuffers) {
  Loopback net;
  net.handshake();
  int completed = 0;
  net.client.async_read_some(net::mutable_buffer(), [&](const error_code& ec, size_t n) {
    EXPECT_FALSE(ec);
    EXPECT_EQ(n, 0u);
    ++completed;
  });
  net.client.async_write_some(net::const_buffer(), [&](const error_code& ec, size_t n) {
    EXPECT_FALSE(ec);
    EXPECT_EQ(n, 0u);
    ++completed;
  });
  EXPECT_EQ(completed, 0);
  ASSERT_TRUE(net.run());
  EXPECT_EQ(completed, 2);
}

// A cancelled read completes with operation_aborted, and the stream reads on afterwards.
TEST(AsioLifecycle, CancelledReadLeavesTheStreamUsable) {
  Loopback net;
  net.handshake();
  std::array<char, 5> buffer{};
  error_code first;
  net.client.async_read_some(net::buffer(buffer), [&](const error_code& ec, size_t) {
    first = ec;
    net::async_write(net.server, net::buffer("after", 5), [](const error_code&, size_t) {});
    net::async_read(net.client, net::buffer(buffer),
                    [](const error_code& e, size_t) { EXPECT_FALSE(e) << e.message(); });
  });
  net::post(net.io, [&] { net.client.next_layer().cancel(); });
  ASSERT_TRUE(net.run());
  EXPECT_EQ(first, net::error::operation_aborted);
  EXPECT_EQ(std::string(buffer.data(), buffer.size()), "after");
}

// Closing the socket under a read and a write that cannot finish (the peer reads nothing):
// both complete with an error, and later writes report the write's error.
TEST(AsioLifecycle, ClosingTheSocketMidOperation) {
  Loopback net;
  net.handshake();
  const std::vector<uint8_t> data = pattern(32 << 20);
  std::array<char, 4> buffer{};
  error_code read_end;
  error_code write_end;
  net.client.async_read_some(net::buffer(buffer),
                             [&](const error_code& ec, size_t) { read_end = ec; });
  net::async_write(net.client, net::buffer(data), [&](const error_code& ec, size_t n) {
    write_end = ec;
    EXPECT_LT(n, data.size());
  });
  net::steady_timer timer(net.io, std::chrono::milliseconds(100));
  timer.async_wait([&](const error_code&) { net.client.lowest_layer().close(); });
  ASSERT_TRUE(net.run());
  EXPECT_TRUE(read_end);
  EXPECT_TRUE(write_end);
  net.client.async_write_some(net::buffer("more", 4),
                              [&](const error_code& ec, size_t) { EXPECT_EQ(ec, write_end); });
  ASSERT_TRUE(net.run());
}

// Streams destroyed with operations outstanding, their handlers never run: nothing crashes
// (under ASan, nothing leaks or is used after free).
TEST(AsioLifecycle, DestroyedWithOperationsOutstanding) {
  bool ran = false;
  {
    Loopback net;
    net.handshake();
    std::array<char, 4> buffer{};
    net.client.async_read_some(net::buffer(buffer), [&](const error_code&, size_t) { ran = true; });
    net.server.async_read_some(net::buffer(buffer), [&](const error_code&, size_t) { ran = true; });
    net.io.poll();
  }
  EXPECT_FALSE(ran);
}

#ifndef BASTION_TEST_BOOST_ASIO
// Per-operation cancellation (Asio 1.19 and later): the read's slot reaches the socket read.
TEST(AsioLifecycle, PerOperationCancellation) {
  Loopback net;
  net.handshake();
  net::cancellation_signal signal;
  std::array<char, 2> buffer{};
  error_code first;
  net.client.async_read_some(
      net::buffer(buffer),
      net::bind_cancellation_slot(signal.slot(), [&](const error_code& ec, size_t) {
        first = ec;
        net::async_write(net.server, net::buffer("ok", 2), [](const error_code&, size_t) {});
        net::async_read(net.client, net::buffer(buffer),
                        [](const error_code& e, size_t) { EXPECT_FALSE(e) << e.message(); });
      }));
  net::post(net.io, [&] { signal.emit(net::cancellation_type::terminal); });
  ASSERT_TRUE(net.run());
  EXPECT_EQ(first, net::error::operation_aborted);
  EXPECT_EQ(std::string(buffer.data(), 2), "ok");
}
#endif

}  // namespace
}  // namespace bastion::test::asio_adapter
