// RSASSA-PSS keys with parameters (RFC 4055 §3.1) are restricted to their hash, their MGF1 hash
// and a minimum salt length: a signature made otherwise does not verify under them.
#include <gtest/gtest.h>

#include "crypto/provider.hpp"
#include "unit/x509/test_support.hpp"
#include "x509/certificate.hpp"
#include "x509/certificate_builder.hpp"
#include "x509/oids.hpp"

namespace bastion::x509 {
namespace {

using testing::cat;
using testing::tlv;

template <size_t N>
std::vector<uint8_t> oid_tlv(const oid::Oid<N>& o) {
  return tlv(0x06, std::vector<uint8_t>(std::begin(o.bytes), std::end(o.bytes)));
}

// RSASSA-PSS-params with `hash` for the message and MGF1, and `salt`.
template <size_t N>
std::vector<uint8_t> pss_params(const oid::Oid<N>& hash, uint8_t salt) {
  const auto hash_id = tlv(0x30, oid_tlv(hash));
  return tlv(0x30,
             cat({tlv(0xa0, hash_id), tlv(0xa1, tlv(0x30, cat({oid_tlv(oid::kMgf1), hash_id}))),
                  tlv(0xa2, tlv(0x02, {salt}))}));
}

// The SubjectPublicKeyInfo of `rsa`'s key as an id-RSASSA-PSS key with `params`.
std::vector<uint8_t> pss_spki(const crypto::PublicKeyParams& rsa, std::vector<uint8_t> params) {
  auto rsae = encode_subject_public_key_info(rsa);
  EXPECT_TRUE(rsae.ok());
  // The rsaEncryption SPKI ends with the BIT STRING of the RSAPublicKey; keep it.
  der::Reader outer(*rsae);
  der::Reader seq(Bytes{});
  Bytes algorithm, bits;
  EXPECT_TRUE(outer.enter(der::kSequence, seq) && seq.read_tlv(der::kSequence, algorithm) &&
              seq.read_tlv(der::kBitString, bits));
  return tlv(0x30, cat({tlv(0x30, cat({oid_tlv(oid::kRsassaPss), std::move(params)})),
                        std::vector<uint8_t>(bits.begin(), bits.end())}));
}

class PssKeys : public ::testing::Test {
 protected:
  // One RSA key for the suite: generating one takes a while.
  static void SetUpTestSuite() {
    key_ = crypto::openssl_provider()->generate_private_key(crypto::KeyType::rsa, 2048)->release();
  }
  static void TearDownTestSuite() { delete key_; }
  std::shared_ptr<const crypto::Provider> provider_ = crypto::openssl_provider();
  static crypto::PrivateKey* key_;
};
crypto::PrivateKey* PssKeys::key_ = nullptr;

TEST_F(PssKeys, RestrictedKeyVerifiesOnlyItsHash) {
  auto parsed =
      parse_subject_public_key_info(pss_spki(key_->public_params(), pss_params(oid::kSha256, 32)));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  ASSERT_TRUE(parsed->pss.has_value());
  EXPECT_EQ(parsed->pss->hash, crypto::HashAlg::sha256);
  EXPECT_EQ(parsed->pss->min_salt, 32u);
  EXPECT_TRUE(crypto::key_permits(*parsed, crypto::SigAlg::rsa_pss_sha256));
  EXPECT_FALSE(crypto::key_permits(*parsed, crypto::SigAlg::rsa_pss_sha384));
  EXPECT_FALSE(crypto::key_permits(*parsed, crypto::SigAlg::rsa_pkcs1_sha256));

  auto public_key = provider_->import_public_key(*parsed);
  ASSERT_TRUE(public_key.ok());
  const std::vector<uint8_t> message(100, 0x5a);
  // The same RSA key signs with SHA-384: a valid PSS signature, but not one this key allows.
  auto sha384 = key_->sign(crypto::SigAlg::rsa_pss_sha384, message);
  auto sha256 = key_->sign(crypto::SigAlg::rsa_pss_sha256, message);
  ASSERT_TRUE(sha384.ok() && sha256.ok());
  EXPECT_FALSE((*public_key)->permits(crypto::SigAlg::rsa_pss_sha384));
  EXPECT_FALSE((*public_key)->verify(crypto::SigAlg::rsa_pss_sha384, message, *sha384).ok());
  EXPECT_TRUE((*public_key)->verify(crypto::SigAlg::rsa_pss_sha256, message, *sha256).ok());
}

TEST_F(PssKeys, MinimumSaltLongerThanTheHashAllowsNone) {
  // Our PSS signatures use a salt of the hash's length: 48 bytes is more than SHA-256 gives.
  auto parsed =
      parse_subject_public_key_info(pss_spki(key_->public_params(), pss_params(oid::kSha256, 48)));
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(crypto::key_permits(*parsed, crypto::SigAlg::rsa_pss_sha256));
}

TEST_F(PssKeys, UnrestrictedKeyAllowsEveryPssHash) {
  auto parsed = parse_subject_public_key_info(pss_spki(key_->public_params(), {}));
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->pss.has_value());
  EXPECT_TRUE(crypto::key_permits(*parsed, crypto::SigAlg::rsa_pss_sha256));
  EXPECT_TRUE(crypto::key_permits(*parsed, crypto::SigAlg::rsa_pss_sha512));
}

TEST_F(PssKeys, Mgf1WithAnotherHashIsUnsupported) {
  const auto sha256 = tlv(0x30, oid_tlv(oid::kSha256));
  const auto sha384 = tlv(0x30, oid_tlv(oid::kSha384));
  auto params =
      tlv(0x30, cat({tlv(0xa0, sha256), tlv(0xa1, tlv(0x30, cat({oid_tlv(oid::kMgf1), sha384})))}));
  auto parsed = parse_subject_public_key_info(pss_spki(key_->public_params(), params));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code, ErrorCode::unsupported_certificate);
}

}  // namespace
}  // namespace bastion::x509
