// Certificates from certificate_builder, read back with our own parser.
#include "x509/certificate_builder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bastion/x509.hpp"
#include "crypto/provider.hpp"
#include "x509/certificate.hpp"
#include "x509/der.hpp"
#include "x509/name.hpp"
#include "x509/names.hpp"
#include "x509/oids.hpp"

namespace bastion::x509 {
namespace {

int64_t at(int64_t y, unsigned m, unsigned d) {
  return der::days_from_civil(y, m, d) * 86400;
}

const int64_t kStart = at(2026, 11, 1);
const int64_t kEnd = at(2028, 2, 3) + 3600;

std::string text(Bytes bytes) {
  return std::string(bytes.begin(), bytes.end());
}

class CaBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override { provider_ = crypto::openssl_provider(); }

  std::unique_ptr<crypto::PrivateKey> key(crypto::KeyType type, size_t bits = 0) const {
    auto k = provider_->generate_private_key(type, bits);
    EXPECT_TRUE(k.ok());
    return k.ok() ? std::move(k).value() : nullptr;
  }

  CertificateSpec root_spec(const crypto::PrivateKey& k) const {
    CertificateSpec spec;
    spec.role = CertificateRole::local_root;
    spec.subject = encode_name({"Test Local CA", "Bastion Tests"});
    spec.not_before = kStart;
    spec.not_after = kEnd;
    spec.public_key = k.public_params();
    return spec;
  }

  CertificatePtr parse(Result<std::vector<uint8_t>> der) const {
    EXPECT_TRUE(der.ok()) << (der.ok() ? "" : der.error().message());
    if (!der.ok()) return nullptr;
    auto cert = Certificate::parse(std::move(der).value());
    EXPECT_TRUE(cert.ok()) << (cert.ok() ? "" : cert.error().message());
    return cert.ok() ? *cert : nullptr;
  }

  // Whether `cert`'s signature verifies under `issuer_key`.
  bool signed_by(const Certificate& cert, const crypto::PrivateKey& issuer_key) const {
    auto pub = provider_->import_public_key(issuer_key.public_params());
    if (!pub.ok() || !cert.signature_algorithm().alg) return false;
    return (*pub)->verify(*cert.signature_algorithm().alg, cert.tbs(), cert.signature()).ok();
  }

