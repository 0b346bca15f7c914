// The Asio adapter with C++20 coroutines: co_await on use_awaitable, errors as exceptions,
// a reader and a writer coroutine on one stream, and a read raced against a timer.
#include <algorithm>
#include <array>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "asio_support.hpp"

#ifndef BASTION_TEST_BOOST_ASIO
#include <asio/experimental/awaitable_operators.hpp>
#endif

namespace bastion::test::asio_adapter {
namespace {

using net::use_awaitable;

// Runs a coroutine on the loopback's io_context; a failure inside it fails the test.
void spawn(Loopback& loopback, net::awaitable<void> coroutine, bool& finished) {
  net::co_spawn(loopback.io, std::move(coroutine), [&finished](std::exception_ptr error) {
    finished = true;
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "coroutine threw: " << e.what();
    }
  });
}

// Echoes until the peer's close_notify, then answers it.
net::awaitable<void> echo(TlsStream& stream) {
  co_await stream.async_handshake(use_awaitable);
  std::array<uint8_t, 8192> buffer;
  error_code ec;
  for (;;) {
    size_t n = co_await stream.async_read_some(net::buffer(buffer),
                                               net::redirect_error(use_awaitable, ec));
    if (ec == net::error::eof) break;
    if (ec) throw tls::system_error(ec);
    co_await net::async_write(stream, net::buffer(buffer.data(), n), use_awaitable);
  }
  co_await stream.async_shutdown(use_awaitable);
}

TEST(AsioCoroutines, EchoLargePayloadThenShutdown) {
  Loopback net;
  const std::vector<uint8_t> data = pattern(3 << 20, 11);
  std::vector<uint8_t> back(data.size());
  bool server_done = false;
  bool client_done = false;
  spawn(net, echo(net.server), server_done);
  auto client = [&]() -> net::awaitable<void> {
    co_await net.client.async_handshake(use_awaitable);
    // Pieces of 256 KiB, each read back before the next goes (the server echoes as it reads).
    constexpr size_t kPiece = 256 * 1024;
    for (size_t at = 0; at < data.size(); at += kPiece) {
      const size_t n = std::min(kPiece, data.size() - at);
      co_await net::async_write(net.client, net::buffer(data.data() + at, n), use_awaitable);
      co_await net::async_read(net.client, net::buffer(back.data() + at, n), use_awaitable);
    }
    co_await net.client.async_shutdown(use_awaitable);
  };
  spawn(net, client(), client_done);
  ASSERT_TRUE(net.run());
  EXPECT_TRUE(server_done && client_done);
  EXPECT_TRUE(back == data);
}

// A reader and a writer coroutine share the client stream: one read and one write at once.
TEST(AsioCoroutines, ReaderAndWriterOnOneStream) {
  Loopback net;
  net.handshake();
  const std::vector<uint8_t> data = pattern(6 << 20, 13);
  std::vector<uint8_t> back(data.size());
  bool server_done = false;
  bool writer_done = false;
  bool reader_done = false;
  spawn(net, echo(net.server), server_done);
  auto writer = [&]() -> net::awaitable<void> {
    co_await net::async_write(net.client, net::buffer(data), use_awaitable);
  };
  auto reader = [&]() -> net::awaitable<void> {
    co_await net::async_read(net.client, net::buffer(back), use_awaitable);
    co_await net.client.async_shutdown(use_awaitable);
  };
  spawn(net, writer(), writer_done);
  spawn(net, reader(), reader_done);
  ASSERT_TRUE(net.run());
  EXPECT_TRUE(server_done && writer_done && reader_done);
  EXPECT_TRUE(back == data);
}

// With use_awaitable, an error is thrown as the flavour's system_error with Bastion's code.
TEST(AsioCoroutines, HandshakeFailureThrows) {
  Loopback net(distrusting_client_config());
  std::optional<ErrorCode> at_client;
  bool client_done = false;
  bool server_done = false;
  auto client = [&]() -> net::awaitable<void> {
    try {
      co_await net.client.async_handshake(use_awaitable);
    } catch (const tls::system_error& e) {
      at_client = tls::bastion_error(e.code());
    }
  };
  auto server = [&]() -> net::awaitable<void> {
    error_code ec;
    co_await net.server.async_handshake(net::redirect_error(use_awaitable, ec));
    EXPECT_EQ(tls::bastion_error(ec), ErrorCode::peer_alert);
  };
  spawn(net, client(), client_done);
  spawn(net, server(), server_done);
  ASSERT_TRUE(net.run());
  EXPECT_TRUE(client_done && server_done);
  EXPECT_EQ(at_client, ErrorCode::certificate_untrusted);
}

#ifndef BASTION_TEST_BOOST_ASIO
// A read raced against a timer (awaitable operators cancel the loser): the timer wins, the
// read is cancelled, and the stream reads on afterwards.
TEST(AsioCoroutines, ReadRacedAgainstATimer) {
  using namespace net::experimental::awaitable_operators;
  Loopback net;
  net.handshake();
  bool client_done = false;
  auto client = [&]() -> net::awaitable<void> {
    std::array<char, 5> buffer{};
    net::steady_timer timer(net.io, std::chrono::milliseconds(50));
    auto first = co_await (net.client.async_read_some(net::buffer(buffer), use_awaitable) ||
                           timer.async_wait(use_awaitable));
    EXPECT_EQ(first.index(), 1u);  // the timer
    co_await net::async_write(net.server, net::buffer("later", 5), use_awaitable);
    co_await net::async_read(net.client, net::buffer(buffer), use_awaitable);
    EXPECT_EQ(std::string(buffer.data(), buffer.size()), "later");
  };
  spawn(net, client(), client_done);
  ASSERT_TRUE(net.run());
  EXPECT_TRUE(client_done);
}
#endif

}  // namespace
}  // namespace bastion::test::asio_adapter
