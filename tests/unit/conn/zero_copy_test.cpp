// The zero-copy calls: prepare_receive/commit_receive, peek_read/consume_read,
// prepare_write/commit_write, and how they mix with the copying calls built on them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "core/buffer_pool.hpp"
#include "unit/conn/loopback.hpp"

namespace bastion::test {
namespace {

std::string as_string(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Feeds `wire` through prepare_receive/commit_receive in reads of at most `cut` bytes.
Result<void> receive_zero_copy(Connection& to, std::span<const uint8_t> wire, size_t cut) {
  while (!wire.empty()) {
    std::span<uint8_t> space = to.prepare_receive(std::min(cut, wire.size()));
    if (space.empty()) return Error{ErrorCode::internal_error, "no room to receive"};
    std::memcpy(space.data(), wire.data(), space.size());
    if (auto ok = to.commit_receive(space.size()); !ok) return ok;
    wire = wire.subspan(space.size());
  }
  return {};
}

// Everything readable, through peek_read/consume_read.
std::string drain_zero_copy(Connection& c) {
  std::string s;
  for (auto next = c.peek_read(); !next.empty(); next = c.peek_read()) {
    s += as_string(next);
    c.consume_read(next.size());
  }
  return s;
}

// Queues `text` through prepare_write/commit_write, one record per call.
Result<void> write_zero_copy(Connection& c, std::string_view text) {
  while (!text.empty()) {
    std::span<uint8_t> space = c.prepare_write(text.size());
    if (space.empty()) return c.commit_write(1);  // says why
    std::memcpy(space.data(), text.data(), space.size());
    if (auto ok = c.commit_write(space.size()); !ok) return ok;
    text.remove_prefix(space.size());
  }
  return {};
}

struct Configs {
  std::shared_ptr<const ClientConfig> client;
  std::shared_ptr<const ServerConfig> server;
};

Configs configs(size_t pooled_buffers = 16) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  co.pooled_buffers = pooled_buffers;
  so.pooled_buffers = pooled_buffers;
  auto cc = ClientConfig::create(std::move(co));
  auto sc = ServerConfig::create(std::move(so));
  EXPECT_TRUE(cc.ok() && sc.ok());
  return {*cc, *sc};
}

Pair connected(const Configs& c) {
  auto client = ClientConnection::create(c.client, "localhost");
  auto server = ServerConnection::create(c.server);
  EXPECT_TRUE(client.ok() && server.ok());
  Pair p{std::move(client).value(), std::move(server).value()};
  EXPECT_TRUE(pump(p.client, p.server).ok());
  EXPECT_TRUE(p.client.handshake_complete() && p.server.handshake_complete());
  return p;
}

Pair connected_pair() {
  return connected(configs());
}

TEST(ZeroCopy, PeekShowsOneRecordAtATimeAndConsumeCrossesRecords) {
  auto p = connected_pair();
  const std::string sent = pattern(16384 + 100, 1);
  ASSERT_OK(p.client.write(bytes_of(sent)));
  ASSERT_OK(p.server.receive(take_output(p.client)));
  EXPECT_EQ(p.server.readable(), sent.size());
  EXPECT_EQ(as_string(p.server.peek_read()), sent.substr(0, 16384));
  p.server.consume_read(1000);
  EXPECT_EQ(as_string(p.server.peek_read()), sent.substr(1000, 16384 - 1000));
  // Across the record boundary: the rest of the first record and 10 bytes of the second.
  p.server.consume_read(16384 - 1000 + 10);
  EXPECT_EQ(as_string(p.server.peek_read()), sent.substr(16394));
  EXPECT_EQ(p.server.readable(), 90u);
  p.server.consume_read(1000);  // more than readable: everything
  EXPECT_EQ(p.server.readable(), 0u);
  EXPECT_TRUE(p.server.peek_read().empty());
}

TEST(ZeroCopy, ReceiveInAnyCutsWithPartialCommits) {
  for (size_t cut : {1, 5, 6, 700, 16389, 16406, 40000}) {
    SCOPED_TRACE(cut);
    auto p = connected_pair();
    const std::string sent = pattern(70000, cut);
    ASSERT_OK(p.client.write(bytes_of(sent)));
    const auto wire = take_output(p.client);
    std::string received;
    std::span<const uint8_t> rest(wire);
    while (!rest.empty()) {
      std::span<uint8_t> space = p.server.prepare_receive(std::min(cut, rest.size()));
      ASSERT_FALSE(space.empty());
      // A socket read fills part of the span only.
      const size_t n = std::max<size_t>(1, space.size() / 2 + space.size() % 2);
      std::memcpy(space.data(), rest.data(), n);
      ASSERT_OK(p.server.commit_receive(n));
      rest = rest.subspan(n);
      received += drain_zero_copy(p.server);
    }
    EXPECT_EQ(received, sent);
  }
}

TEST(ZeroCopy, PlaintextStaysPutWhileMoreIsReceived) {
  auto p = connected_pair();
  std::string sent;
  for (size_t i = 0; i < 4; ++i) {
    const std::string part = pattern(5000 + 1000 * i, i);
    sent += part;
    ASSERT_OK(p.client.write(bytes_of(part)));
    ASSERT_OK(receive_zero_copy(p.server, take_output(p.client), 3000));
  }
  EXPECT_EQ(p.server.readable(), sent.size());
  EXPECT_EQ(drain_zero_copy(p.server), sent);
}

TEST(ZeroCopy, UnreadPlaintextThatFillsTheBufferStopsZeroCopyInput) {
  auto p = connected_pair();
  const std::string sent = pattern(200000, 4);
  ASSERT_OK(p.client.write(bytes_of(sent)));
  const auto wire = take_output(p.client);
  std::span<const uint8_t> rest(wire);
  // Without reading, the receive buffer fills up and the span runs dry.
  while (!rest.empty()) {
    std::span<uint8_t> space = p.server.prepare_receive(rest.size());
    if (space.empty()) break;
    std::memcpy(space.data(), rest.data(), space.size());
    ASSERT_OK(p.server.commit_receive(space.size()));
    rest = rest.subspan(space.size());
  }
  ASSERT_FALSE(rest.empty());
  EXPECT_GT(p.server.readable(), 0u);
  // Reading makes room again; the copying receive() grows the buffer instead.
  std::string received = drain_zero_copy(p.server);
  EXPECT_FALSE(p.server.prepare_receive(rest.size()).empty());
  ASSERT_OK(p.server.receive(rest));
  received += read_all(p.server);
  EXPECT_EQ(received, sent);
}

TEST(ZeroCopy, CommitReceiveBeyondTheSpanIsRefused) {
  auto p = connected_pair();
  std::span<uint8_t> space = p.server.prepare_receive(10);
  ASSERT_EQ(space.size(), 10u);
  auto bad = p.server.commit_receive(11);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::internal_error);
  EXPECT_FALSE(p.server.failed());
  // Without a span nothing can be committed either.
  EXPECT_FALSE(p.server.commit_receive(1).ok());
  ASSERT_OK(p.server.commit_receive(0));
  ASSERT_OK(p.client.write(bytes_of("still fine")));
  ASSERT_OK(receive_zero_copy(p.server, take_output(p.client), 4));
  EXPECT_EQ(drain_zero_copy(p.server), "still fine");
}

TEST(ZeroCopy, PrepareWriteAndCommitPart) {
  auto p = connected_pair();
  std::span<uint8_t> space = p.client.prepare_write(100000);
  ASSERT_EQ(space.size(), 16384u);  // one record at most
  std::memset(space.data(), 'x', space.size());
  std::memcpy(space.data(), "hello", 5);
  ASSERT_OK(p.client.commit_write(5));
  ASSERT_OK(write_zero_copy(p.client, pattern(40000, 2)));
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_EQ(read_all(p.server), "hello" + pattern(40000, 2));
}

TEST(ZeroCopy, CommitWriteBeyondTheSpanIsRefusedAndQueuesNothing) {
  auto p = connected_pair();
  ASSERT_EQ(p.client.prepare_write(10).size(), 10u);
  auto bad = p.client.commit_write(11);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::internal_error);
  EXPECT_TRUE(p.client.pending_output().empty());
  EXPECT_FALSE(p.client.failed());
  // The span was withdrawn: committing again is refused too.
  EXPECT_FALSE(p.client.commit_write(1).ok());
  ASSERT_OK(p.client.commit_write(0));
  EXPECT_TRUE(p.client.pending_output().empty());
  ASSERT_OK(write_zero_copy(p.client, "after"));
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_EQ(read_all(p.server), "after");
}