  std::shared_ptr<const crypto::Provider> provider_;
};

TEST_F(CaBuilderTest, RootHasTheExtensionsOfALeafOnlyCa) {
  const auto ca_key = key(crypto::KeyType::ec_p256);
  ASSERT_TRUE(ca_key);
  const auto ca = parse(build_self_signed(root_spec(*ca_key), *ca_key, *provider_));
  ASSERT_TRUE(ca);
  EXPECT_EQ(ca->version(), 3);
  EXPECT_EQ(name_to_string(ca->subject()), "O=Bastion Tests, CN=Test Local CA");
  EXPECT_TRUE(ca->self_issued());
  EXPECT_EQ(ca->signature_algorithm().alg, crypto::SigAlg::ecdsa_sha256);
  EXPECT_TRUE(signed_by(*ca, *ca_key));
  EXPECT_EQ(ca->not_before(), kStart);
  EXPECT_EQ(ca->not_after(), kEnd);
  EXPECT_TRUE(ca->validity_conforms());
  // RFC 5280 §4.1.2.2: positive, at most 20 octets; ours are 16.
  ASSERT_EQ(ca->serial().size(), 16u);
  EXPECT_EQ(ca->serial()[0] & 0x80, 0);

  ASSERT_TRUE(ca->basic_constraints());
  EXPECT_TRUE(ca->basic_constraints_critical());
  EXPECT_TRUE(ca->basic_constraints()->ca);
  EXPECT_EQ(ca->basic_constraints()->path_len, 0u);
  EXPECT_EQ(ca->key_usage(), (1u << 5 | 1u << 6));
  EXPECT_FALSE(ca->extended_key_usage());
  EXPECT_FALSE(ca->subject_alt_names());
  ASSERT_TRUE(ca->subject_key_id());
  const auto expected_id = key_identifier(ca_key->public_params(), *provider_);
  EXPECT_EQ(std::vector<uint8_t>(ca->subject_key_id()->begin(), ca->subject_key_id()->end()),
            expected_id);
  EXPECT_EQ(expected_id.size(), 20u);
  EXPECT_FALSE(ca->has_authority_key_id_extension());
  EXPECT_FALSE(ca->unknown_critical_extension());

  ASSERT_TRUE(ca->public_key().ok());
  EXPECT_EQ(ca->public_key()->point, ca_key->public_params().point);
}

TEST_F(CaBuilderTest, LeafHasNamesUsagesAndTheIssuersKeyId) {
  const auto ca_key = key(crypto::KeyType::ec_p384);
  const auto leaf_key = key(crypto::KeyType::ec_p256);
  ASSERT_TRUE(ca_key && leaf_key);
  const auto ca = parse(build_self_signed(root_spec(*ca_key), *ca_key, *provider_));
  ASSERT_TRUE(ca);

  CertificateSpec spec;
  spec.role = CertificateRole::tls_leaf;
  spec.subject = encode_name({"localhost", "Bastion Tests"});
  spec.not_before = kStart;
  spec.not_after = kEnd;
  spec.public_key = leaf_key->public_params();
  spec.names = {"localhost", "*.dev.test", "127.0.0.1", "::1", "dev@example.test"};
  IssuerSpec issuer{
      std::vector<uint8_t>(ca->subject_raw().begin(), ca->subject_raw().end()),
      std::vector<uint8_t>(ca->subject_key_id()->begin(), ca->subject_key_id()->end()),
      ca_key.get()};
  const auto leaf = parse(build_certificate(spec, issuer, *provider_));
  ASSERT_TRUE(leaf);

  EXPECT_EQ(leaf->signature_algorithm().alg, crypto::SigAlg::ecdsa_sha384);
  EXPECT_TRUE(signed_by(*leaf, *ca_key));
  EXPECT_TRUE(std::equal(leaf->issuer_raw().begin(), leaf->issuer_raw().end(),
                         ca->subject_raw().begin(), ca->subject_raw().end()));
  EXPECT_FALSE(leaf->self_issued());
  ASSERT_TRUE(leaf->basic_constraints());
  EXPECT_FALSE(leaf->basic_constraints()->ca);
  EXPECT_EQ(leaf->key_usage(), 1u << 0);  // digitalSignature only for an EC key
  ASSERT_TRUE(leaf->extended_key_usage());
  ASSERT_EQ(leaf->extended_key_usage()->size(), 2u);
  EXPECT_TRUE(oid::kServerAuth == leaf->extended_key_usage()->at(0));
  EXPECT_TRUE(oid::kClientAuth == leaf->extended_key_usage()->at(1));
  ASSERT_TRUE(leaf->authority_key_id());
  EXPECT_TRUE(std::equal(leaf->authority_key_id()->begin(), leaf->authority_key_id()->end(),
                         ca->subject_key_id()->begin(), ca->subject_key_id()->end()));
  EXPECT_TRUE(leaf->subject_key_id());

  ASSERT_TRUE(leaf->subject_alt_names());
  const auto& sans = *leaf->subject_alt_names();
  ASSERT_EQ(sans.size(), 5u);
  EXPECT_EQ(sans[0].kind, GeneralName::Kind::dns);
  EXPECT_EQ(text(sans[0].value), "localhost");
  EXPECT_EQ(sans[1].kind, GeneralName::Kind::dns);
  EXPECT_EQ(text(sans[1].value), "*.dev.test");
  EXPECT_EQ(sans[2].kind, GeneralName::Kind::ip);
  EXPECT_EQ(format_ip_address(sans[2].value), "127.0.0.1");
  EXPECT_EQ(sans[3].kind, GeneralName::Kind::ip);
  EXPECT_EQ(sans[3].value.size(), 16u);
  EXPECT_EQ(format_ip_address(sans[3].value), "::1");
  EXPECT_EQ(sans[4].kind, GeneralName::Kind::email);
  EXPECT_EQ(text(sans[4].value), "dev@example.test");
  EXPECT_FALSE(leaf->san_critical());
  EXPECT_TRUE(check_presented_names(*leaf).ok());
  EXPECT_TRUE(verify_server_name(*leaf, "localhost").ok());
  EXPECT_TRUE(verify_server_name(*leaf, "api.dev.test").ok());
  EXPECT_TRUE(verify_server_name(*leaf, "::1").ok());
  EXPECT_FALSE(verify_server_name(*leaf, "example.com").ok());

  // The public summary sees the same.
  const auto summary = describe_certificate(leaf->der());
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->subject, "O=Bastion Tests, CN=localhost");
  EXPECT_EQ(summary->dns_names, (std::vector<std::string>{"localhost", "*.dev.test"}));
  EXPECT_EQ(summary->ip_addresses, (std::vector<std::string>{"127.0.0.1", "::1"}));
}

