#include <gtest/gtest.h>

#include <map>
#include <string>

#include "crypto/provider.hpp"
#include "unit/crypto/hex.hpp"
#include "unit/crypto/key_fixtures.hpp"

namespace bastion::crypto {
namespace {

constexpr SigAlg kAllSigAlgs[] = {
    SigAlg::rsa_pkcs1_sha256,
    SigAlg::rsa_pkcs1_sha384,
    SigAlg::rsa_pkcs1_sha512,
    SigAlg::rsa_pss_sha256,
    SigAlg::rsa_pss_sha384,
    SigAlg::rsa_pss_sha512,
    SigAlg::ecdsa_sha256,
    SigAlg::ecdsa_sha384,
    SigAlg::ecdsa_sha512,
    SigAlg::ed25519,
    SigAlg::ed448,
};

// Whether the key type can make `alg` signatures (no RSASSA-PSS restriction).
bool fits(KeyType type, SigAlg alg) {
  return key_permits(type, std::nullopt, alg);
}

class KeysTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    provider_holder_ = new std::shared_ptr<const Provider>(openssl_provider());
    provider_ = provider_holder_->get();
    keys_ = new std::map<KeyType, std::shared_ptr<PrivateKey>>();
    const std::pair<KeyType, size_t> specs[] = {
        {KeyType::rsa, 2048},  {KeyType::rsa_pss, 2048}, {KeyType::ec_p256, 0},
        {KeyType::ec_p384, 0}, {KeyType::ec_p521, 0},    {KeyType::ed25519, 0},
        {KeyType::ed448, 0},
    };
    for (auto [type, bits] : specs) {
      auto key = provider_->generate_private_key(type, bits);
      ASSERT_TRUE(key.ok()) << key.error().message();
      (*keys_)[type] = std::move(*key);
    }
  }
  static void TearDownTestSuite() {
    delete keys_;
    delete provider_holder_;
  }

  static std::unique_ptr<PublicKey> public_of(const PrivateKey& key) {
    auto pub = provider_->import_public_key(key.public_params());
    EXPECT_TRUE(pub.ok()) << (pub.ok() ? "" : pub.error().message());
    return pub.ok() ? std::move(*pub) : nullptr;
  }

  static std::unique_ptr<PrivateKey> load(std::string_view pem) {
    auto key = provider_->load_private_key_pem(pem, {});
    EXPECT_TRUE(key.ok()) << (key.ok() ? "" : key.error().message());
    return key.ok() ? std::move(*key) : nullptr;
  }

  static void expect_invalid_key(std::string_view pem) {
    auto key = provider_->load_private_key_pem(pem, {});
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.error().code, ErrorCode::invalid_key) << key.error().message();
    EXPECT_FALSE(key.error().detail.empty());
  }

  static inline std::shared_ptr<const Provider>* provider_holder_ = nullptr;
  static inline const Provider* provider_ = nullptr;
  static inline std::map<KeyType, std::shared_ptr<PrivateKey>>* keys_ = nullptr;
};

TEST_F(KeysTest, GeneratedKeyTypesAndSizes) {
  EXPECT_EQ(keys_->at(KeyType::rsa)->bits(), 2048u);
  EXPECT_EQ(keys_->at(KeyType::rsa_pss)->bits(), 2048u);
  EXPECT_EQ(keys_->at(KeyType::ec_p256)->bits(), 256u);
  EXPECT_EQ(keys_->at(KeyType::ec_p384)->bits(), 384u);
  EXPECT_EQ(keys_->at(KeyType::ec_p521)->bits(), 521u);
  for (const auto& [type, key] : *keys_) {
    EXPECT_EQ(key->type(), type);
    const auto params = key->public_params();
    EXPECT_EQ(params.type, type);
    auto pub = public_of(*key);
    ASSERT_NE(pub, nullptr);
    EXPECT_EQ(pub->type(), type);
    EXPECT_EQ(pub->bits(), key->bits());
  }
  const auto p256 = keys_->at(KeyType::ec_p256)->public_params();
  ASSERT_EQ(p256.point.size(), 65u);
  EXPECT_EQ(p256.point[0], 0x04);
  EXPECT_EQ(keys_->at(KeyType::ec_p521)->public_params().point.size(), 133u);
  EXPECT_EQ(keys_->at(KeyType::ed25519)->public_params().point.size(), 32u);
  const auto rsa = keys_->at(KeyType::rsa)->public_params();
  EXPECT_EQ(rsa.rsa_modulus.size(), 256u);
  EXPECT_EQ(to_hex(rsa.rsa_exponent), "010001");
}

