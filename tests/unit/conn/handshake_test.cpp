#include <gtest/gtest.h>

#include <mutex>

#include "unit/conn/loopback.hpp"
#include "x509/certificate_builder.hpp"

namespace bastion::test {
namespace {

struct SuiteGroup {
  CipherSuite suite;
  NamedGroup group;
};

class FullHandshake : public ::testing::TestWithParam<SuiteGroup> {};

TEST_P(FullHandshake, CompletesAndCarriesDataBothWays) {
  auto [suite, group] = GetParam();
  auto co = client_options_trusting(kEcdsaCertPem);
  co.cipher_suites = {suite};
  co.groups = {group};
  auto so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.cipher_suites = {suite};  // the CCM suites are only accepted when named
  auto p = make_pair(co, so);
  ASSERT_OK(pump(p.client, p.server));
  ASSERT_TRUE(p.client.handshake_complete());
  ASSERT_TRUE(p.server.handshake_complete());

  for (Connection* c : {static_cast<Connection*>(&p.client), static_cast<Connection*>(&p.server)}) {
    auto info = c->info();
    EXPECT_EQ(info.version, ProtocolVersion::tls13);
    EXPECT_EQ(info.cipher_suite, suite);
    EXPECT_EQ(info.group, group);
    EXPECT_FALSE(info.hello_retry);
  }
  EXPECT_TRUE(p.client.info().peer_verified);
  EXPECT_EQ(p.client.info().peer_signature_scheme, SignatureScheme::ecdsa_secp256r1_sha256);
  EXPECT_EQ(p.server.info().server_name, "localhost");

  ASSERT_OK(p.client.write(bytes_of("ping")));
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_EQ(read_all(p.server), "ping");
  std::string big(40000, 'x');
  ASSERT_OK(p.server.write(bytes_of(big)));
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_EQ(read_all(p.client), big);

  p.client.close();
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_TRUE(p.server.peer_closed());
  EXPECT_FALSE(p.server.failed());
}

INSTANTIATE_TEST_SUITE_P(
    SuitesAndGroups, FullHandshake,
    ::testing::Values(SuiteGroup{CipherSuite::tls_aes_128_gcm_sha256, NamedGroup::x25519},
                      SuiteGroup{CipherSuite::tls_aes_256_gcm_sha384, NamedGroup::secp256r1},
                      SuiteGroup{CipherSuite::tls_chacha20_poly1305_sha256, NamedGroup::secp384r1},
                      SuiteGroup{CipherSuite::tls_aes_256_gcm_sha384, NamedGroup::x25519},
                      SuiteGroup{CipherSuite::tls_aes_128_gcm_sha256, NamedGroup::secp521r1},
                      SuiteGroup{CipherSuite::tls_aes_128_gcm_sha256, NamedGroup::x448},
                      SuiteGroup{CipherSuite::tls_aes_128_gcm_sha256, NamedGroup::ffdhe2048},
                      SuiteGroup{CipherSuite::tls_aes_256_gcm_sha384, NamedGroup::ffdhe3072},
                      SuiteGroup{CipherSuite::tls_aes_128_gcm_sha256, NamedGroup::ffdhe4096},
                      SuiteGroup{CipherSuite::tls_chacha20_poly1305_sha256, NamedGroup::ffdhe6144},
                      SuiteGroup{CipherSuite::tls_aes_256_gcm_sha384, NamedGroup::ffdhe8192},
                      SuiteGroup{CipherSuite::tls_aes_128_ccm_sha256, NamedGroup::x25519},
                      SuiteGroup{CipherSuite::tls_aes_128_ccm_8_sha256, NamedGroup::secp256r1}));

struct KeyCase {
  const char* cert;
  const char* key;
  SignatureScheme expected;
};

class CertificateKinds : public ::testing::TestWithParam<KeyCase> {};

TEST_P(CertificateKinds, ServerSignsWithTheSchemeOfItsKey) {
  auto [cert, key, expected] = GetParam();
  auto p = make_pair(client_options_trusting(cert), server_options_with(cert, key));
  ASSERT_OK(pump(p.client, p.server));
  ASSERT_TRUE(p.client.handshake_complete());
  EXPECT_EQ(p.client.info().peer_signature_scheme, expected);
}

INSTANTIATE_TEST_SUITE_P(
    Keys, CertificateKinds,
    ::testing::Values(KeyCase{kEcdsaCertPem, kEcdsaKeyPem, SignatureScheme::ecdsa_secp256r1_sha256},
                      KeyCase{kP384CertPem, kP384KeyPem, SignatureScheme::ecdsa_secp384r1_sha384},
                      KeyCase{kRsaCertPem, kRsaKeyPem, SignatureScheme::rsa_pss_rsae_sha256},
                      KeyCase{kEd25519CertPem, kEd25519KeyPem, SignatureScheme::ed25519}));

// A self-signed certificate for localhost with a fresh key of `type`, and its key.
std::pair<Der, std::shared_ptr<const CertifiedKey>> self_signed(crypto::KeyType type) {
  auto provider = default_provider();
  auto key = provider->generate_private_key(type, 0);
  EXPECT_TRUE(key.ok());
  std::shared_ptr<const crypto::PrivateKey> shared_key(std::move(*key));
  x509::CertificateSpec spec;
  spec.subject = x509::encode_name({"localhost", "Bastion tests"});
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  spec.not_before = now - 60;
  spec.not_after = now + 3600;
  spec.public_key = shared_key->public_params();
  spec.names = {"localhost"};
  auto der = x509::build_self_signed(spec, *shared_key, *provider);
  EXPECT_TRUE(der.ok());
  return {*der, std::make_shared<const CertifiedKey>(std::vector<Der>{*der}, shared_key,
                                                     std::vector<std::string>{"localhost"})};
}

TEST(SignatureSchemes, Ed448AndP521SignWithTheirSchemesBothWays) {
  for (auto [type, scheme] :
       {std::pair{crypto::KeyType::ed448, SignatureScheme::ed448},
        std::pair{crypto::KeyType::ec_p521, SignatureScheme::ecdsa_secp521r1_sha512}}) {
    SCOPED_TRACE(to_string(scheme));
    auto [server_der, server_key] = self_signed(type);
    auto [client_der, client_key] = self_signed(type);
    ClientOptions co;
    co.verifier = exact_certificate_verifier({server_der});
    co.client_certificate = client_key;
    ServerOptions so;
    so.certificates = {server_key};
    so.client_auth = ClientAuth::require;
    so.client_verifier = exact_certificate_verifier({client_der});
    auto p = make_pair(co, so);
    ASSERT_OK(pump(p.client, p.server));
    ASSERT_TRUE(p.client.handshake_complete() && p.server.handshake_complete());
    EXPECT_EQ(p.client.info().peer_signature_scheme, scheme);
    EXPECT_EQ(p.server.info().peer_signature_scheme, scheme);
    EXPECT_TRUE(p.server.info().peer_verified);
  }
}

TEST(Negotiation, CcmSuitesAreNotOfferedNorAcceptedUnlessNamed) {
  auto cc = ClientConfig::create(client_options_trusting(kEcdsaCertPem));
  ASSERT_TRUE(cc.ok());
  for (auto suite : {CipherSuite::tls_aes_128_ccm_sha256, CipherSuite::tls_aes_128_ccm_8_sha256}) {
    const auto& offered = (*cc)->options().cipher_suites;
    EXPECT_EQ(std::find(offered.begin(), offered.end(), suite), offered.end());
    auto co = client_options_trusting(kEcdsaCertPem);
    co.cipher_suites = {suite};
    auto p = make_pair(co, server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
    auto result = pump(p.client, p.server);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(p.server.info().cipher_suite, std::nullopt);
  }
}

TEST(HelloRetry, ServerAsksForAGroupTheClientSupportsButDidNotShare) {
  auto co = client_options_trusting(kEcdsaCertPem);
  co.groups = {NamedGroup::secp384r1, NamedGroup::x25519};
  auto so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.groups = {NamedGroup::x25519};
  auto p = make_pair(co, so);
  ASSERT_OK(pump(p.client, p.server));
  ASSERT_TRUE(p.client.handshake_complete());
  EXPECT_TRUE(p.client.info().hello_retry);
  EXPECT_TRUE(p.server.info().hello_retry);
  EXPECT_EQ(p.client.info().group, NamedGroup::x25519);
  ASSERT_OK(p.client.write(bytes_of("after retry")));
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_EQ(read_all(p.server), "after retry");
}

// The server accepts every group by default; a client offering x25519 first and another
// group is asked for the other when the server prefers only it.
class HelloRetryToGroup : public ::testing::TestWithParam<NamedGroup> {};

TEST_P(HelloRetryToGroup, RetriesToTheServersGroup) {
  const NamedGroup group = GetParam();
  auto co = client_options_trusting(kEcdsaCertPem);
  co.groups = {NamedGroup::x25519, group};
  auto so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.groups = {group};
  auto p = make_pair(co, so);
  ASSERT_OK(pump(p.client, p.server));
  ASSERT_TRUE(p.client.handshake_complete() && p.server.handshake_complete());
  EXPECT_TRUE(p.client.info().hello_retry);
  EXPECT_EQ(p.client.info().group, group);
  EXPECT_EQ(p.server.info().group, group);
}

INSTANTIATE_TEST_SUITE_P(Groups, HelloRetryToGroup,
                         ::testing::Values(NamedGroup::secp256r1, NamedGroup::secp384r1,
                                           NamedGroup::secp521r1, NamedGroup::x448,
                                           NamedGroup::ffdhe2048, NamedGroup::ffdhe3072,
                                           NamedGroup::ffdhe4096, NamedGroup::ffdhe6144,
                                           NamedGroup::ffdhe8192));

TEST(Negotiation, DefaultServerAcceptsEveryGroupAClientOffers) {
  for (NamedGroup group :
       {NamedGroup::secp521r1, NamedGroup::x448, NamedGroup::ffdhe2048, NamedGroup::ffdhe8192}) {
    SCOPED_TRACE(to_string(group));
    auto co = client_options_trusting(kEcdsaCertPem);
    co.groups = {group};
    auto p = make_pair(co, server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
    ASSERT_OK(pump(p.client, p.server));
    EXPECT_EQ(p.server.info().group, group);
    EXPECT_FALSE(p.server.info().hello_retry);
  }
}

TEST(Negotiation, DefaultClientOffersThreeGroupsAndSharesX25519) {
  auto cc = ClientConfig::create(client_options_trusting(kEcdsaCertPem));
  ASSERT_TRUE(cc.ok());
  EXPECT_EQ(
      (*cc)->options().groups,
      (std::vector<NamedGroup>{NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1}));
  auto sc = ServerConfig::create(server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  ASSERT_TRUE(sc.ok());
  const auto& server_groups = (*sc)->options().groups;
  ASSERT_EQ(server_groups.size(), 10u);
  EXPECT_EQ(server_groups[0], NamedGroup::x25519);
  EXPECT_EQ(server_groups[1], NamedGroup::secp256r1);
  EXPECT_EQ(server_groups[2], NamedGroup::secp384r1);
}

TEST(Negotiation, NoCommonGroupIsHandshakeFailure) {
  auto co = client_options_trusting(kEcdsaCertPem);
  co.groups = {NamedGroup::secp384r1};
  auto so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.groups = {NamedGroup::x25519};
  auto p = make_pair(co, so);
  auto r = pump(p.client, p.server);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::no_common_group);
  auto client_side = p.client.receive({});
  ASSERT_TRUE(p.client.failed());
  EXPECT_EQ(client_side.error().code, ErrorCode::peer_alert);
  EXPECT_EQ(client_side.error().received, Alert::handshake_failure);
}

TEST(Alpn, ServerPicksItsPreferredCommonProtocol) {
  auto co = client_options_trusting(kEcdsaCertPem);
  co.alpn = {"http/1.1", "h2"};
  auto so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.alpn = {"h2", "http/1.1"};
  auto p = make_pair(co, so);
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_EQ(p.client.info().alpn, "h2");
  EXPECT_EQ(p.server.info().alpn, "h2");
}

TEST(Alpn, NoCommonProtocolIsNoApplicationProtocol) {
  auto co = client_options_trusting(kEcdsaCertPem);
  co.alpn = {"smtp"};
  auto so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.alpn = {"h2"};
  auto p = make_pair(co, so);
  auto r = pump(p.client, p.server);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::no_application_protocol);
  auto client_side = p.client.receive({});
  ASSERT_FALSE(client_side.ok());
  EXPECT_EQ(client_side.error().received, Alert::no_application_protocol);
}

TEST(Verification, UntrustedServerCertificateIsRejectedByTheClient) {
  auto co = client_options_trusting(kRsaCertPem);
  auto p = make_pair(co, server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  auto r = pump(p.client, p.server);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::certificate_untrusted);
  EXPECT_TRUE(p.client.failed());
  EXPECT_FALSE(p.client.handshake_complete());
  auto server_side = p.server.receive({});
  ASSERT_FALSE(server_side.ok());
  EXPECT_EQ(server_side.error().received, Alert::certificate_unknown);
}

TEST(KeyUpdate, BothDirectionsKeepWorking) {
  auto p = make_pair(client_options_trusting(kEcdsaCertPem),
                     server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  ASSERT_OK(pump(p.client, p.server));
  ASSERT_OK(p.client.key_update(true));
  ASSERT_OK(p.client.write(bytes_of("one")));
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_EQ(read_all(p.server), "one");
  ASSERT_OK(p.server.write(bytes_of("two")));
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_EQ(read_all(p.client), "two");
}

TEST(Records, TamperedRecordIsBadRecordMac) {
  auto p = make_pair(client_options_trusting(kEcdsaCertPem),
                     server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  ASSERT_OK(pump(p.client, p.server));
  ASSERT_OK(p.client.write(bytes_of("secret")));
  std::vector<uint8_t> wire(p.client.pending_output().begin(), p.client.pending_output().end());
  wire.back() ^= 1;
  auto r = p.server.receive(wire);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::bad_record_mac);
  EXPECT_FALSE(p.server.pending_output().empty()) << "the server queues its alert";
  auto again = p.server.receive({});
  EXPECT_FALSE(again.ok()) << "a failed connection stays failed";
}

TEST(Close, WriteAfterCloseFails) {
  auto p = make_pair(client_options_trusting(kEcdsaCertPem),
                     server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  ASSERT_OK(pump(p.client, p.server));
  p.client.close();
  EXPECT_FALSE(p.client.write(bytes_of("late")).ok());
}

TEST(Sni, ServerPicksTheCertificateMatchingTheName) {
  auto so = server_options_with(kRsaCertPem, kRsaKeyPem);
  so.certificates.push_back(certified_key(kEcdsaCertPem, kEcdsaKeyPem));
  auto co = client_options_trusting(kRsaCertPem);
  auto p = make_pair(co, so, "www.example.test");
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_EQ(p.server.info().server_name, "www.example.test");
}

}  // namespace
}  // namespace bastion::test

namespace bastion::test {
namespace {

ServerOptions mutual_tls_server(ClientAuth mode) {
  auto so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.client_auth = mode;
  auto store = TrustStore::from_ders({first_der(kCaPem)});
  EXPECT_TRUE(store.ok());
  so.client_verifier = webpki_verifier(*store, default_provider());
  return so;
}

TEST(MutualTls, ServerVerifiesTheClientCertificate) {
  auto co = client_options_trusting(kEcdsaCertPem);
  co.client_certificate = certified_key(kRsaCertPem, kRsaKeyPem);
  auto p = make_pair(co, mutual_tls_server(ClientAuth::require));
  ASSERT_OK(pump(p.client, p.server));
  ASSERT_TRUE(p.server.handshake_complete());
  auto info = p.server.info();
  EXPECT_TRUE(info.peer_verified);
  ASSERT_EQ(info.peer_certificates.size(), 1u);
  EXPECT_EQ(info.peer_certificates[0], first_der(kRsaCertPem));
  EXPECT_EQ(info.peer_signature_scheme, SignatureScheme::rsa_pss_rsae_sha256);
}

TEST(MutualTls, RequiredButAbsentIsCertificateRequired) {
  auto p =
      make_pair(client_options_trusting(kEcdsaCertPem), mutual_tls_server(ClientAuth::require));
  auto r = pump(p.client, p.server);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::certificate_required);
  auto client_side = p.client.receive({});
  ASSERT_FALSE(client_side.ok());
  EXPECT_EQ(client_side.error().received, Alert::certificate_required);
}

TEST(MutualTls, RequestedAndAbsentStillCompletes) {
  auto p =
      make_pair(client_options_trusting(kEcdsaCertPem), mutual_tls_server(ClientAuth::request));
  ASSERT_OK(pump(p.client, p.server));
  EXPECT_TRUE(p.server.handshake_complete());
  EXPECT_FALSE(p.server.info().peer_verified);
  EXPECT_TRUE(p.server.info().peer_certificates.empty());
}

TEST(MutualTls, UntrustedClientCertificateIsRejected) {
  auto co = client_options_trusting(kEcdsaCertPem);
  co.client_certificate = certified_key(kRsaCertPem, kRsaKeyPem);
  auto so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.client_auth = ClientAuth::require;
  so.client_verifier = exact_certificate_verifier({first_der(kEd25519CertPem)});
  auto p = make_pair(co, so);
  auto r = pump(p.client, p.server);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::certificate_untrusted);
  EXPECT_FALSE(p.server.handshake_complete());
}

TEST(Verification, WebPkiVerifierChecksChainAndName) {
  auto store = TrustStore::from_ders({first_der(kCaPem)});
  ASSERT_TRUE(store.ok());
  ClientOptions co;
  co.verifier = webpki_verifier(*store, default_provider());
  auto good = make_pair(co, server_options_with(kEcdsaCertPem, kEcdsaKeyPem), "localhost");
  ASSERT_OK(pump(good.client, good.server));
  EXPECT_TRUE(good.client.info().peer_verified);

  auto wrong_name = make_pair(co, server_options_with(kEcdsaCertPem, kEcdsaKeyPem), "example.org");
  auto r = pump(wrong_name.client, wrong_name.server);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::certificate_name_mismatch);
  auto server_side = wrong_name.server.receive({});
  ASSERT_FALSE(server_side.ok());
  EXPECT_EQ(server_side.error().received, Alert::certificate_unknown);

  auto by_address = make_pair(co, server_options_with(kEcdsaCertPem, kEcdsaKeyPem), "127.0.0.1");
  ASSERT_OK(pump(by_address.client, by_address.server));
  EXPECT_TRUE(by_address.server.info().server_name.empty()) << "no SNI for an IP address";
}

}  // namespace
}  // namespace bastion::test

