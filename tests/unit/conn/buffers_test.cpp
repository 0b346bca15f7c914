// The connection's buffers: plaintext is opened in place in the receive buffer and read from
// there, output can be taken in pieces, and whatever way the bytes are cut, nothing is lost,
// reordered or duplicated.
#include <gtest/gtest.h>

#include "unit/conn/loopback.hpp"

namespace bastion::test {
namespace {

Pair connected_pair() {
  auto p = make_pair(client_options_trusting(kEcdsaCertPem),
                     server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  EXPECT_TRUE(pump(p.client, p.server).ok());
  EXPECT_TRUE(p.client.handshake_complete() && p.server.handshake_complete());
  return p;
}

TEST(Buffers, RecordsCutAtEveryReadSizeArriveWhole) {
  for (size_t cut : {1, 5, 6, 100, 1000, 16389, 16390, 20000}) {
    SCOPED_TRACE(cut);
    auto p = connected_pair();
    const std::string sent = pattern(50000, cut);
    ASSERT_OK(p.client.write(bytes_of(sent)));
    const auto wire = take_output(p.client);
    std::string received;
    for (size_t pos = 0; pos < wire.size(); pos += cut) {
      const size_t n = std::min(cut, wire.size() - pos);
      ASSERT_OK(p.server.receive(std::span(wire).subspan(pos, n)));
      received += read_all(p.server);
    }
    EXPECT_EQ(received, sent);
    EXPECT_EQ(p.server.readable(), 0u);
  }
}

TEST(Buffers, UnreadPlaintextSurvivesLaterInputAndSmallReads) {
  auto p = connected_pair();
  std::string sent;
  for (size_t i = 0; i < 5; ++i) {
    const std::string part = pattern(7000 + 3000 * i, i);
    sent += part;
    ASSERT_OK(p.client.write(bytes_of(part)));
    const auto wire = take_output(p.client);
    // Half a flight now, the rest later: the unread plaintext must stay put meanwhile.
    ASSERT_OK(p.server.receive(std::span(wire).first(wire.size() / 2)));
    ASSERT_OK(p.server.receive(std::span(wire).subspan(wire.size() / 2)));
  }
  EXPECT_EQ(p.server.readable(), sent.size());
  std::string received;
  char chunk[777];
  while (size_t n = p.server.read(std::span(reinterpret_cast<uint8_t*>(chunk), sizeof(chunk)))) {
    received.append(chunk, n);
  }
  EXPECT_EQ(received, sent);
}

TEST(Buffers, OutputCanBeTakenInPiecesWhileMoreIsWritten) {
  auto p = connected_pair();
  std::string sent;
  std::vector<uint8_t> wire;
  for (size_t i = 0; i < 6; ++i) {
    const std::string part = pattern(9000, i);
    sent += part;
    ASSERT_OK(p.client.write(bytes_of(part)));
    // Take a third of what is pending, as a socket that is only partly writable would.
    auto out = p.client.pending_output();
    const size_t n = out.size() / 3;
    wire.insert(wire.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
    p.client.consume_output(n);
  }
  const auto rest = take_output(p.client);
  wire.insert(wire.end(), rest.begin(), rest.end());
  EXPECT_TRUE(p.client.pending_output().empty());
  ASSERT_OK(p.server.receive(wire));
  EXPECT_EQ(read_all(p.server), sent);
}

TEST(Buffers, DataBeforeCloseNotifyStaysReadable) {
  auto p = connected_pair();
  const std::string sent = pattern(30000, 3);
  ASSERT_OK(p.client.write(bytes_of(sent)));
  p.client.close();
  auto wire = take_output(p.client);
  // Bytes after close_notify are ignored.
  wire.insert(wire.end(), {23, 3, 3, 0, 1, 0});
  ASSERT_OK(p.server.receive(wire));
  EXPECT_TRUE(p.server.peer_closed());
  EXPECT_EQ(read_all(p.server), sent);
}

TEST(Buffers, ConnectionStaysUsableAfterGoingIdle) {
  auto p = connected_pair();
  for (size_t i = 0; i < 3; ++i) {
    for (size_t size : {100, 16384, 40000}) {
      const std::string request = pattern(size, i);
      ASSERT_OK(p.client.write(bytes_of(request)));
      ASSERT_OK(pump(p.client, p.server));
      EXPECT_EQ(read_all(p.server), request);
      const std::string response = pattern(size + 1, i + 1);
      ASSERT_OK(p.server.write(bytes_of(response)));
      ASSERT_OK(pump(p.client, p.server));
      EXPECT_EQ(read_all(p.client), response);
    }
  }
}

}  // namespace
}  // namespace bastion::test
