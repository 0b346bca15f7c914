// TLS 1.2 resumption end to end in memory: by ticket (RFC 5077) and by session ID (RFC 5246
// §7.4.1.2), the versions kept apart, and the fallbacks to a full handshake.
#include <gtest/gtest.h>

#include "session/session_cache.hpp"
#include "session/session_data.hpp"
#include "unit/conn/resumption_support.hpp"

namespace bastion::test {
namespace {

ClientOptions client12() {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.max_version = ProtocolVersion::tls12;
  return co;
}

ServerOptions server12() {
  ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.max_version = ProtocolVersion::tls12;
  return so;
}

TEST(Tls12Resumption, ByTicket) {
  auto c = configs(client12(), server12());
  auto first = connect(c.client, c.server);
  EXPECT_EQ(first.client.version, ProtocolVersion::tls12);
  EXPECT_FALSE(first.client.resumed);
  auto second = connect(c.client, c.server);
  for (const ConnectionInfo& info : {second.client, second.server}) {
    EXPECT_TRUE(info.resumed);
    EXPECT_EQ(info.resumed_by, ResumedBy::ticket);
    EXPECT_EQ(info.version, ProtocolVersion::tls12);
    EXPECT_TRUE(info.extended_master_secret);
  }
  // RFC 5246 §7.3: no Certificate in an abbreviated handshake; the first identity is kept.
  EXPECT_FALSE(second.client.peer_signature_scheme.has_value());
  EXPECT_LT(second.server_flight, first.server_flight);
  EXPECT_EQ(second.client.peer_certificates, first.client.peer_certificates);
  EXPECT_TRUE(second.client.peer_verified);
  EXPECT_EQ(second.client.cipher_suite, first.client.cipher_suite);
  // Each resumption brings a new ticket.
  EXPECT_TRUE(connect(c.client, c.server).client.resumed);
}

TEST(Tls12Resumption, BySessionIdWithoutTickets) {
  ServerOptions so = server12();
  so.session_tickets = 0;
  auto c = configs(client12(), so);
  connect(c.client, c.server);
  EXPECT_EQ(c.server->session_cache()->size(), 1u);
  auto second = connect(c.client, c.server);
  EXPECT_TRUE(second.client.resumed);
  EXPECT_EQ(second.client.resumed_by, ResumedBy::session_id);
  EXPECT_EQ(second.server.resumed_by, ResumedBy::session_id);
  // A session ID may be resumed again.
  EXPECT_TRUE(connect(c.client, c.server).server.resumed);
}

TEST(Tls12Resumption, NeitherTicketsNorCacheMeansFullHandshakes) {
  ServerOptions so = server12();
  so.session_tickets = 0;
  so.session_cache_size = 0;
  auto c = configs(client12(), so);
  connect(c.client, c.server);
  EXPECT_EQ(c.server->session_cache(), nullptr);
  EXPECT_FALSE(connect(c.client, c.server).client.resumed);
}

TEST(Tls12Resumption, AnotherServersTicketGivesAFullHandshake) {
  auto c = configs(client12(), server12());
  auto other = configs(client12(), server12());
  ClientOptions co = client12();
  co.session_store = std::make_shared<AnyNameStore>();
  auto client = ClientConfig::create(co);
  ASSERT_TRUE(client.ok());
  connect(*client, c.server);
  auto second = connect(*client, other.server);
  EXPECT_FALSE(second.client.resumed);
  EXPECT_FALSE(second.server.resumed);
}

TEST(Tls12Resumption, ATls12SessionIsNotResumedAsTls13) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);  // 1.2 and 1.3
  co.session_store = std::make_shared<AnyNameStore>();
  auto client = ClientConfig::create(co);
  ASSERT_TRUE(client.ok());
  auto tls12 = configs(client12(), server12());
  auto tls13 = default_configs();
  connect(*client, tls12.server);
  auto second = connect(*client, tls13.server);
  EXPECT_EQ(second.client.version, ProtocolVersion::tls13);
  EXPECT_FALSE(second.client.resumed);
}

TEST(Tls12Resumption, ATls13SessionIsNotResumedAsTls12) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.session_store = std::make_shared<AnyNameStore>();
  auto client = ClientConfig::create(co);
  ASSERT_TRUE(client.ok());
  auto tls13 = default_configs();
  auto tls12 = configs(client12(), server12());
  connect(*client, tls13.server);
  auto second = connect(*client, tls12.server);
  EXPECT_EQ(second.client.version, ProtocolVersion::tls12);
  EXPECT_FALSE(second.client.resumed);
}

