// Whole TLS 1.2 handshakes between Bastion's client and server, and version negotiation
// between every pair of version ranges.
#include <gtest/gtest.h>

#include <tuple>

#include "unit/conn/loopback.hpp"

namespace bastion::test {
namespace {

constexpr auto kTls12 = ProtocolVersion::tls12;
constexpr auto kTls13 = ProtocolVersion::tls13;

struct Tls12Case {
  CipherSuite suite;
  const char* cert;
  const char* key;
  NamedGroup group;
};

class Tls12Handshake : public ::testing::TestWithParam<Tls12Case> {};

TEST_P(Tls12Handshake, CompletesAndCarriesDataBothWays) {
  const Tls12Case& c = GetParam();
  ClientOptions co = client_options_trusting(c.cert);
  co.max_version = kTls12;
  co.groups = {c.group};
  ServerOptions so = server_options_with(c.cert, c.key);
  so.cipher_suites = {c.suite};
  auto [client, server] = make_pair(std::move(co), std::move(so));
  ASSERT_OK(pump(client, server));
  ASSERT_TRUE(client.handshake_complete());
  ASSERT_TRUE(server.handshake_complete());
  for (const Connection* conn :
       {static_cast<const Connection*>(&client), static_cast<const Connection*>(&server)}) {
    const ConnectionInfo info = conn->info();
    EXPECT_EQ(info.version, kTls12);
    EXPECT_EQ(info.cipher_suite, c.suite);
    EXPECT_TRUE(info.extended_master_secret);
  }
  EXPECT_EQ(client.info().group, c.group);
  EXPECT_TRUE(client.info().peer_verified);
  EXPECT_EQ(client.info().peer_certificates.size(), 1u);
  EXPECT_TRUE(client.info().peer_signature_scheme.has_value());

  // Records of every size, both ways, in place.
  for (size_t n : {size_t{1}, size_t{100}, size_t{16384}, size_t{40000}}) {
    const std::string up = pattern(n, 1);
    const std::string down = pattern(n, 2);
    ASSERT_OK(client.write(bytes_of(up)));
    ASSERT_OK(server.write(bytes_of(down)));
    ASSERT_OK(pump(client, server));
    EXPECT_EQ(read_all(server), up);
    EXPECT_EQ(read_all(client), down);
  }
  client.close();
  ASSERT_OK(pump(client, server));
  EXPECT_TRUE(server.peer_closed());
}

INSTANTIATE_TEST_SUITE_P(
    Suites, Tls12Handshake,
    ::testing::Values(Tls12Case{CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256, kEcdsaCertPem,
                                kEcdsaKeyPem, NamedGroup::x25519},
                      Tls12Case{CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384, kP384CertPem,
                                kP384KeyPem, NamedGroup::secp384r1},
                      Tls12Case{CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256,
                                kEd25519CertPem, kEd25519KeyPem, NamedGroup::secp256r1},
                      Tls12Case{CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256, kRsaCertPem,
                                kRsaKeyPem, NamedGroup::x25519},
                      Tls12Case{CipherSuite::tls_ecdhe_rsa_with_aes_256_gcm_sha384, kRsaCertPem,
                                kRsaKeyPem, NamedGroup::secp256r1},
                      Tls12Case{CipherSuite::tls_ecdhe_rsa_with_chacha20_poly1305_sha256,
                                kRsaCertPem, kRsaKeyPem, NamedGroup::x25519}));

// A version range: min, max.
using Range = std::pair<ProtocolVersion, ProtocolVersion>;
class VersionNegotiation : public ::testing::TestWithParam<std::tuple<Range, Range>> {};

TEST_P(VersionNegotiation, PicksTheHighestInCommonOrRefuses) {
  auto [client_range, server_range] = GetParam();
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.min_version = client_range.first;
  co.max_version = client_range.second;
  ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.min_version = server_range.first;
  so.max_version = server_range.second;
  auto [client, server] = make_pair(std::move(co), std::move(so));
  auto result = pump(client, server);
  const ProtocolVersion high = std::min(client_range.second, server_range.second);
  const ProtocolVersion low = std::max(client_range.first, server_range.first);
  if (low > high) {
    // RFC 8446 §4.2.1, RFC 5246 §7.4.1.3: no version in common is protocol_version.
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::protocol_version);
    EXPECT_FALSE(client.handshake_complete());
    EXPECT_FALSE(server.handshake_complete());
    return;
  }
  ASSERT_OK(result);
  EXPECT_EQ(client.info().version, high);
  EXPECT_EQ(server.info().version, high);
}

const Range kOnly12{kTls12, kTls12};
const Range kBoth{kTls12, kTls13};
const Range kOnly13{kTls13, kTls13};

INSTANTIATE_TEST_SUITE_P(EveryPair, VersionNegotiation,
                         ::testing::Combine(::testing::Values(kOnly12, kBoth, kOnly13),
                                            ::testing::Values(kOnly12, kBoth, kOnly13)),
                         [](const auto& test) {
                           auto name = [](const Range& r) {
                             return std::string(r.first == kTls12 ? "12" : "13") +
                                    (r.second == kTls12 ? "12" : "13");
                           };
                           return "client" + name(std::get<0>(test.param)) + "_server" +
                                  name(std::get<1>(test.param));
                         });

TEST(Versions, RangesOutsideTls12AndTls13AreConfigErrors) {
  for (auto [min, max] : {Range{kTls13, kTls12}, Range{ProtocolVersion::tls11, kTls13},
                          Range{ProtocolVersion::tls10, kTls12}}) {
    ClientOptions co = client_options_trusting(kEcdsaCertPem);
    co.min_version = min;
    co.max_version = max;
    auto client = ClientConfig::create(co);
    ASSERT_FALSE(client.ok());
    EXPECT_EQ(client.error().code, ErrorCode::invalid_config);
    ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
    so.min_version = min;
    so.max_version = max;
    auto server = ServerConfig::create(so);
    ASSERT_FALSE(server.ok());
    EXPECT_EQ(server.error().code, ErrorCode::invalid_config);
  }
  // A range whose versions have no suite in the list is refused too.
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.max_version = kTls12;
  co.cipher_suites = {CipherSuite::tls_aes_128_gcm_sha256};
  EXPECT_FALSE(ClientConfig::create(co).ok());
}

TEST(Tls12, MutualAuthenticationBothKeyTypes) {
  for (auto [cert, key] :
       {std::pair{kEcdsaCertPem, kEcdsaKeyPem}, std::pair{kRsaCertPem, kRsaKeyPem}}) {
    ClientOptions co = client_options_trusting(kEcdsaCertPem);
    co.max_version = kTls12;
    co.client_certificate = certified_key(cert, key);
    ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
    so.client_auth = ClientAuth::require;
    so.client_verifier = exact_certificate_verifier({first_der(cert)});
    auto [client, server] = make_pair(std::move(co), std::move(so));
    ASSERT_OK(pump(client, server));
    ASSERT_TRUE(server.handshake_complete());
    EXPECT_EQ(server.info().version, kTls12);
    EXPECT_TRUE(server.info().peer_verified);
    ASSERT_EQ(server.info().peer_certificates.size(), 1u);
    EXPECT_EQ(server.info().peer_certificates.front(), first_der(cert));
  }
}

TEST(Tls12, RequiredClientCertificateMissingIsHandshakeFailure) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.max_version = kTls12;
  ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.client_auth = ClientAuth::require;
  so.client_verifier = exact_certificate_verifier({first_der(kRsaCertPem)});
  auto [client, server] = make_pair(std::move(co), std::move(so));
  auto result = pump(client, server);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::no_client_certificate);
  EXPECT_EQ(result.error().alert(), Alert::handshake_failure);
  EXPECT_FALSE(server.handshake_complete());
}

