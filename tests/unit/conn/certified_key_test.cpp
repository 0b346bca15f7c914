// Certificates with their keys: encrypted PKCS#8, the key matching its leaf, and keys that live
// outside the library (SigningKey), used by real handshakes in both versions and both roles.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
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

TEST(EncryptedKey, LegacyEncryptionIsRefusedHoweverItsHeaderIsSpelled) {
  // libcrypto reads all of these spellings; any PEM header on a key block is refused.
  const std::string legacy = kLegacyEncrypted;
  for (std::string_view spelling :
       {"Proc-Type:4,ENCRYPTED", "Proc-Type: 4, ENCRYPTED", "Proc-Type:\t4,ENCRYPTED"}) {
    std::string pem = legacy;
    pem.replace(pem.find("Proc-Type: 4,ENCRYPTED"), 22, spelling);
    auto key = load(pem.c_str(), "correct-horse");
    ASSERT_FALSE(key.ok()) << spelling;
    EXPECT_NE(key.error().detail.find("legacy PEM encryption"), std::string::npos)
        << spelling << ": " << key.error().message();
  }
}

TEST(EncryptedKey, TheFirstKeyBlockAloneDecides) {
  // A plain key first: it is the key, whatever follows (an encrypted block, or text that
  // merely names one).
  const std::string plain_then_encrypted = std::string(kEcdsaKeyPem) + kEncryptedPbkdf2;
  EXPECT_TRUE(load(plain_then_encrypted.c_str(), "").ok());
  const std::string comment =
      std::string("a note: -----BEGIN ENCRYPTED PRIVATE KEY----- is not here\n") + kEcdsaKeyPem;
  auto commented = load(comment.c_str(), "");
  EXPECT_TRUE(commented.ok()) << commented.error().message();
  // An encrypted key first needs its passphrase, even with a plain key after it.
  const std::string encrypted_then_plain = std::string(kEncryptedPbkdf2) + kEcdsaKeyPem;
  auto key = load(encrypted_then_plain.c_str(), "");
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().detail.find("passphrase is needed"), std::string::npos);
  EXPECT_TRUE(load(encrypted_then_plain.c_str(), "correct-horse").ok());
}

TEST(EncryptedKey, APassphraseTooLongForLibcryptoIsSaidSo) {
  const std::string long_passphrase(2000, 'x');
  auto key = load(kEncryptedPbkdf2, long_passphrase);
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().detail.find("longer than"), std::string::npos) << key.error().message();
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

TEST(CertifiedKeyFiles, ErrorsNameTheFileAtFault) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("bastion-certified-key-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto write = [&](const char* name, const char* text) {
    std::ofstream(dir / name) << text;
    return dir / name;
  };
  const auto cert = write("cert.pem", kEcdsaCertPem);
  const auto garbage = write("garbage.pem", "not a certificate\n");
  const auto key = write("key.pem", kEcdsaKeyPem);
  const auto other_key = write("other-key.pem", kP384KeyPem);
  auto bad_chain = CertifiedKey::from_pem_files(garbage, key, default_provider());
  ASSERT_FALSE(bad_chain.ok());
  EXPECT_EQ(bad_chain.error().detail.rfind(garbage.string() + ": ", 0), 0u)
      << bad_chain.error().detail;
  auto mismatch = CertifiedKey::from_pem_files(cert, other_key, default_provider());
  ASSERT_FALSE(mismatch.ok());
  EXPECT_EQ(mismatch.error().detail.rfind(other_key.string() + ": ", 0), 0u)
      << mismatch.error().detail;
  EXPECT_NE(mismatch.error().detail.find("not the key of " + cert.string()), std::string::npos);
  EXPECT_TRUE(CertifiedKey::from_pem_files(cert, key, default_provider()).ok());
  std::filesystem::remove_all(dir);
}