TEST(ZeroCopy, QueuingARecordWithdrawsThePreparedSpan) {
  auto p = connected_pair();
  std::span<uint8_t> space = p.client.prepare_write(5);
  std::memcpy(space.data(), "early", 5);
  ASSERT_OK(p.client.write(bytes_of("copied")));
  EXPECT_FALSE(p.client.commit_write(5).ok());
  space = p.client.prepare_write(5);
  std::memcpy(space.data(), "again", 5);
  ASSERT_OK(p.client.key_update(false));
  EXPECT_FALSE(p.client.commit_write(5).ok());
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_EQ(read_all(p.server), "copied");
}

bool carries(std::span<const uint8_t> wire, std::string_view text) {
  return std::search(wire.begin(), wire.end(), text.begin(), text.end()) != wire.end();
}

size_t record_count(std::span<const uint8_t> wire) {
  size_t count = 0;
  while (wire.size() >= 5) {
    wire = wire.subspan(std::min(wire.size(), 5 + (size_t{wire[3]} << 8 | wire[4])));
    ++count;
  }
  return count;
}

// Whether the peer answers is its choice: a KeyUpdate(update_requested) received while a write
// is prepared must neither be queued where the span points nor leave the span unusable.
TEST(ZeroCopy, PeerKeyUpdatesWhileAWriteIsPreparedLeaveTheSpanAlone) {
  auto p = connected_pair();
  std::span<uint8_t> space = p.server.prepare_write(64);
  ASSERT_EQ(space.size(), 64u);
  for (int i = 0; i < 3; ++i) ASSERT_OK(p.client.key_update(true));
  ASSERT_OK(p.server.receive(take_output(p.client)));
  EXPECT_TRUE(p.server.pending_output().empty()) << "an answer was queued under the span";
  const std::string secret = "CARD=4111111111111111;";
  std::memcpy(space.data(), secret.data(), secret.size());
  EXPECT_FALSE(carries(p.server.pending_output(), secret));
  ASSERT_OK(p.server.commit_write(secret.size()));
  const auto wire = take_output(p.server);
  EXPECT_FALSE(carries(wire, secret)) << "plaintext on the wire";
  // RFC 8446 §4.6.3: one KeyUpdate answers them all, before the next application data.
  EXPECT_EQ(record_count(wire), 2u) << "the KeyUpdate, then the data";
  ASSERT_OK(p.client.receive(wire));
  EXPECT_EQ(read_all(p.client), secret);
  ASSERT_OK(p.client.write(bytes_of("after")));
  ASSERT_OK(p.server.write(bytes_of("back")));
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_EQ(read_all(p.server), "after");
  EXPECT_EQ(read_all(p.client), "back");
}