TEST_F(CaBuilderTest, EachKeyTypeSignsWithItsAlgorithm) {
  struct Case {
    crypto::KeyType type;
    size_t bits;
    crypto::SigAlg alg;
  };
  for (const Case& c : {Case{crypto::KeyType::ec_p256, 0, crypto::SigAlg::ecdsa_sha256},
                        Case{crypto::KeyType::ec_p384, 0, crypto::SigAlg::ecdsa_sha384},
                        Case{crypto::KeyType::rsa, 2048, crypto::SigAlg::rsa_pkcs1_sha256},
                        Case{crypto::KeyType::ed25519, 0, crypto::SigAlg::ed25519},
                        Case{crypto::KeyType::ec_p521, 0, crypto::SigAlg::ecdsa_sha512},
                        Case{crypto::KeyType::ed448, 0, crypto::SigAlg::ed448}}) {
    const auto k = key(c.type, c.bits);
    ASSERT_TRUE(k);
    const auto ca = parse(build_self_signed(root_spec(*k), *k, *provider_));
    ASSERT_TRUE(ca);
    EXPECT_EQ(ca->signature_algorithm().alg, c.alg);
    EXPECT_TRUE(signed_by(*ca, *k));
    ASSERT_TRUE(ca->public_key().ok());
    EXPECT_EQ(ca->public_key()->type, c.type);
    EXPECT_EQ(ca->public_key()->rsa_modulus, k->public_params().rsa_modulus);
    EXPECT_EQ(ca->public_key()->point, k->public_params().point);
  }
}

TEST_F(CaBuilderTest, Ed448AndP521CasIssueLeavesTheVerifierAccepts) {
  for (auto ca_type : {crypto::KeyType::ed448, crypto::KeyType::ec_p521}) {
    SCOPED_TRACE(static_cast<int>(ca_type));
    const auto ca_key = key(ca_type);
    const auto leaf_key = key(ca_type);
    ASSERT_TRUE(ca_key && leaf_key);
    const auto ca = parse(build_self_signed(root_spec(*ca_key), *ca_key, *provider_));
    ASSERT_TRUE(ca);
    CertificateSpec spec;
    spec.subject = encode_name({"localhost", ""});
    spec.not_before = kStart;
    spec.not_after = kEnd;
    spec.public_key = leaf_key->public_params();
    spec.names = {"localhost"};
    IssuerSpec issuer{
        std::vector<uint8_t>(ca->subject_raw().begin(), ca->subject_raw().end()),
        std::vector<uint8_t>(ca->subject_key_id()->begin(), ca->subject_key_id()->end()),
        ca_key.get()};
    auto leaf = build_certificate(spec, issuer, *provider_);
    ASSERT_TRUE(leaf.ok());
    auto store = TrustStore::from_ders({Der(ca->der().begin(), ca->der().end())});
    ASSERT_TRUE(store.ok());
    auto verifier = webpki_verifier(*store, provider_);
    const auto at = std::chrono::system_clock::time_point(std::chrono::seconds(kStart + 3600));
    auto verified = verifier->verify_server(std::vector<Der>{*leaf}, "localhost", at);
    EXPECT_TRUE(verified.ok()) << verified.error().message();
  }
}

