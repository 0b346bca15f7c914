#include "x509/certificate.hpp"

#include <gtest/gtest.h>

#include "bastion/x509.hpp"
#include "unit/x509/test_support.hpp"
#include "x509/names.hpp"
#include "x509/oids.hpp"

namespace bastion::x509 {
namespace {

using testing::der_of;

CertificatePtr parse(const char* pem) {
  auto c = Certificate::parse(der_of(pem));
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message());
  return c.ok() ? *c : nullptr;
}

std::vector<uint8_t> bytes(std::initializer_list<uint8_t> b) {
  return b;
}

TEST(Certificate, ParsesEcdsaLeaf) {
  const auto c = parse(testing::k_leaf_ec);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->version(), 3);
  EXPECT_EQ(name_to_string(c->subject()), "CN=example.com");
  EXPECT_EQ(name_to_string(c->issuer()), "O=Bastion Test, CN=Bastion Test Intermediate");
  EXPECT_EQ(c->signature_algorithm().alg, crypto::SigAlg::ecdsa_sha256);
  ASSERT_TRUE(c->public_key().ok());
  EXPECT_EQ(c->public_key()->type, crypto::KeyType::ec_p256);
  EXPECT_EQ(c->public_key()->point.size(), 65u);
  EXPECT_EQ(c->public_key()->point[0], 0x04);
  ASSERT_TRUE(c->basic_constraints());
  EXPECT_FALSE(c->basic_constraints()->ca);
  EXPECT_TRUE(c->has_key_usage(KeyUsageBit::digital_signature));
  EXPECT_FALSE(c->has_key_usage(KeyUsageBit::key_cert_sign));
  ASSERT_TRUE(c->extended_key_usage());
  EXPECT_EQ(c->extended_key_usage()->size(), 2u);
  EXPECT_TRUE(oid::kServerAuth == c->extended_key_usage()->at(0));
  ASSERT_TRUE(c->subject_alt_names());
  ASSERT_EQ(c->subject_alt_names()->size(), 4u);
  EXPECT_EQ(c->subject_alt_names()->at(0).kind, GeneralName::Kind::dns);
  EXPECT_EQ(c->subject_alt_names()->at(2).kind, GeneralName::Kind::ip);
  EXPECT_TRUE(c->authority_key_id());
  EXPECT_TRUE(c->subject_key_id());
  EXPECT_FALSE(c->unknown_critical_extension());
  EXPECT_EQ(c->not_before(), testing::kNotBefore);
  EXPECT_EQ(c->not_after(), testing::kNotAfter);
  EXPECT_FALSE(c->self_issued());
}

TEST(Certificate, ParsesRsaLeaf) {
  const auto c = parse(testing::k_leaf_rsa);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->public_key().ok());
  EXPECT_EQ(c->public_key()->type, crypto::KeyType::rsa);
  EXPECT_EQ(c->public_key()->rsa_modulus.size(), 256u);
  EXPECT_NE(c->public_key()->rsa_modulus[0], 0);
  EXPECT_EQ(c->public_key()->rsa_exponent, bytes({0x01, 0x00, 0x01}));
  EXPECT_EQ(name_to_string(c->subject()), "CN=rsa.example.com, O=Example");
}

TEST(Certificate, ParsesEd25519Leaf) {
  const auto c = parse(testing::k_leaf_ed);
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->public_key().ok());
  EXPECT_EQ(c->public_key()->type, crypto::KeyType::ed25519);
  EXPECT_EQ(c->public_key()->point.size(), 32u);
}

TEST(Certificate, ParsesCas) {
  const auto root = parse(testing::k_root);
  const auto inter = parse(testing::k_inter);
  ASSERT_TRUE(root && inter);
  EXPECT_TRUE(root->self_issued());
  ASSERT_TRUE(root->basic_constraints());
  EXPECT_TRUE(root->basic_constraints()->ca);
  EXPECT_TRUE(root->basic_constraints_critical());
  EXPECT_TRUE(inter->has_key_usage(KeyUsageBit::key_cert_sign));
  const auto pl0 = parse(testing::k_inter_pl0);
  ASSERT_TRUE(pl0 && pl0->basic_constraints());
  EXPECT_EQ(pl0->basic_constraints()->path_len, 0u);
  const auto nc = parse(testing::k_inter_nc);
  ASSERT_TRUE(nc && nc->name_constraints());
  EXPECT_EQ(nc->name_constraints()->permitted.size(), 1u);
  EXPECT_TRUE(nc->name_constraints()->excluded.empty());
}

TEST(Certificate, RejectsDuplicateExtensions) {
  const Der base = der_of(testing::k_leaf_ec);
  const auto ski_again = testing::extension({0x55, 0x1d, 0x0e}, false, testing::tlv(0x04, {1, 2}));
  const auto r = Certificate::parse(testing::with_extra_extensions(base, ski_again));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::bad_certificate);
  EXPECT_NE(r.error().detail.find("duplicate"), std::string::npos);
}