TEST(ZeroCopy, OwedKeyUpdateAtTheEndOfTheBufferMovesNoPlaintextElsewhere) {
  auto p = connected_pair();
  // Queue output (not taken) until the next record only just fits in the send buffer.
  ASSERT_OK(p.server.write(bytes_of(pattern(30000, 3))));
  const size_t queued = p.server.pending_output().size();
  ASSERT_LT(queued + 64, BufferPool::kBlockSize);
  const size_t n = BufferPool::kBlockSize - queued - 5 - 1 - 16 - 4;
  std::span<uint8_t> space = p.server.prepare_write(n);
  ASSERT_EQ(space.size(), n);
  ASSERT_OK(p.client.key_update(true));
  ASSERT_OK(p.server.receive(take_output(p.client)));
  const std::string text = pattern(n, 9);
  std::memcpy(space.data(), text.data(), n);
  ASSERT_OK(p.server.commit_write(n));
  // The record was sealed where the span was: the buffer did not move after prepare_write.
  const auto out = p.server.pending_output();
  EXPECT_TRUE(out.data() <= space.data() && space.data() + n <= out.data() + out.size());
  ASSERT_OK(p.client.receive(take_output(p.server)));
  EXPECT_EQ(read_all(p.client), pattern(30000, 3) + text);
}