namespace bastion::test {
namespace {

class RecordingKeyLog final : public KeyLog {
 public:
  void log(std::string_view label, std::span<const uint8_t> client_random,
           std::span<const uint8_t> secret) const override {
    std::lock_guard lock(mutex_);
    lines.push_back({std::string(label), client_random.size(), secret.size()});
  }
  struct Line {
    std::string label;
    size_t random_size;
    size_t secret_size;
  };
  mutable std::vector<Line> lines;
  mutable std::mutex mutex_;
};

TEST(KeyLogging, BothSidesLogTheFiveTls13SecretsInNssFormat) {
  auto client_log = std::make_shared<RecordingKeyLog>();
  auto server_log = std::make_shared<RecordingKeyLog>();
  auto co = client_options_trusting(kEcdsaCertPem);
  co.key_log = client_log;
  co.cipher_suites = {CipherSuite::tls_aes_256_gcm_sha384};
  auto so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.key_log = server_log;
  auto p = make_pair(co, so);
  ASSERT_OK(pump(p.client, p.server));
  for (const auto* log : {client_log.get(), server_log.get()}) {
    std::vector<std::string> labels;
    for (const auto& line : log->lines) {
      labels.push_back(line.label);
      EXPECT_EQ(line.random_size, 32u);
      EXPECT_EQ(line.secret_size, 48u) << "SHA-384 suite";
    }
    EXPECT_EQ(labels,
              (std::vector<std::string>{
                  "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                  "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET"}));
  }
}

}  // namespace
}  // namespace bastion::test

namespace bastion::test {
namespace {

TEST(Truncation, ForgedPlaintextCloseNotifyAfterTheHandshakeIsRejected) {
  auto p = make_pair(client_options_trusting(kEcdsaCertPem),
                     server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  ASSERT_OK(pump(p.client, p.server));
  // An attacker on the path cannot end the stream cleanly (RFC 8446 §5, §6.1).
  const std::vector<uint8_t> forged{0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00};
  auto r = p.client.receive(forged);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::unexpected_message);
  EXPECT_FALSE(p.client.peer_closed());
}

}  // namespace
}  // namespace bastion::test