TEST(Tls12Resumption, ASuiteNoLongerOfferedGivesAFullHandshake) {
  ServerOptions so = server12();
  so.session_tickets = 0;
  auto c = configs(client12(), so);
  connect(c.client, c.server);
  ClientOptions co = client12();
  co.cipher_suites = {CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384};
  co.session_store = c.client->options().session_store;
  auto narrower = ClientConfig::create(co);
  ASSERT_TRUE(narrower.ok());
  auto second = connect(*narrower, c.server);
  EXPECT_FALSE(second.server.resumed);
  EXPECT_EQ(second.client.cipher_suite, CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384);
}

TEST(Tls12Resumption, ClientCertificateIdentityIsCarried) {
  ClientOptions co = client12();
  co.client_certificate = certified_key(kRsaCertPem, kRsaKeyPem);
  ServerOptions so = server12();
  so.client_auth = ClientAuth::require;
  so.client_verifier = exact_certificate_verifier({first_der(kRsaCertPem)});
  auto c = configs(co, so);
  connect(c.client, c.server);
  // Through renewed tickets too: each resumption's new ticket carries the identity on.
  for (int hop = 2; hop <= 4; ++hop) {
    SCOPED_TRACE(hop);
    auto next = connect(c.client, c.server);
    EXPECT_TRUE(next.server.resumed);
    EXPECT_EQ(next.server.resumed_by, ResumedBy::ticket);
    EXPECT_TRUE(next.server.peer_verified);
    ASSERT_EQ(next.server.peer_certificates.size(), 1u);
    EXPECT_EQ(next.server.peer_certificates.front(), first_der(kRsaCertPem));
  }
}

TEST(Tls12Resumption, ASessionThatEndedInAFatalErrorIsNotResumed) {
  // RFC 5246 §7.2.2: the cached session of a connection that fails is invalidated.
  ServerOptions so = server12();
  so.session_tickets = 0;
  auto c = configs(client12(), so);
  auto client = ClientConnection::create(c.client, "localhost");
  auto server = ServerConnection::create(c.server);
  ASSERT_TRUE(client.ok() && server.ok());
  ASSERT_OK(pump(*client, *server));
  EXPECT_EQ(c.server->session_cache()->size(), 1u);
  const uint8_t forged[] = {23, 3, 3, 0, 30, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5,
                            6,  7, 8, 9, 0,  1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2};
  EXPECT_FALSE(server->receive(forged).ok());
  EXPECT_EQ(c.server->session_cache()->size(), 0u);
  EXPECT_FALSE(connect(c.client, c.server).server.resumed);
}

TEST(Tls12Resumption, NoKeyingMaterialFromAFailedConnection) {
  auto c = configs(client12(), server12());
  auto client = ClientConnection::create(c.client, "localhost");
  auto server = ServerConnection::create(c.server);
  ASSERT_TRUE(client.ok() && server.ok());
  ASSERT_OK(pump(*client, *server));
  std::vector<uint8_t> out(16);
  ASSERT_OK(server->export_keying_material("EXPORTER-test", out));
  const uint8_t forged[] = {23, 3, 3, 0, 25, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2,
                            3,  4, 5, 6, 7,  8, 9, 0, 1, 2, 3, 4, 5, 6, 7};
  EXPECT_FALSE(server->receive(forged).ok());
  auto after = server->export_keying_material("EXPORTER-test", out);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, ErrorCode::bad_record_mac);
}

TEST(SessionCache, KeepsTheMostRecentlyUsedWithinItsBound) {
  using std::chrono::system_clock;
  session::SessionCache cache(2);
  const auto now = system_clock::now();
  auto session = [&](uint8_t fill) {
    session::TicketContents t;
    t.version = ProtocolVersion::tls12;
    t.psk = Secret(std::vector<uint8_t>(48, fill));
    t.issued = now;
    t.auth_time = now;
    t.lifetime = std::chrono::seconds(60);
    return t;
  };
  session::SessionId a{}, b{}, c{};
  a.fill(1);
  b.fill(2);
  c.fill(3);
  cache.put(a, session(1));
  cache.put(b, session(2));
  ASSERT_TRUE(cache.get(a, now).has_value());  // a is now the most recent
  cache.put(c, session(3));                    // b goes
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.get(b, now).has_value());
  auto got = cache.get(a, now);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->psk.span()[0], 1);
  // Expired sessions are not handed out, and are dropped.
  EXPECT_FALSE(cache.get(c, now + std::chrono::seconds(61)).has_value());
  EXPECT_EQ(cache.size(), 1u);
  cache.remove(a);
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace bastion::test