TEST_F(KeysTest, SignVerifyEverySigAlg) {
  const auto message = as_bytes("CertificateVerify content");
  for (const auto& [type, key] : *keys_) {
    auto pub = public_of(*key);
    ASSERT_NE(pub, nullptr);
    for (SigAlg alg : kAllSigAlgs) {
      SCOPED_TRACE(testing::Message()
                   << "key " << static_cast<int>(type) << " alg " << static_cast<int>(alg));
      auto sig = key->sign(alg, message);
      if (!fits(type, alg)) {
        ASSERT_FALSE(sig.ok());
        EXPECT_EQ(sig.error().code, ErrorCode::invalid_key);
        auto v = pub->verify(alg, message, std::vector<uint8_t>(64, 1));
        ASSERT_FALSE(v.ok());
        EXPECT_EQ(v.error().code, ErrorCode::bad_signature);
        continue;
      }
      ASSERT_TRUE(sig.ok()) << sig.error().message();
      EXPECT_TRUE(pub->verify(alg, message, *sig).ok());

      std::vector<uint8_t> tampered_message(message.begin(), message.end());
      tampered_message[0] ^= 1;
      auto v1 = pub->verify(alg, tampered_message, *sig);
      ASSERT_FALSE(v1.ok());
      EXPECT_EQ(v1.error().code, ErrorCode::bad_signature);

      auto tampered_sig = *sig;
      tampered_sig[tampered_sig.size() / 2] ^= 0x10;
      EXPECT_FALSE(pub->verify(alg, message, tampered_sig).ok());
      EXPECT_FALSE(pub->verify(alg, message, {}).ok());
    }
  }
}

TEST_F(KeysTest, SignatureDoesNotVerifyUnderOtherAlgorithmOrKey) {
  const auto message = as_bytes("m");
  auto rsa = keys_->at(KeyType::rsa);
  auto pub = public_of(*rsa);
  auto pss = rsa->sign(SigAlg::rsa_pss_sha256, message);
  ASSERT_TRUE(pss.ok());
  EXPECT_FALSE(pub->verify(SigAlg::rsa_pss_sha384, message, *pss).ok());
  EXPECT_FALSE(pub->verify(SigAlg::rsa_pkcs1_sha256, message, *pss).ok());
  auto other = public_of(*keys_->at(KeyType::rsa_pss));
  EXPECT_FALSE(other->verify(SigAlg::rsa_pss_sha256, message, *pss).ok());
  // PSS signing is randomised; PKCS#1 v1.5 is deterministic.
  auto pss2 = rsa->sign(SigAlg::rsa_pss_sha256, message);
  EXPECT_NE(*pss, *pss2);
  EXPECT_EQ(*rsa->sign(SigAlg::rsa_pkcs1_sha256, message),
            *rsa->sign(SigAlg::rsa_pkcs1_sha256, message));
}

TEST_F(KeysTest, EcdsaRequiresDer) {
  auto key = keys_->at(KeyType::ec_p256);
  auto pub = public_of(*key);
  const auto message = as_bytes("m");
  auto sig = key->sign(SigAlg::ecdsa_sha256, message);
  ASSERT_TRUE(sig.ok());
  ASSERT_EQ((*sig)[0], 0x30);  // SEQUENCE
  // Trailing garbage after the DER SEQUENCE.
  auto trailing = *sig;
  trailing.push_back(0);
  EXPECT_FALSE(pub->verify(SigAlg::ecdsa_sha256, message, trailing).ok());
  // A raw 64-byte r||s is not accepted.
  EXPECT_FALSE(pub->verify(SigAlg::ecdsa_sha256, message, std::vector<uint8_t>(64, 0x11)).ok());
}

TEST_F(KeysTest, Pkcs8PemRoundTrip) {
  for (const auto& [type, key] : *keys_) {
    SCOPED_TRACE(static_cast<int>(type));
    const std::string pem = key->to_pkcs8_pem();
    EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u) << pem;
    auto again = load(pem);
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(again->type(), type);
    const auto a = key->public_params();
    const auto b = again->public_params();
    EXPECT_EQ(a.point, b.point);
    EXPECT_EQ(a.rsa_modulus, b.rsa_modulus);
    EXPECT_EQ(a.rsa_exponent, b.rsa_exponent);
  }
}

TEST_F(KeysTest, LoadsEachPemFormat) {
  struct Case {
    const char* pem;
    KeyType type;
    size_t bits;
  };
  for (auto c : {Case{fixtures::kP256Pkcs8, KeyType::ec_p256, 256},
                 Case{fixtures::kP384Sec1, KeyType::ec_p384, 384},
                 Case{fixtures::kP384Sec1Compressed, KeyType::ec_p384, 384},
                 Case{fixtures::kRsaPkcs1, KeyType::rsa, 2048},
                 Case{fixtures::kRsaPssPkcs8, KeyType::rsa_pss, 2048},
                 Case{fixtures::kEd25519Pkcs8, KeyType::ed25519, 256}}) {
    SCOPED_TRACE(std::string_view(c.pem).substr(0, 40));
    auto key = load(c.pem);
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(key->type(), c.type);
    EXPECT_EQ(key->bits(), c.bits);
  }
}