TEST(Tls12, RequiredExtendedMasterSecretIsEnforcedByBothRoles) {
  // Both sides offer it, so requiring it changes nothing; the refusals are in the hostile
  // peer tests.
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.max_version = kTls12;
  co.require_extended_master_secret = true;
  ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.require_extended_master_secret = true;
  auto [client, server] = make_pair(std::move(co), std::move(so));
  ASSERT_OK(pump(client, server));
  EXPECT_TRUE(client.info().extended_master_secret);
}

TEST(Tls12, ServerPrefersItsOwnSuiteOrder) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.max_version = kTls12;
  co.cipher_suites = {CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256,
                      CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256};
  ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
  so.cipher_suites = {CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256,
                      CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256};
  auto [client, server] = make_pair(std::move(co), std::move(so));
  ASSERT_OK(pump(client, server));
  EXPECT_EQ(client.info().cipher_suite, CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256);
}

}  // namespace
}  // namespace bastion::test

namespace bastion::test {
namespace {

TEST(Tls12, KeyUpdateIsRefusedWithoutHarm) {
  ClientOptions co = client_options_trusting(kEcdsaCertPem);
  co.max_version = kTls12;
  auto [client, server] =
      make_pair(std::move(co), server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
  ASSERT_OK(pump(client, server));
  auto refused = client.key_update(true);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::protocol_version);
  EXPECT_TRUE(client.pending_output().empty()) << "nothing went on the wire";
  ASSERT_OK(client.write(bytes_of("still fine")));
  ASSERT_OK(pump(client, server));
  EXPECT_EQ(read_all(server), "still fine");
}

TEST(Tls12, TheServerMayPickTheCurveOfTheClientCertificate) {
  // The client lists its certificate's curve (RFC 8422 §5.1.1); the server may choose it for
  // the key exchange, in TLS 1.2 and in a TLS 1.3 HelloRetryRequest alike.
  for (ProtocolVersion max : {kTls12, kTls13}) {
    ClientOptions co = client_options_trusting(kEcdsaCertPem);
    co.max_version = max;
    co.groups = {NamedGroup::x25519};
    co.client_certificate = certified_key(kP384CertPem, kP384KeyPem);
    ServerOptions so = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
    so.groups = {NamedGroup::secp384r1};
    so.client_auth = ClientAuth::require;
    so.client_verifier = exact_certificate_verifier({first_der(kP384CertPem)});
    auto [client, server] = make_pair(std::move(co), std::move(so));
    ASSERT_OK(pump(client, server));
    EXPECT_EQ(client.info().version, max);
    EXPECT_EQ(client.info().group, NamedGroup::secp384r1);
    EXPECT_TRUE(server.info().peer_verified);
  }
}

}  // namespace
}  // namespace bastion::test