TEST(ZeroCopy, PeerErrorWhileAWriteIsPreparedSendsTheAlertOnlyAfterTheSpan) {
  auto p = connected_pair();
  std::span<uint8_t> space = p.server.prepare_write(64);
  const uint8_t garbage[] = {99, 3, 3, 0, 1, 0};  // unknown content type
  auto bad = p.server.receive(garbage);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(p.server.pending_output().empty()) << "the alert was queued under the span";
  const std::string secret = "CARD=4111111111111111;";
  std::memcpy(space.data(), secret.data(), secret.size());
  auto refused = p.server.commit_write(secret.size());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, bad.error().code);
  const auto wire = take_output(p.server);
  EXPECT_FALSE(carries(wire, secret)) << "plaintext on the wire";
  auto told = p.client.receive(wire);
  ASSERT_FALSE(told.ok());
  EXPECT_EQ(told.error().code, ErrorCode::peer_alert);
  EXPECT_EQ(told.error().received, bad.error().alert());
}

TEST(ZeroCopy, CloseAfterAPeerErrorUnderASpanSendsTheAlert) {
  auto p = connected_pair();
  std::span<uint8_t> space = p.server.prepare_write(64);
  ASSERT_FALSE(space.empty());
  const uint8_t garbage[] = {99, 3, 3, 0, 1, 0};
  ASSERT_FALSE(p.server.receive(garbage).ok());
  p.server.close();
  auto told = p.client.receive(take_output(p.server));
  ASSERT_FALSE(told.ok());
  EXPECT_EQ(told.error().code, ErrorCode::peer_alert);
}

TEST(ZeroCopy, ReadingAndFlushingKeepThePreparedSpan) {
  auto p = connected_pair();
  ASSERT_OK(p.server.write(bytes_of("ping")));
  ASSERT_OK(p.client.write(bytes_of("one ")));
  ASSERT_OK(p.client.receive(take_output(p.server)));
  // An echo: the plaintext read is written straight into the send buffer.
  std::span<const uint8_t> in = p.client.peek_read();
  std::span<uint8_t> out = p.client.prepare_write(in.size());
  ASSERT_EQ(out.size(), 4u);
  const auto first = take_output(p.client);  // flushing in between
  std::memcpy(out.data(), in.data(), in.size());
  p.client.consume_read(in.size());
  ASSERT_OK(p.client.commit_write(out.size()));
  ASSERT_OK(p.server.receive(first));
  ASSERT_OK(p.server.receive(take_output(p.client)));
  EXPECT_EQ(read_all(p.server), "one ping");
}

TEST(ZeroCopy, CopyingAndZeroCopyCallsInterleave) {
  auto p = connected_pair();
  std::string sent;
  std::string received;
  for (size_t i = 0; i < 6; ++i) {
    const std::string a = pattern(3000 * i + 1, i);
    const std::string b = pattern(20000 - 2000 * i, i + 7);
    ASSERT_OK(p.client.write(bytes_of(a)));
    ASSERT_OK(write_zero_copy(p.client, b));
    sent += a + b;
    const auto wire = take_output(p.client);
    const size_t half = wire.size() / 2;
    ASSERT_OK(p.server.receive(std::span(wire).first(half)));
    ASSERT_OK(receive_zero_copy(p.server, std::span(wire).subspan(half), 4096));
    // Half by read(), the rest by peek/consume.
    std::string part(p.server.readable() / 2, '\0');
    part.resize(p.server.read(std::span(reinterpret_cast<uint8_t*>(part.data()), part.size())));
    received += part + drain_zero_copy(p.server);
  }
  EXPECT_EQ(received, sent);
}