TEST_F(KeysTest, CompressedSec1KeyGivesUncompressedPoint) {
  auto plain = load(fixtures::kP384Sec1);
  auto compressed = load(fixtures::kP384Sec1Compressed);
  ASSERT_NE(plain, nullptr);
  ASSERT_NE(compressed, nullptr);
  EXPECT_EQ(to_hex(plain->public_params().point), fixtures::kP384Point);
  EXPECT_EQ(to_hex(compressed->public_params().point), fixtures::kP384Point);
}

// Signatures made by the openssl command line verify with keys imported from public_params().
TEST_F(KeysTest, VerifiesOpensslSignatures) {
  struct Case {
    const char* pem;
    SigAlg alg;
    const char* sig;
  };
  const auto message = as_bytes(fixtures::kSignedMessage);
  for (auto c : {Case{fixtures::kP256Pkcs8, SigAlg::ecdsa_sha256, fixtures::kP256EcdsaSha256Sig},
                 Case{fixtures::kRsaPkcs1, SigAlg::rsa_pkcs1_sha384, fixtures::kRsaPkcs1Sha384Sig},
                 Case{fixtures::kRsaPkcs1, SigAlg::rsa_pss_sha256, fixtures::kRsaPssSha256Sig},
                 Case{fixtures::kEd25519Pkcs8, SigAlg::ed25519, fixtures::kEd25519Sig}}) {
    SCOPED_TRACE(static_cast<int>(c.alg));
    auto key = load(c.pem);
    ASSERT_NE(key, nullptr);
    auto pub = public_of(*key);
    ASSERT_NE(pub, nullptr);
    const auto sig = from_hex(c.sig);
    EXPECT_TRUE(pub->verify(c.alg, message, sig).ok());
    EXPECT_FALSE(pub->verify(c.alg, as_bytes("hello bastion!"), sig).ok());
  }
}

TEST_F(KeysTest, RsaPssKeyOnlySignsPss) {
  auto key = load(fixtures::kRsaPssPkcs8);
  ASSERT_NE(key, nullptr);
  auto pub = public_of(*key);
  ASSERT_NE(pub, nullptr);
  EXPECT_EQ(pub->type(), KeyType::rsa_pss);
  const auto message = as_bytes("m");
  auto sig = key->sign(SigAlg::rsa_pss_sha512, message);
  ASSERT_TRUE(sig.ok()) << sig.error().message();
  EXPECT_TRUE(pub->verify(SigAlg::rsa_pss_sha512, message, *sig).ok());
  EXPECT_EQ(key->sign(SigAlg::rsa_pkcs1_sha256, message).error().code, ErrorCode::invalid_key);
  // A PKCS#1 v1.5 signature from an ordinary RSA key with the same numbers is refused, not
  // just unverified.
  auto v = pub->verify(SigAlg::rsa_pkcs1_sha256, message, *sig);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::bad_signature);
}

TEST_F(KeysTest, RejectsBadPem) {
  expect_invalid_key("");
  expect_invalid_key("garbage");
  expect_invalid_key("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
  std::string truncated(fixtures::kRsaPkcs1);
  truncated.erase(truncated.size() / 2);
  expect_invalid_key(truncated);
  std::string corrupted(fixtures::kP256Pkcs8);
  corrupted[40] = corrupted[40] == 'A' ? 'B' : 'A';
  expect_invalid_key(corrupted);
  // Encrypted keys are refused without prompting for a passphrase.
  expect_invalid_key(fixtures::kP256Encrypted);
  // Curves other than P-256/384/521.
  expect_invalid_key(fixtures::kSecp256k1Sec1);
}

TEST_F(KeysTest, RejectsBadGenerateRequests) {
  auto r = provider_->generate_private_key(KeyType::rsa, 1024);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::invalid_key);
}

void expect_import_fails(const Provider& provider, const PublicKeyParams& params) {
  auto r = provider.import_public_key(params);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::invalid_key) << r.error().message();
}