namespace bastion::test {
namespace {

TEST(Tls12, RsaKeyTransportWhenBothSidesNameIt) {
  for (CipherSuite suite : {CipherSuite::tls_rsa_with_aes_128_gcm_sha256,
                            CipherSuite::tls_rsa_with_aes_256_gcm_sha384}) {
    ClientOptions co = client_options_trusting(kRsaCertPem);
    co.max_version = kTls12;
    co.cipher_suites = {suite};
    ServerOptions so = server_options_with(kRsaCertPem, kRsaKeyPem);
    so.cipher_suites = {suite};
    auto [client, server] = make_pair(std::move(co), std::move(so));
    ASSERT_OK(pump(client, server));
    EXPECT_EQ(client.info().cipher_suite, suite);
    EXPECT_EQ(server.info().cipher_suite, suite);
    EXPECT_TRUE(client.info().peer_verified);
    EXPECT_FALSE(client.info().group.has_value()) << "no key exchange group";
    ASSERT_OK(client.write(bytes_of("over RSA")));
    ASSERT_OK(pump(client, server));
    EXPECT_EQ(read_all(server), "over RSA");
  }
}

TEST(Tls12, RsaKeyTransportIsNeverADefault) {
  ClientOptions co = client_options_trusting(kRsaCertPem);
  auto config = ClientConfig::create(co);
  ASSERT_TRUE(config.ok());
  for (CipherSuite s : (*config)->options().cipher_suites) {
    EXPECT_NE(s, CipherSuite::tls_rsa_with_aes_128_gcm_sha256);
    EXPECT_NE(s, CipherSuite::tls_rsa_with_aes_256_gcm_sha384);
  }
}

}  // namespace
}  // namespace bastion::test

namespace bastion::test {
namespace {

std::vector<uint8_t> exported(const Connection& c, std::string_view label, size_t n,
                              std::optional<std::span<const uint8_t>> context = {}) {
  std::vector<uint8_t> out(n);
  auto ok = c.export_keying_material(label, out, context);
  EXPECT_TRUE(ok.ok()) << (ok.ok() ? "" : ok.error().message());
  return out;
}

TEST(Exporters, BothSidesAgreeInBothVersions) {
  for (ProtocolVersion max : {kTls12, kTls13}) {
    ClientOptions co = client_options_trusting(kEcdsaCertPem);
    co.max_version = max;
    auto [client, server] =
        make_pair(std::move(co), server_options_with(kEcdsaCertPem, kEcdsaKeyPem));
    std::vector<uint8_t> early(16);
    auto before = client.export_keying_material("EXPORTER-test", early);
    ASSERT_FALSE(before.ok());
    EXPECT_EQ(before.error().code, ErrorCode::closed);
    ASSERT_OK(pump(client, server));
    const std::vector<uint8_t> ctx = {'c', 't', 'x'};
    const auto a = exported(client, "EXPORTER-test", 32);
    EXPECT_EQ(a, exported(server, "EXPORTER-test", 32));
    EXPECT_EQ(exported(client, "EXPORTER-test", 48, ctx),
              exported(server, "EXPORTER-test", 48, ctx));
    EXPECT_NE(a, exported(client, "EXPORTER-other", 32));
    EXPECT_NE(a, exported(client, "EXPORTER-test", 32, std::span<const uint8_t>(ctx)));
    // RFC 8446 §7.5: no context is an empty one in TLS 1.3; RFC 5705 §4 tells them apart.
    const auto empty = exported(client, "EXPORTER-test", 32, std::span<const uint8_t>());
    if (max == kTls13) {
      EXPECT_EQ(a, empty);
    } else {
      EXPECT_NE(a, empty);
      std::vector<uint8_t> out(16);
      auto reserved = client.export_keying_material("key expansion", out);
      ASSERT_FALSE(reserved.ok());
      EXPECT_EQ(reserved.error().code, ErrorCode::illegal_parameter);
    }
  }
}

}  // namespace
}  // namespace bastion::test
