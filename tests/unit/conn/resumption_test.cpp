// TLS 1.3 resumption end to end in memory: tickets, PSK handshakes, and the cases that must
// fall back to a full handshake.
#include <gtest/gtest.h>

#include "bastion/session.hpp"
#include "session/session_data.hpp"
#include "unit/conn/loopback.hpp"
#include "unit/conn/resumption_support.hpp"

namespace bastion::test {
namespace {

TEST(Resumption, SecondConnectionIsResumedWithoutCertificates) {
  auto c = default_configs();
  auto first = connect(c.client, c.server);
  EXPECT_FALSE(first.client.resumed);
  EXPECT_FALSE(first.server.resumed);
  EXPECT_TRUE(first.client.peer_signature_scheme.has_value());

  auto second = connect(c.client, c.server);
  EXPECT_TRUE(second.client.resumed);
  EXPECT_TRUE(second.server.resumed);
  // RFC 8446 §2.2: no Certificate nor CertificateVerify; the first session's identity is kept.
  EXPECT_FALSE(second.client.peer_signature_scheme.has_value());
  EXPECT_LT(second.server_flight + first.client.peer_certificates.front().size(),
            first.server_flight);
  EXPECT_EQ(second.client.peer_certificates, first.client.peer_certificates);
  EXPECT_TRUE(second.client.peer_verified);
  EXPECT_EQ(second.client.server_name, "localhost");
  EXPECT_EQ(second.server.server_name, "localhost");
  EXPECT_EQ(second.client.cipher_suite, first.client.cipher_suite);
  EXPECT_EQ(second.client.group, NamedGroup::x25519);  // psk_dhe_ke: a fresh key exchange

  // Each resumed connection brings new tickets, so resumption goes on.
  EXPECT_TRUE(connect(c.client, c.server).client.resumed);
}

TEST(Resumption, TicketsAreSingleUse) {
  auto c = default_configs();
  auto store = std::make_shared<AnyNameStore>();
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.session_store = store;
  auto cc = ClientConfig::create(std::move(co));
  ASSERT_TRUE(cc.ok());
  connect(*cc, c.server);
  auto ticket = store->take("localhost");
  ASSERT_NE(ticket, nullptr);
  // The same ticket offered twice: both work (stateless tickets cannot be revoked, RFC 8446
  // §8), but the client never does so on its own: take() removes it.
  store->put("localhost", ticket);
  EXPECT_TRUE(connect(*cc, c.server).client.resumed);
  auto memory = memory_session_store();
  memory->put("localhost", ticket);
  EXPECT_EQ(memory->take("localhost"), ticket);
  EXPECT_EQ(memory->take("localhost"), nullptr);
}

TEST(Resumption, DisabledOnTheClient) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.resumption = false;
  auto c = configs(std::move(co), server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  connect(c.client, c.server);
  EXPECT_FALSE(connect(c.client, c.server).client.resumed);
}

TEST(Resumption, DisabledOnTheServer) {
  ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.session_tickets = 0;
  auto c = configs(client_options_trusting(kEcdsaCertPem), std::move(so));
  connect(c.client, c.server);
  EXPECT_EQ(c.client->options().session_store->take("localhost"), nullptr);
  EXPECT_FALSE(connect(c.client, c.server).client.resumed);
}

TEST(Resumption, ServersSharingATicketSecretAcceptEachOthersTickets) {
  ServerOptions a = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  a.ticket_secret.assign(32, 0x42);
  ServerOptions b = a;
  ServerOptions other = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  auto ca = configs(client_options_trusting(kEcdsaCertPem), std::move(a));
  auto sb = ServerConfig::create(std::move(b));
  auto so = ServerConfig::create(std::move(other));
  ASSERT_TRUE(sb.ok() && so.ok());
  connect(ca.client, ca.server);
  EXPECT_TRUE(connect(ca.client, *sb).client.resumed);
  // A server with its own random keys cannot open the ticket: a full handshake, silently.
  auto fallback = connect(ca.client, *so);
  EXPECT_FALSE(fallback.client.resumed);
  EXPECT_FALSE(fallback.server.resumed);
  EXPECT_TRUE(fallback.client.peer_verified);
}

TEST(Resumption, AlpnChangeFallsBackToAFullHandshake) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.alpn = {"h2", "http/1.1"};
  ServerOptions h2 = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  h2.ticket_secret.assign(32, 7);
  ServerOptions http11 = h2;
  h2.alpn = {"h2"};
  http11.alpn = {"http/1.1"};
  auto c = configs(std::move(co), std::move(h2));
  auto s11 = ServerConfig::create(std::move(http11));
  ASSERT_TRUE(s11.ok());
  EXPECT_EQ(connect(c.client, c.server).client.alpn, "h2");
  auto changed = connect(c.client, *s11);
  EXPECT_FALSE(changed.server.resumed);
  EXPECT_EQ(changed.client.alpn, "http/1.1");
  auto same = connect(c.client, *s11);  // the ticket from the http/1.1 session
  EXPECT_TRUE(same.server.resumed);
  EXPECT_EQ(same.client.alpn, "http/1.1");
}

TEST(Resumption, SniChangeFallsBackToAFullHandshake) {
  auto c = default_configs();
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.session_store = std::make_shared<AnyNameStore>();
  auto cc = ClientConfig::create(std::move(co));
  ASSERT_TRUE(cc.ok());
  connect(*cc, c.server, "localhost");
  // RFC 8446 §4.6.1: the ticket is tied to the name of the session that made it.
  auto other = connect(*cc, c.server, "other.example");
  EXPECT_FALSE(other.server.resumed);
  EXPECT_FALSE(other.client.resumed);
  EXPECT_EQ(other.server.server_name, "other.example");
}

TEST(Resumption, ClientDoesNotOfferATicketForAnotherName) {
  auto c = default_configs();
  connect(c.client, c.server, "localhost");
  EXPECT_FALSE(connect(c.client, c.server, "other.example").client.resumed);
  EXPECT_TRUE(connect(c.client, c.server, "localhost").client.resumed);
}

TEST(Resumption, WorksAfterAHelloRetryRequest) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.groups = {NamedGroup::x25519, NamedGroup::secp256r1};
  ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.groups = {NamedGroup::secp256r1};
  auto c = configs(std::move(co), std::move(so));
  EXPECT_TRUE(connect(c.client, c.server).client.hello_retry);
  // The second ClientHello's binder covers the HelloRetryRequest transcript (RFC 8446 §4.1.2).
  auto resumed = connect(c.client, c.server);
  EXPECT_TRUE(resumed.client.hello_retry);
  EXPECT_TRUE(resumed.client.resumed);
  EXPECT_TRUE(resumed.server.resumed);
  EXPECT_EQ(resumed.client.group, NamedGroup::secp256r1);
}