TEST_F(KeysTest, RejectsBadPublicKeys) {
  const auto good = keys_->at(KeyType::ec_p256)->public_params();
  auto p = good;
  p.point.pop_back();
  expect_import_fails(*provider_, p);
  p = good;
  p.point.back() ^= 1;  // off the curve
  expect_import_fails(*provider_, p);
  p = good;
  p.point.assign(65, 0);
  expect_import_fails(*provider_, p);
  p = good;
  p.point = {0};  // infinity
  expect_import_fails(*provider_, p);
  p = good;
  p.type = KeyType::ec_p384;  // a P-256 point for a P-384 key
  expect_import_fails(*provider_, p);

  PublicKeyParams ed;
  ed.type = KeyType::ed25519;
  ed.point.assign(31, 1);
  expect_import_fails(*provider_, ed);

  auto rsa = keys_->at(KeyType::rsa)->public_params();
  auto r = rsa;
  r.rsa_modulus.clear();
  expect_import_fails(*provider_, r);
  r = rsa;
  r.rsa_exponent.clear();
  expect_import_fails(*provider_, r);
  r = rsa;
  r.rsa_exponent = {0, 0};
  expect_import_fails(*provider_, r);
  r = rsa;
  r.rsa_modulus.assign(16384 / 8 + 1, 0xff);
  expect_import_fails(*provider_, r);
}

TEST_F(KeysTest, RsaModulusWithLeadingZeroImports) {
  auto params = keys_->at(KeyType::rsa)->public_params();
  params.rsa_modulus.insert(params.rsa_modulus.begin(), 0);
  auto pub = provider_->import_public_key(params);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ((*pub)->bits(), 2048u);
}

}  // namespace
}  // namespace bastion::crypto

namespace bastion::crypto {
namespace {

class RsaKeyTransport : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = provider_->generate_private_key(KeyType::rsa, 2048);
    ASSERT_TRUE(key.ok());
    key_ = std::move(*key);
    auto pub = provider_->import_public_key(key_->public_params());
    ASSERT_TRUE(pub.ok());
    public_ = std::move(*pub);
  }
  std::vector<uint8_t> pre_master(uint8_t major, uint8_t minor) {
    std::vector<uint8_t> pms(48, 0x5c);
    pms[0] = major;
    pms[1] = minor;
    return pms;
  }
  std::vector<uint8_t> decrypt(std::span<const uint8_t> ciphertext) {
    std::vector<uint8_t> out(48);
    EXPECT_TRUE(key_->decrypt_pre_master(ciphertext, 0x0303, out));
    return out;
  }

  std::shared_ptr<const Provider> provider_ = openssl_provider();
  std::unique_ptr<PrivateKey> key_;
  std::unique_ptr<PublicKey> public_;
};

TEST_F(RsaKeyTransport, ThePreMasterSecretComesBack) {
  const auto pms = pre_master(3, 3);
  auto ciphertext = public_->encrypt_pkcs1(pms);
  ASSERT_TRUE(ciphertext.ok());
  EXPECT_EQ(ciphertext->size(), 256u);
  EXPECT_EQ(decrypt(*ciphertext), pms);
}

TEST_F(RsaKeyTransport, AnythingWrongGivesARandomSecretAndNoError) {
  // RFC 5246 §7.4.7.1: a wrong version, bad padding or a wrong length all go on with a random
  // pre-master secret; the caller cannot tell them from a good one.
  const auto wrong_version = pre_master(3, 1);
  auto ciphertext = public_->encrypt_pkcs1(wrong_version);
  ASSERT_TRUE(ciphertext.ok());
  EXPECT_NE(decrypt(*ciphertext), wrong_version);
  auto short_secret = public_->encrypt_pkcs1(std::vector<uint8_t>(47, 3));
  ASSERT_TRUE(short_secret.ok());
  EXPECT_EQ(decrypt(*short_secret).size(), 48u);
  std::vector<uint8_t> garbage(256, 0x42);
  const auto a = decrypt(garbage);
  EXPECT_EQ(a.size(), 48u);
  EXPECT_NE(a, std::vector<uint8_t>(48, 0));
  EXPECT_EQ(decrypt(std::vector<uint8_t>(17, 1)).size(), 48u);  // wrong length
  EXPECT_EQ(decrypt({}).size(), 48u);
}

TEST_F(RsaKeyTransport, OnlyRsaKeysTakePart) {
  auto ec = provider_->generate_private_key(KeyType::ec_p256, 0);
  ASSERT_TRUE(ec.ok());
  std::vector<uint8_t> out(48);
  EXPECT_FALSE((*ec)->decrypt_pre_master(std::vector<uint8_t>(32, 1), 0x0303, out));
  auto pub = provider_->import_public_key((*ec)->public_params());
  ASSERT_TRUE(pub.ok());
  EXPECT_FALSE((*pub)->encrypt_pkcs1(pre_master(3, 3)).ok());
}

}  // namespace
}  // namespace bastion::crypto