// A key "elsewhere": the test's stand-in for an HSM signs with a key the library loaded, and
// counts what it was asked. Its first `healthy` signatures are good whatever its mode (the
// test signature of from_signing_key is the first).
class CountingSigner : public SigningKey {
 public:
  enum class Mode { sign, fail, throw_, garbage };
  CountingSigner(const char* key_pem, Mode mode, int healthy = 1) : mode_(mode), healthy_(healthy) {
    auto key = default_provider()->load_private_key_pem(key_pem, {});
    EXPECT_TRUE(key.ok());
    key_ = std::move(key).value();
  }
  Result<std::vector<uint8_t>> sign(SignatureScheme scheme,
                                    std::span<const uint8_t> message) const override {
    const int call = calls++;
    last_scheme = scheme;
    switch (call < healthy_ ? Mode::sign : mode_) {
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
  int healthy_;
  std::unique_ptr<crypto::PrivateKey> key_;
};

std::shared_ptr<const CertifiedKey> signing_certified_key(const char* cert_pem,
                                                          std::shared_ptr<CountingSigner> signer) {
  auto chain = parse_pem_certificates(cert_pem);
  EXPECT_TRUE(chain.ok());
  auto key = CertifiedKey::from_signing_key(std::move(chain).value(), signer);
  EXPECT_TRUE(key.ok()) << key.error().message();
  EXPECT_EQ(signer->calls.load(), 1);  // the test signature
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
    EXPECT_EQ(signer->calls.load(), 2);  // the test signature, then the handshake's
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
    EXPECT_EQ(signer->calls.load(), 2);  // the test signature, then the handshake's
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

TEST(SigningKey, AKeyThatIsNotTheLeafsIsRefused) {
  auto chain = parse_pem_certificates(kEcdsaCertPem);
  ASSERT_TRUE(chain.ok());
  auto wrong = std::make_shared<CountingSigner>(kP384KeyPem, CountingSigner::Mode::sign);
  auto key = CertifiedKey::from_signing_key(*chain, wrong);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code, ErrorCode::invalid_key);
  EXPECT_NE(key.error().detail.find("not the key of the leaf"), std::string::npos);
  auto broken = std::make_shared<CountingSigner>(kEcdsaKeyPem, CountingSigner::Mode::fail, 0);
  auto failed = CertifiedKey::from_signing_key(*chain, broken);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().detail.find("unplugged"), std::string::npos);
}

TEST(SigningKey, IsNeverOfferedRsaKeyTransport) {
  // An RSA key kept elsewhere signs only: a server whose only suite is RSA key transport has
  // no suite to offer with it (handshake_failure at once), rather than failing later.
  auto signer = std::make_shared<CountingSigner>(kRsaKeyPem, CountingSigner::Mode::sign);
  ServerOptions server;
  server.certificates = {signing_certified_key(kRsaCertPem, signer)};
  server.cipher_suites = {CipherSuite::tls_rsa_with_aes_128_gcm_sha256};
  auto client = client_options_trusting(kRsaCertPem);
  client.max_version = ProtocolVersion::tls12;
  client.cipher_suites = {CipherSuite::tls_rsa_with_aes_128_gcm_sha256};
  auto pair = make_pair(std::move(client), std::move(server));
  EXPECT_FALSE(pump(pair.client, pair.server).ok());
  ASSERT_TRUE(pair.server.error().has_value());
  EXPECT_EQ(pair.server.error()->code, ErrorCode::no_common_cipher_suite);
  // The same suite with the key in memory works.
  ServerOptions in_memory = server_options_with(kRsaCertPem, kRsaKeyPem);
  in_memory.cipher_suites = {CipherSuite::tls_rsa_with_aes_128_gcm_sha256};
  auto plain_client = client_options_trusting(kRsaCertPem);
  plain_client.max_version = ProtocolVersion::tls12;
  plain_client.cipher_suites = {CipherSuite::tls_rsa_with_aes_128_gcm_sha256};
  auto plain = make_pair(std::move(plain_client), std::move(in_memory));
  ASSERT_OK(pump(plain.client, plain.server));
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