TEST(Resumption, TicketOfAnotherHashIsNotOffered) {
  auto store = memory_session_store();
  ClientOptions sha384 = client_options_trusting(kEcdsaCertPem);
  sha384.cipher_suites = {CipherSuite::tls_aes_256_gcm_sha384};
  sha384.session_store = store;
  ClientOptions sha256 = client_options_trusting(kEcdsaCertPem);
  sha256.cipher_suites = {CipherSuite::tls_aes_128_gcm_sha256};
  sha256.session_store = store;
  auto c384 = configs(std::move(sha384), server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  auto c256 = ClientConfig::create(std::move(sha256));
  ASSERT_TRUE(c256.ok());
  connect(c384.client, c384.server);
  auto other = connect(*c256, c384.server);
  EXPECT_FALSE(other.client.resumed);
  EXPECT_EQ(other.client.cipher_suite, CipherSuite::tls_aes_128_gcm_sha256);
}

TEST(Resumption, ClientCertificateIdentityIsCarried) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.client_certificate = certified_key(kRsaCertPem, kRsaKeyPem);
  ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.client_auth = ClientAuth::require;
  so.client_verifier = exact_certificate_verifier({first_der(kRsaCertPem)});
  auto c = configs(std::move(co), std::move(so));
  auto first = connect(c.client, c.server);
  ASSERT_TRUE(first.server.peer_verified);
  auto second = connect(c.client, c.server);
  EXPECT_TRUE(second.server.resumed);
  EXPECT_EQ(second.server.peer_certificates, std::vector<Der>{first_der(kRsaCertPem)});
  EXPECT_TRUE(second.server.peer_verified);
}

TEST(Resumption, SessionWithoutClientCertificateIsNotResumedWhereOneIsRequired) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.client_certificate = certified_key(kRsaCertPem, kRsaKeyPem);
  co.session_store = std::make_shared<AnyNameStore>();
  ServerOptions open = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  open.ticket_secret.assign(32, 9);
  ServerOptions strict = open;
  strict.client_auth = ClientAuth::require;
  strict.client_verifier = exact_certificate_verifier({first_der(kRsaCertPem)});
  auto c = configs(std::move(co), std::move(open));
  auto s = ServerConfig::create(std::move(strict));
  ASSERT_TRUE(s.ok());
  connect(c.client, c.server);
  auto full = connect(c.client, *s);
  EXPECT_FALSE(full.server.resumed);
  EXPECT_TRUE(full.server.peer_verified);  // the client authenticated in full
}

