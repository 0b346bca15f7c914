// Certificates with their keys: encrypted PKCS#8, the key matching its leaf, and keys that live
// outside the library (SigningKey), used by real handshakes in both versions and both roles.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>

#include "crypto/provider.hpp"
#include "handshake/signature_scheme.hpp"
#include "unit/conn/loopback.hpp"

namespace bastion::test {
namespace {

// kEcdsaKeyPem encrypted with "correct-horse": PBKDF2 with AES-256-CBC, then scrypt (openssl
// pkcs8 -topk8 -v2 aes-256-cbc, and -scrypt), and in the legacy PEM encryption (openssl pkey
// -aes256 -traditional).
constexpr const char* kEncryptedPbkdf2 = R"(-----BEGIN ENCRYPTED PRIVATE KEY-----
MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjJsM/wzJp8GQICCAAw
DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEDz1VBR0QO6k1GTr42jgKFMEgZAZ
HzKXm1lFSc1qpD9zWWGNvcQgygF0E83ihWSK2EarsC3Tb2eQK91ckTUixiqylAre
yEwNRaAzFojhsKFaZH8ACrJxDjKOLPlZOqOfDB6FnuJFKKI8zduBfap6N+d/8Bbs
4csPDk+IgU40pJrpU+rCLCa5twQ/kF5aYAqF40AMuXiUWCBWyXxzVMUvhl42ur0=
-----END ENCRYPTED PRIVATE KEY-----
)";
constexpr const char* kEncryptedScrypt = R"(-----BEGIN ENCRYPTED PRIVATE KEY-----
MIHkME8GCSqGSIb3DQEFDTBCMCEGCSsGAQQB2kcECzAUBAg5GEjFYulb1gICQAAC
AQgCAQEwHQYJYIZIAWUDBAEqBBACr+2zRrUS9vD5z2GFZIlSBIGQSXJ+bMC9Ukt4
ZIV5RP8MIpid4ubmTM5HToHAur6LivwMDAEfwodzx13RWOMt1Kmxoir/jcZbFnem
2blN9Op/ONCQdnkO1witcfroH5Y6n8s95Tlx3nupXY6M6UbFneN2N7hNunYW8up6
bpSVSz1TTwa+Z27cMNEsCwcupo4viPu5KwTssaVo0E89kfkzRvpn
-----END ENCRYPTED PRIVATE KEY-----
)";
constexpr const char* kLegacyEncrypted = R"(-----BEGIN EC PRIVATE KEY-----
Proc-Type: 4,ENCRYPTED
DEK-Info: AES-256-CBC,581D05A1F218424AE7037DD8EB2F1C85

SHLuOWFfz/OuqYHjA2hBFiGDdFdB8SiPXbqGkMu9q3gWVbk9pI3pLVmI3sepyEPl
i3OFw0DGqMhRCu/q6jqPBMGLWMR1xYLsS+iYDUkbMOw3kD7le8yDGWGxGlJFsBL9
HausdiJGWAMl44GWktOgTbom++jnT6u/pKxMQGoRwCU=
-----END EC PRIVATE KEY-----
)";

Result<std::shared_ptr<const CertifiedKey>> load(const char* key_pem, std::string_view pass) {
  return CertifiedKey::from_pem(kEcdsaCertPem, key_pem, default_provider(), pass);
}

void expect_handshake_with(std::shared_ptr<const CertifiedKey> key) {
  ServerOptions server;
  server.certificates = {std::move(key)};
  auto pair = make_pair(client_options_trusting(kEcdsaCertPem), std::move(server));
  ASSERT_OK(pump(pair.client, pair.server));
  EXPECT_TRUE(pair.client.handshake_complete());
  EXPECT_TRUE(pair.client.info().peer_verified);
}

TEST(EncryptedKey, OpensWithItsPassphrase) {
  for (const char* pem : {kEncryptedPbkdf2, kEncryptedScrypt}) {
    auto key = load(pem, "correct-horse");
    ASSERT_TRUE(key.ok()) << key.error().message();
    expect_handshake_with(*key);
  }
}