TEST(Certificate, FlagsUnknownCriticalExtension) {
  const Der base = der_of(testing::k_leaf_ec);
  const auto unknown = testing::extension({0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x01}, true,
                                          testing::tlv(0x05, {}));
  const auto c = Certificate::parse(testing::with_extra_extensions(base, unknown));
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*c)->unknown_critical_extension());
  EXPECT_EQ(*(*c)->unknown_critical_extension(), "1.3.6.1.4.1.311.1");
  // Unknown non-critical extensions are ignored.
  const auto benign = testing::extension({0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x01}, false,
                                         testing::tlv(0x05, {}));
  const auto d = Certificate::parse(testing::with_extra_extensions(base, benign));
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE((*d)->unknown_critical_extension());
}

TEST(Certificate, RejectsExplicitFalseCriticality) {
  const Der base = der_of(testing::k_leaf_ec);
  const auto ext = testing::tlv(
      0x30, testing::cat({testing::tlv(0x06, {0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02}),
                          testing::tlv(0x01, {0x00}), testing::tlv(0x04, {0x05, 0x00})}));
  EXPECT_FALSE(Certificate::parse(testing::with_extra_extensions(base, ext)).ok());
}

TEST(Certificate, RejectsCriticalAuthorityKeyIdentifier) {
  // Build a leaf whose only AKI is critical: replace by appending to a cert that lacks one.
  const Der base = der_of(testing::k_root);  // self-signed root: no AKI
  const auto aki = testing::extension({0x55, 0x1d, 0x23}, true,
                                      testing::tlv(0x30, testing::tlv(0x80, {1, 2, 3})));
  EXPECT_FALSE(Certificate::parse(testing::with_extra_extensions(base, aki)).ok());
  const auto ok = testing::extension({0x55, 0x1d, 0x23}, false,
                                     testing::tlv(0x30, testing::tlv(0x80, {1, 2, 3})));
  EXPECT_TRUE(Certificate::parse(testing::with_extra_extensions(base, ok)).ok());
}

TEST(Certificate, RejectsEmptyExtKeyUsage) {
  const Der base = der_of(testing::k_root);
  const auto eku = testing::extension({0x55, 0x1d, 0x25}, false, testing::tlv(0x30, {}));
  EXPECT_FALSE(Certificate::parse(testing::with_extra_extensions(base, eku)).ok());
}

TEST(Certificate, LeafPublicKey) {
  const auto key = leaf_public_key(der_of(testing::k_leaf_ed));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->type, crypto::KeyType::ed25519);
  const std::vector<uint8_t> junk{0x30, 0x00};
  EXPECT_FALSE(leaf_public_key(junk).ok());
}

TEST(Pem, ParsesBundlesAndIgnoresText) {
  const std::string bundle = std::string("subject=whatever\n") + testing::k_leaf_ec + "\n" +
                             testing::k_inter + "\r\n" + testing::k_root + "\n# trailing\n";
  const auto ders = parse_pem_certificates(bundle);
  ASSERT_TRUE(ders.ok());
  ASSERT_EQ(ders->size(), 3u);
  EXPECT_EQ((*ders)[0], der_of(testing::k_leaf_ec));
  EXPECT_EQ((*ders)[2], der_of(testing::k_root));
}

TEST(Pem, RejectsMalformedBlocks) {
  EXPECT_FALSE(parse_pem_certificates("no certificate here").ok());
  EXPECT_FALSE(parse_pem_certificates("-----BEGIN CERTIFICATE-----\nMIIB\n").ok());
  EXPECT_FALSE(
      parse_pem_certificates("-----BEGIN CERTIFICATE-----\nMI$B\n-----END CERTIFICATE-----\n")
          .ok());
  EXPECT_FALSE(
      parse_pem_certificates("-----BEGIN CERTIFICATE-----\nMIIBA\n-----END CERTIFICATE-----\n")
          .ok());
  EXPECT_FALSE(
      parse_pem_certificates("-----BEGIN CERTIFICATE-----\nQQ=A\n-----END CERTIFICATE-----\n")
          .ok());
  EXPECT_TRUE(
      parse_pem_certificates("-----BEGIN CERTIFICATE-----\nQQ==\n-----END CERTIFICATE-----\n")
          .ok());
}

TEST(Describe, SummarisesALeaf) {
  const auto s = describe_certificate(der_of(testing::k_leaf_ec));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->subject, "CN=example.com");
  EXPECT_EQ(s->issuer, "O=Bastion Test, CN=Bastion Test Intermediate");
  EXPECT_EQ(s->not_before, der::format_time(testing::kNotBefore));
  EXPECT_EQ(s->not_after, der::format_time(testing::kNotAfter));
  EXPECT_EQ(s->dns_names, (std::vector<std::string>{"example.com", "*.example.com"}));
  EXPECT_EQ(s->ip_addresses, (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_EQ(s->not_before.size(), 20u);
  EXPECT_EQ(s->not_before.back(), 'Z');
}

TEST(Describe, RejectsGarbage) {
  const std::vector<uint8_t> junk{0x01, 0x02};
  const auto s = describe_certificate(junk);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::bad_certificate);
}

}  // namespace
}  // namespace bastion::x509