TEST(Resumption, VerifyingConfigDoesNotResumeASessionItsStoreGotUnverified) {
  auto sc = ServerConfig::create(server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  ASSERT_TRUE(sc.ok());
  auto store = memory_session_store();
  ClientOptions insecure;
  insecure.insecure_skip_verify = true;
  insecure.session_store = store;
  ClientOptions strict = client_options_trusting(kRsaCertPem);  // not the server's certificate
  strict.session_store = store;
  auto ci = ClientConfig::create(std::move(insecure));
  auto cs = ClientConfig::create(std::move(strict));
  ASSERT_TRUE(ci.ok() && cs.ok());
  EXPECT_FALSE(connect(*ci, *sc).client.peer_verified);
  // RFC 8446 §2.2: the resumed server is authenticated by the original handshake only, which
  // did not verify it: the strict config makes a full handshake and rejects the certificate.
  auto client = ClientConnection::create(*cs, "localhost");
  auto server = ServerConnection::create(*sc);
  ASSERT_TRUE(client.ok() && server.ok());
  auto result = pump(*client, *server);
  EXPECT_FALSE(result.ok());
  EXPECT_FALSE(client->handshake_complete());
  EXPECT_FALSE(client->info().resumed);
}

TEST(Resumption, ConfigsOfOtherVerifiersOrClientCertificatesDoNotShareSessions) {
  auto store = memory_session_store();
  ClientOptions a = client_options_trusting(kEcdsaCertPem);
  a.session_store = store;
  ClientOptions b = client_options_trusting(kEcdsaCertPem);  // same trust, another verifier
  b.session_store = store;
  ClientOptions with_cert = a;  // a's verifier, but presenting a client certificate
  with_cert.client_certificate = certified_key(kRsaCertPem, kRsaKeyPem);
  auto c = configs(std::move(a), server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  auto cb = ClientConfig::create(std::move(b));
  auto cc = ClientConfig::create(std::move(with_cert));
  ASSERT_TRUE(cb.ok() && cc.ok());
  connect(c.client, c.server);
  EXPECT_FALSE(connect(*cb, c.server).client.resumed);
  connect(c.client, c.server);
  EXPECT_FALSE(connect(*cc, c.server).client.resumed);
  connect(c.client, c.server);
  EXPECT_TRUE(connect(c.client, c.server).client.resumed);
}

TEST(Resumption, RenewedTicketsKeepTheOriginalAuthenticationTime) {
  auto c = default_configs();
  auto store = std::make_shared<AnyNameStore>();
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.session_store = store;
  auto cc = ClientConfig::create(std::move(co));
  ASSERT_TRUE(cc.ok());
  connect(*cc, c.server);
  auto first = store->take("localhost");
  ASSERT_NE(first, nullptr);
  store->put("localhost", first);
  ASSERT_TRUE(connect(*cc, c.server).client.resumed);
  auto renewed = store->take("localhost");
  ASSERT_NE(renewed, nullptr);
  EXPECT_NE(renewed->data().ticket, first->data().ticket);
  // RFC 8446 §4.6.1: at most 7 days from the full handshake, not from the renewal.
  EXPECT_EQ(renewed->data().auth_time, first->data().auth_time);
  EXPECT_LE(renewed->expires(), first->data().auth_time + kMaxSessionAge);
}

// A verifier that names the issuers it accepts client certificates from.
class NamedIssuerVerifier final : public CertificateVerifier {
 public:
  NamedIssuerVerifier(std::shared_ptr<const CertificateVerifier> inner, Der issuer)
      : inner_(std::move(inner)), issuer_{std::move(issuer)} {}
  Result<void> verify_server(std::span<const Der> chain, std::string_view name,
                             std::chrono::system_clock::time_point now) const override {
    return inner_->verify_server(chain, name, now);
  }
  Result<void> verify_client(std::span<const Der> chain,
                             std::chrono::system_clock::time_point now) const override {
    return inner_->verify_client(chain, now);
  }
  std::span<const Der> client_ca_names() const override { return issuer_; }

 private:
  std::shared_ptr<const CertificateVerifier> inner_;
  std::vector<Der> issuer_;
};

TEST(Resumption, ServersSharingASecretDoNotResumeTicketsOfAnotherClientAuthentication) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.client_certificate = certified_key(kRsaCertPem, kRsaKeyPem);
  ServerOptions lenient = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  lenient.ticket_secret.assign(32, 0x42);
  lenient.client_auth = ClientAuth::request;
  lenient.client_verifier = std::make_shared<NamedIssuerVerifier>(
      exact_certificate_verifier({first_der(kRsaCertPem)}), Der{0x30, 0x00});
  ServerOptions strict = lenient;  // the same secret, but it trusts no RSA client certificate
  strict.client_verifier = std::make_shared<NamedIssuerVerifier>(
      exact_certificate_verifier({first_der(kEcdsaCertPem)}), Der{0x30, 0x03, 0x31, 0x01, 0x00});
  auto c = configs(std::move(co), std::move(lenient));
  auto s = ServerConfig::create(std::move(strict));
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(connect(c.client, c.server).server.peer_verified);
  // The ticket's client_verified was the lenient server's judgement: the strict one must not
  // resume it, and rejects the client certificate in the full handshake.
  auto client = ClientConnection::create(c.client, "localhost");
  auto server = ServerConnection::create(*s);
  ASSERT_TRUE(client.ok() && server.ok());
  EXPECT_FALSE(pump(*client, *server).ok());
  EXPECT_FALSE(server->info().resumed);
  EXPECT_FALSE(server->handshake_complete());
}

TEST(Resumption, ConfigRefusesLifetimesOverSevenDaysAndShortSecrets) {
  ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.ticket_lifetime = std::chrono::seconds(604801);
  EXPECT_FALSE(ServerConfig::create(so).ok());
  so.ticket_lifetime = std::chrono::hours(1);
  so.ticket_secret.assign(16, 1);
  EXPECT_FALSE(ServerConfig::create(so).ok());
}

}  // namespace
}  // namespace bastion::test