TEST(ZeroCopy, HandshakeDrivenByZeroCopyReceive) {
  auto c = configs();
  auto client = ClientConnection::create(c.client, "localhost");
  auto server = ServerConnection::create(c.server);
  ASSERT_TRUE(client.ok() && server.ok());
  // Before the handshake: nothing to write into, nothing to read.
  EXPECT_TRUE(client->prepare_write(100).empty());
  auto early = client->commit_write(1);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::closed);
  EXPECT_TRUE(server->peek_read().empty());
  for (int round = 0; round < 8 && !client->handshake_complete(); ++round) {
    ASSERT_OK(receive_zero_copy(*server, take_output(*client), 100));
    ASSERT_OK(receive_zero_copy(*client, take_output(*server), 100));
  }
  ASSERT_TRUE(client->handshake_complete());
  ASSERT_OK(write_zero_copy(*client, "first"));
  ASSERT_OK(receive_zero_copy(*server, take_output(*client), 7));
  EXPECT_TRUE(server->handshake_complete());
  EXPECT_EQ(drain_zero_copy(*server), "first");
}

TEST(ZeroCopy, AfterCloseNothingIsWritten) {
  auto p = connected_pair();
  ASSERT_OK(write_zero_copy(p.client, "bye"));
  p.client.close();
  EXPECT_TRUE(p.client.prepare_write(10).empty());
  auto refused = p.client.commit_write(1);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::closed);
  ASSERT_OK(receive_zero_copy(p.server, take_output(p.client), 1000));
  EXPECT_TRUE(p.server.peer_closed());
  // Data before close_notify stays readable; no more input is taken.
  EXPECT_EQ(drain_zero_copy(p.server), "bye");
  EXPECT_TRUE(p.server.prepare_receive(100).empty());
}

TEST(ZeroCopy, AfterFailureEveryCallReportsTheError) {
  auto p = connected_pair();
  std::span<uint8_t> space = p.server.prepare_receive(100);
  ASSERT_GE(space.size(), 6u);
  const uint8_t garbage[] = {99, 3, 3, 0, 1, 0};  // unknown content type
  std::memcpy(space.data(), garbage, sizeof garbage);
  auto bad = p.server.commit_receive(sizeof garbage);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(p.server.failed());
  EXPECT_FALSE(take_output(p.server).empty());  // the alert
  EXPECT_TRUE(p.server.prepare_receive(100).empty());
  EXPECT_EQ(p.server.commit_receive(0).error().code, bad.error().code);
  EXPECT_TRUE(p.server.prepare_write(100).empty());
  EXPECT_EQ(p.server.commit_write(1).error().code, bad.error().code);
  EXPECT_EQ(p.server.write(bytes_of("x")).error().code, bad.error().code);
}

// --- buffers and the pool -----------------------------------------------------------------------

TEST(ZeroCopyBuffers, IdleConnectionsHandTheirBuffersToThePool) {
  auto c = configs(8);
  BufferPool& client_pool = *c.client->buffer_pool();
  BufferPool& server_pool = *c.server->buffer_pool();
  auto p = connected(c);
  ASSERT_OK(p.client.write(bytes_of("request")));
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_EQ(read_all(p.server), "request");
  // A short exchange ends with both buffers of both sides back in the pools.
  EXPECT_EQ(client_pool.kept(), 2u);
  EXPECT_EQ(server_pool.kept(), 2u);
  // A second connection takes them again rather than allocating.
  auto q = connected(c);
  EXPECT_EQ(client_pool.kept(), 2u);
  EXPECT_EQ(server_pool.kept(), 2u);
}

TEST(ZeroCopyBuffers, AStreamKeepsItsReceiveBufferUntilReleased) {
  auto c = configs(8);
  BufferPool& client_pool = *c.client->buffer_pool();
  BufferPool& server_pool = *c.server->buffer_pool();
  auto p = connected(c);
  const size_t client_before = client_pool.kept();
  const size_t server_before = server_pool.kept();
  std::vector<uint8_t> wire;
  std::string sent;
  for (size_t i = 0; i < 8; ++i) {
    sent += pattern(16384, i);
    ASSERT_OK(write_zero_copy(p.client, pattern(16384, i)));
    const auto flight = take_output(p.client);
    wire.insert(wire.end(), flight.begin(), flight.end());
    // The send buffer goes back at each flush.
    EXPECT_EQ(client_pool.kept(), client_before);
  }
  // Socket-sized reads of the stream: the receive buffer is kept from read to read (its input
  // is cut on record boundaries, where it drains, rather than released there).
  std::string received;
  std::span<const uint8_t> rest(wire);
  while (!rest.empty()) {
    std::span<uint8_t> space = p.server.prepare_receive(16384);
    const size_t n = std::min(space.size(), rest.size());
    std::memcpy(space.data(), rest.data(), n);
    ASSERT_OK(p.server.commit_receive(n));
    rest = rest.subspan(n);
    received += drain_zero_copy(p.server);
    if (!rest.empty()) {
      EXPECT_EQ(server_pool.kept(), server_before - 1);
    }
  }
  EXPECT_EQ(received, sent);
  // Pending output is never released.
  ASSERT_OK(write_zero_copy(p.client, "x"));
  p.client.release_buffers();
  EXPECT_EQ(client_pool.kept(), client_before - 1);
  EXPECT_FALSE(p.client.pending_output().empty());
  take_output(p.client);
  p.server.release_buffers();
  EXPECT_EQ(client_pool.kept(), client_before);
  EXPECT_EQ(server_pool.kept(), server_before);
}