TEST(EncryptedKey, WithoutAPassphraseSaysOneIsNeeded) {
  auto key = load(kEncryptedPbkdf2, "");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, ErrorCode::invalid_key);
  EXPECT_NE(key.error().detail.find("passphrase is needed"), std::string::npos)
      << key.error().message();
}

TEST(EncryptedKey, AWrongPassphraseIsRefused) {
  for (const char* pem : {kEncryptedPbkdf2, kEncryptedScrypt}) {
    auto key = load(pem, "battery-staple");
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.error().code, ErrorCode::invalid_key);
    EXPECT_NE(key.error().detail.find("wrong passphrase"), std::string::npos)
        << key.error().message();
  }
}

TEST(EncryptedKey, LegacyPemEncryptionIsRefusedWithAWayOut) {
  auto key = load(kLegacyEncrypted, "correct-horse");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, ErrorCode::invalid_key);
  EXPECT_NE(key.error().detail.find("openssl pkcs8 -topk8"), std::string::npos)
      << key.error().message();
}

TEST(EncryptedKey, APassphraseForAPlainKeyIsIgnored) {
  auto key = load(kEcdsaKeyPem, "unused");
  ASSERT_TRUE(key.ok()) << key.error().message();
}

TEST(CertifiedKeyMatch, AKeyThatIsNotTheLeafsIsRefused) {
  auto other_ec = CertifiedKey::from_pem(kEcdsaCertPem, kP384KeyPem, default_provider());
  ASSERT_FALSE(other_ec.ok());
  EXPECT_EQ(other_ec.error().code, ErrorCode::invalid_key);
  EXPECT_NE(other_ec.error().detail.find("not the key of the leaf"), std::string::npos);
  auto rsa_for_ec = CertifiedKey::from_pem(kEcdsaCertPem, kRsaKeyPem, default_provider());
  ASSERT_FALSE(rsa_for_ec.ok());
  EXPECT_EQ(rsa_for_ec.error().code, ErrorCode::invalid_key);
  auto matching = CertifiedKey::from_pem(kRsaCertPem, kRsaKeyPem, default_provider());
  EXPECT_TRUE(matching.ok()) << matching.error().message();
}

// A key "elsewhere": the test's stand-in for an HSM signs with a key the library loaded, and
// counts what it was asked.
class CountingSigner : public SigningKey {
 public:
  enum class Mode { sign, fail, throw_, garbage };
  CountingSigner(const char* key_pem, Mode mode) : mode_(mode) {
    auto key = default_provider()->load_private_key_pem(key_pem, {});
    EXPECT_TRUE(key.ok());
    key_ = std::move(key).value();
  }
  Result<std::vector<uint8_t>> sign(SignatureScheme scheme,
                                    std::span<const uint8_t> message) const override {
    ++calls;
    last_scheme = scheme;
    switch (mode_) {
      case Mode::fail:
        return Error{ErrorCode::crypto_failure, "the token is unplugged"};
      case Mode::throw_:
        throw std::runtime_error("the token caught fire");
      case Mode::garbage:
        return std::vector<uint8_t>(64, 0x5a);
      case Mode::sign:
        break;
    }
    auto info = handshake::tls12_scheme(scheme);
    if (!info) return Error{ErrorCode::internal_error, "unknown scheme"};
    return key_->sign(info->alg, message);
  }
  mutable std::atomic<int> calls{0};
  mutable std::atomic<SignatureScheme> last_scheme{};

 private:
  Mode mode_;
  std::unique_ptr<crypto::PrivateKey> key_;
};

std::shared_ptr<const CertifiedKey> signing_certified_key(const char* cert_pem,
                                                          std::shared_ptr<CountingSigner> signer) {
  auto chain = parse_pem_certificates(cert_pem);
  EXPECT_TRUE(chain.ok());
  auto key = CertifiedKey::from_signing_key(std::move(chain).value(), std::move(signer));
  EXPECT_TRUE(key.ok()) << key.error().message();
  return key.ok() ? *key : nullptr;
}