TEST_F(CaBuilderTest, RsaLeafAlsoHasKeyEncipherment) {
  const auto ca_key = key(crypto::KeyType::ed25519);
  const auto leaf_key = key(crypto::KeyType::rsa, 2048);
  ASSERT_TRUE(ca_key && leaf_key);
  CertificateSpec spec;
  spec.subject = encode_name({"rsa.test", ""});
  spec.not_before = kStart;
  spec.not_after = kEnd;
  spec.public_key = leaf_key->public_params();
  spec.names = {"rsa.test"};
  const auto leaf = parse(build_certificate(
      spec, {encode_name({"CA", ""}), std::vector<uint8_t>(20, 0x11), ca_key.get()}, *provider_));
  ASSERT_TRUE(leaf);
  EXPECT_EQ(name_to_string(leaf->subject()), "CN=rsa.test");
  EXPECT_EQ(leaf->key_usage(), (1u << 0 | 1u << 2));
  EXPECT_EQ(leaf->signature_algorithm().alg, crypto::SigAlg::ed25519);
}

TEST_F(CaBuilderTest, ValidityAcrossThe2050BoundaryUsesBothTimeTypes) {
  const auto k = key(crypto::KeyType::ec_p256);
  ASSERT_TRUE(k);
  auto spec = root_spec(*k);
  spec.not_before = at(2049, 12, 31) + 86399;
  spec.not_after = at(2050, 1, 1);
  const auto ca = parse(build_self_signed(spec, *k, *provider_));
  ASSERT_TRUE(ca);
  EXPECT_TRUE(ca->validity_conforms());
  EXPECT_EQ(ca->not_before(), spec.not_before);
  EXPECT_EQ(ca->not_after(), spec.not_after);
}

TEST_F(CaBuilderTest, RefusesWhatItCannotIssue) {
  const auto k = key(crypto::KeyType::ec_p256);
  ASSERT_TRUE(k);
  CertificateSpec spec;
  spec.subject = encode_name({"x", ""});
  spec.not_before = kStart;
  spec.not_after = kEnd;
  spec.public_key = k->public_params();
  const IssuerSpec issuer{encode_name({"CA", ""}), std::vector<uint8_t>(20, 1), k.get()};

  auto no_names = build_certificate(spec, issuer, *provider_);
  ASSERT_FALSE(no_names.ok());
  EXPECT_EQ(no_names.error().code, ErrorCode::invalid_config);

  for (const char* bad : {"under_score.test", "a..b", "*.*.test", "foo.*.test", "@example.test",
                          "dev@", "dev@bad_domain", "exa mple.test", "caf\xc3\xa9.test", ""}) {
    spec.names = {bad};
    auto r = build_certificate(spec, issuer, *provider_);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_config) << bad;
  }

  spec.names = {"ok.test"};
  spec.not_after = spec.not_before - 1;
  EXPECT_FALSE(build_certificate(spec, issuer, *provider_).ok());
  spec.not_after = at(10000, 1, 1);
  EXPECT_FALSE(build_certificate(spec, issuer, *provider_).ok());
}

TEST(CaPem, Base64LinesOf64) {
  // RFC 4648 §10 test vectors, one block each.
  const std::pair<const char*, const char*> vectors[] = {
      {"f", "Zg=="},        {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    const std::string_view p(plain);
    EXPECT_EQ(pem_encode("X", {reinterpret_cast<const uint8_t*>(p.data()), p.size()}),
              std::string("-----BEGIN X-----\n") + encoded + "\n-----END X-----\n");
  }
  EXPECT_EQ(pem_encode("X", {}), "-----BEGIN X-----\n-----END X-----\n");

  std::vector<uint8_t> der(100);
  for (size_t i = 0; i < der.size(); ++i) der[i] = static_cast<uint8_t>(i * 7);
  const std::string pem = pem_encode("CERTIFICATE", der);
  // 100 bytes are 136 base64 characters: lines of 64, 64 and 8.
  const std::string body = pem.substr(28, pem.size() - 28 - 26);
  EXPECT_EQ(pem.substr(0, 28), "-----BEGIN CERTIFICATE-----\n");
  EXPECT_EQ(body.size(), 64u + 1 + 64 + 1 + 8 + 1);
  EXPECT_EQ(body[64], '\n');
  EXPECT_EQ(body[129], '\n');
  const auto back = parse_pem_certificates(pem);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->front(), der);
}

}  // namespace
}  // namespace bastion::x509