TEST(ZeroCopyBuffers, WithoutAPoolBuffersAreFreed) {
  auto c = configs(0);
  auto p = connected(c);
  ASSERT_OK(p.client.write(bytes_of(pattern(50000, 1))));
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_EQ(read_all(p.server), pattern(50000, 1));
  EXPECT_EQ(c.client->buffer_pool()->kept(), 0u);
  EXPECT_EQ(c.server->buffer_pool()->kept(), 0u);
}

bool block_contains(BufferPool& pool, std::span<const uint8_t> needle) {
  auto block = pool.acquire();
  uint8_t* const end = block.get() + BufferPool::kBlockSize;
  const bool found = std::search(block.get(), end, needle.begin(), needle.end()) != end;
  pool.release(std::move(block), 0);
  return found;
}

// A prepared write holds the caller's plaintext; ending the connection without committing it
// must not hand that plaintext to the next connection through the pool.
TEST(ZeroCopyBuffers, UncommittedPlaintextIsWipedWhenTheConnectionEnds) {
  const Configs c = configs(1);
  const auto secret = bytes_of("uncommitted plaintext 0123456789");
  for (const bool by_assignment : {false, true}) {
    {
      Pair p = connected(c);
      p.client.consume_output(p.client.pending_output().size());
      auto span = p.client.prepare_write(secret.size());
      ASSERT_EQ(span.size(), secret.size());
      std::copy(secret.begin(), secret.end(), span.begin());
      if (by_assignment) p.client = std::move(ClientConnection::create(c.client, "x.test")).value();
    }
    ASSERT_EQ(c.client->buffer_pool()->kept(), 1u);
    EXPECT_FALSE(block_contains(*c.client->buffer_pool(), secret)) << by_assignment;
  }
}

TEST(ZeroCopyBuffers, ConfigsRefuseAPoolBeyondTheLimit) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  co.pooled_buffers = BufferPool::kMaxBlocks + 1;
  so.pooled_buffers = BufferPool::kMaxBlocks + 1;
  auto cc = ClientConfig::create(std::move(co));
  auto sc = ServerConfig::create(std::move(so));
  ASSERT_FALSE(cc.ok());
  ASSERT_FALSE(sc.ok());
  EXPECT_EQ(cc.error().code, ErrorCode::invalid_config);
  EXPECT_EQ(sc.error().code, ErrorCode::invalid_config);
}

TEST(ZeroCopyBuffers, PooledBlocksComeBackWiped) {
  BufferPool pool(1);
  auto block = pool.acquire();
  std::memset(block.get(), 0xa5, 100);
  pool.release(std::move(block), 100);
  EXPECT_EQ(pool.kept(), 1u);
  auto again = pool.acquire();
  EXPECT_EQ(pool.kept(), 0u);
  for (size_t i = 0; i < 100; ++i) ASSERT_EQ(again[i], 0) << i;
  // At most max_blocks are kept.
  pool.release(std::move(again), 0);
  pool.release(pool.acquire(), 0);
  pool.release(std::unique_ptr<uint8_t[]>(new uint8_t[BufferPool::kBlockSize]), 0);
  EXPECT_EQ(pool.kept(), 1u);
}

}  // namespace
}  // namespace bastion::test