TEST(SigningKey, ServerSignsThroughItInBothVersions) {
  struct Case {
    const char* cert;
    const char* key;
    ProtocolVersion version;
  };
  for (auto c : {Case{kEcdsaCertPem, kEcdsaKeyPem, ProtocolVersion::tls13},
                 Case{kEcdsaCertPem, kEcdsaKeyPem, ProtocolVersion::tls12},
                 Case{kRsaCertPem, kRsaKeyPem, ProtocolVersion::tls13},
                 Case{kRsaCertPem, kRsaKeyPem, ProtocolVersion::tls12},
                 Case{kEd25519CertPem, kEd25519KeyPem, ProtocolVersion::tls13}}) {
    auto signer = std::make_shared<CountingSigner>(c.key, CountingSigner::Mode::sign);
    ServerOptions server;
    server.certificates = {signing_certified_key(c.cert, signer)};
    auto client = client_options_trusting(c.cert);
    client.max_version = c.version;
    auto pair = make_pair(std::move(client), std::move(server));
    ASSERT_OK(pump(pair.client, pair.server));
    ConnectionInfo info = pair.client.info();
    EXPECT_EQ(info.version, c.version);
    EXPECT_TRUE(info.peer_verified);
    EXPECT_EQ(signer->calls.load(), 1);
    EXPECT_EQ(info.peer_signature_scheme, signer->last_scheme.load());
  }
}

TEST(SigningKey, ClientCertificateSignsThroughIt) {
  for (auto version : {ProtocolVersion::tls13, ProtocolVersion::tls12}) {
    auto signer = std::make_shared<CountingSigner>(kRsaKeyPem, CountingSigner::Mode::sign);
    auto client = client_options_trusting(kEcdsaCertPem);
    client.max_version = version;
    client.client_certificate = signing_certified_key(kRsaCertPem, signer);
    auto server = server_options_with(kEcdsaCertPem, kEcdsaKeyPem);
    server.client_auth = ClientAuth::require;
    server.client_verifier = exact_certificate_verifier({first_der(kRsaCertPem)});
    auto pair = make_pair(std::move(client), std::move(server));
    ASSERT_OK(pump(pair.client, pair.server));
    EXPECT_TRUE(pair.server.info().peer_verified);
    EXPECT_EQ(signer->calls.load(), 1);
  }
}

TEST(SigningKey, ItsFailuresEndTheHandshakeOnly) {
  for (auto mode : {CountingSigner::Mode::fail, CountingSigner::Mode::throw_}) {
    auto signer = std::make_shared<CountingSigner>(kEcdsaKeyPem, mode);
    ServerOptions server;
    server.certificates = {signing_certified_key(kEcdsaCertPem, signer)};
    auto pair = make_pair(client_options_trusting(kEcdsaCertPem), std::move(server));
    EXPECT_FALSE(pump(pair.client, pair.server).ok());
    ASSERT_TRUE(pair.server.error().has_value());
    EXPECT_EQ(pair.server.error()->code, ErrorCode::crypto_failure);
    EXPECT_NE(pair.server.error()->detail.find("signing key"), std::string::npos);
    ASSERT_TRUE(pair.client.error().has_value());
    EXPECT_EQ(pair.client.error()->received, Alert::internal_error);
  }
}

TEST(SigningKey, ABadSignatureIsCaughtByThePeer) {
  auto signer = std::make_shared<CountingSigner>(kEcdsaKeyPem, CountingSigner::Mode::garbage);
  ServerOptions server;
  server.certificates = {signing_certified_key(kEcdsaCertPem, signer)};
  auto pair = make_pair(client_options_trusting(kEcdsaCertPem), std::move(server));
  EXPECT_FALSE(pump(pair.client, pair.server).ok());
  ASSERT_TRUE(pair.client.error().has_value());
  EXPECT_EQ(pair.client.error()->code, ErrorCode::bad_signature);
}

TEST(SigningKey, NeedsAKeyAndALeaf) {
  auto chain = parse_pem_certificates(kEcdsaCertPem);
  ASSERT_TRUE(chain.ok());
  EXPECT_EQ(CertifiedKey::from_signing_key(*chain, nullptr).error().code, ErrorCode::invalid_key);
  auto signer = std::make_shared<CountingSigner>(kEcdsaKeyPem, CountingSigner::Mode::sign);
  EXPECT_EQ(CertifiedKey::from_signing_key({}, signer).error().code, ErrorCode::invalid_key);
}

}  // namespace
}  // namespace bastion::test
