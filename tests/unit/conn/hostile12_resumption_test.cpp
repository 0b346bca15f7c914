// Our TLS 1.2 client against a scripted server, in resumption and at the end of a key's life:
// a resumed session's suite and extended master secret, a server that cannot know the
// session's keys, and the AEAD usage limit.
#include <gtest/gtest.h>

#include "conn/connection_impl.hpp"
#include "unit/conn/hostile12_server.hpp"
#include "unit/conn/resumption_support.hpp"

namespace bastion::test {
namespace {

using namespace hostile;
using msgs::ServerHello;

// --- resumption -------------------------------------------------------------------------------

// A client holding a TLS 1.2 session (by session ID) from a real server, facing a scripted one.
class HostileResumingServer12 : public HostileServer12 {
 protected:
  void SetUp() override {
    ClientOptions options = client_options_trusting(kEcdsaCertPem);
    options.max_version = ProtocolVersion::tls12;
    ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
    so.session_tickets = 0;
    auto c = configs(options, so);
    connect(c.client, c.server);
    auto conn = ClientConnection::create(c.client, "localhost");
    ASSERT_TRUE(conn.ok());
    client.emplace(std::move(conn).value());
    peer.take(*client);
    auto decoded = msgs::ClientHello::decode(peer.received().back().body());
    ASSERT_TRUE(decoded.ok());
    ch = *decoded;
    ASSERT_EQ(ch.legacy_session_id.size(), 32u) << "the client offers its session";
  }
  ServerHello resuming_hello() {
    auto sh = server_hello();
    sh.legacy_session_id_echo = ch.legacy_session_id;
    return sh;
  }
};

TEST_F(HostileResumingServer12, ResumedWithAnotherSuite) {
  // RFC 5246 §7.4.1.3: a resumed session keeps its cipher suite.
  auto sh = resuming_hello();
  sh.cipher_suite = CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384;
  expect_hello_refused(sh, ErrorCode::illegal_parameter, Alert::illegal_parameter);
}

TEST_F(HostileResumingServer12, ResumedWithoutTheExtendedMasterSecret) {
  // RFC 7627 §5.3: the client MUST abort.
  auto sh = resuming_hello();
  sh.extensions.pop_back();
  expect_hello_refused(sh, ErrorCode::no_extended_master_secret, Alert::handshake_failure);
}

TEST_F(HostileResumingServer12, ResumedButTheFinishedIsNotTheSessions) {
  // The client takes the abbreviated handshake; a server without the session's master secret
  // cannot protect its Finished: bad_record_mac.
  peer.set_client_random(ch.random);
  ASSERT_OK(deliver(hello(resuming_hello())));
  EXPECT_TRUE(client->info().resumed_by == ResumedBy::none) << "not resumed before Finished";
  expect_fatal(deliver(concat({raw_record(ContentType::change_cipher_spec, Bytes{1}),
                               raw_record(ContentType::handshake, Bytes(40, 7))})),
               ErrorCode::bad_record_mac, Alert::bad_record_mac);
}

}  // namespace
}  // namespace bastion::test

namespace bastion::test {
namespace {

// Reaches the connection's insides, to give its writer a lower AEAD usage limit.
class ClientInside : public ClientConnection {
 public:
  explicit ClientInside(ClientConnection&& c) : ClientConnection(std::move(c)) {}
  Connection::Impl& impl() { return *impl_; }
};

TEST_F(HostileServer12, AtTheKeysUsageLimitTheConnectionClosesCleanly) {
  // RFC 8446 §5.5's limits hold in TLS 1.2 too; without KeyUpdate or renegotiation the only
  // way on is a new connection: close_notify instead of a record past the limit.
  complete();
  ClientInside inside(std::move(*client));
  auto lowered =
      record::RecordProtector::create(peer.provider(), record::Direction::seal,
                                      peer.keys().client_write.clone(), record::RecordLimits{3, 4});
  ASSERT_TRUE(lowered.ok());
  std::vector<uint8_t> spent;  // the Finished already used sequence number 0
  ASSERT_TRUE(lowered->seal(ContentType::handshake, Bytes{20, 0, 0, 0}, 0, spent).ok());
  inside.impl().writer.emplace(std::move(lowered).value());
  ASSERT_OK(inside.write(bytes_of("a")));
  ASSERT_OK(inside.write(bytes_of("b")));
  auto refused = inside.write(bytes_of("c"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::closed);
  EXPECT_FALSE(inside.failed());
  auto sent = peer.take(inside);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(std::string(sent[0].content.begin(), sent[0].content.end()), "a");
  EXPECT_EQ(std::string(sent[1].content.begin(), sent[1].content.end()), "b");
  auto alert = Peer::last_alert(sent);
  ASSERT_TRUE(alert.has_value());
  EXPECT_EQ(alert->first, 1);
  EXPECT_EQ(alert->second, Alert::close_notify);
}

}  // namespace
}  // namespace bastion::test
