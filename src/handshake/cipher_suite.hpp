// The cipher suites (RFC 8446 §B.4 for TLS 1.3; RFC 5288, 5289 and 7905 for TLS 1.2): what each
// one means to the record layer, the key schedule and the choice of certificate.
#pragma once

#include <array>
#include <cstddef>
#include <optional>

#include "bastion/types.hpp"
#include "crypto/provider.hpp"

namespace bastion::handshake {

// How a TLS 1.2 suite agrees on the pre-master secret; TLS 1.3 suites leave it to the
// handshake.
enum class KeyExchange : uint8_t { tls13, ecdhe, rsa };
// Which server keys a TLS 1.2 suite can be used with (RFC 8422 §5.1.1: ECDSA suites also with
// EdDSA keys).
enum class ServerAuth : uint8_t { any, ecdsa, rsa };

struct CipherSuiteInfo {
  CipherSuite suite;
  crypto::AeadAlg aead;
  crypto::HashAlg hash;  // the HKDF, PRF and transcript hash
  size_t key_length;     // AEAD key length in bytes
  size_t hash_length;    // Hash.length in RFC 8446 §7.1
  ProtocolVersion version = ProtocolVersion::tls13;
  KeyExchange kx = KeyExchange::tls13;
  ServerAuth auth = ServerAuth::any;

  // Whether a server key of this type can authenticate this suite.
  constexpr bool allows_key(crypto::KeyType type) const {
    // An RSA-PSS key signs only: it cannot decrypt a pre-master secret.
    if (kx == KeyExchange::rsa) return type == crypto::KeyType::rsa;
    switch (auth) {
      case ServerAuth::any:
        return true;
      case ServerAuth::rsa:
        return type == crypto::KeyType::rsa || type == crypto::KeyType::rsa_pss;
      case ServerAuth::ecdsa:
        return type != crypto::KeyType::rsa && type != crypto::KeyType::rsa_pss;
    }
    return false;
  }
};

using crypto::AeadAlg;
using crypto::HashAlg;

inline constexpr std::array<CipherSuiteInfo, 13> kCipherSuites{{
    {CipherSuite::tls_aes_128_gcm_sha256, AeadAlg::aes_128_gcm, HashAlg::sha256, 16, 32},
    {CipherSuite::tls_aes_256_gcm_sha384, AeadAlg::aes_256_gcm, HashAlg::sha384, 32, 48},
    {CipherSuite::tls_chacha20_poly1305_sha256, AeadAlg::chacha20_poly1305, HashAlg::sha256, 32,
     32},
    {CipherSuite::tls_aes_128_ccm_sha256, AeadAlg::aes_128_ccm, HashAlg::sha256, 16, 32},
    {CipherSuite::tls_aes_128_ccm_8_sha256, AeadAlg::aes_128_ccm_8, HashAlg::sha256, 16, 32},
    {CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256, AeadAlg::aes_128_gcm, HashAlg::sha256,
     16, 32, ProtocolVersion::tls12, KeyExchange::ecdhe, ServerAuth::ecdsa},
    {CipherSuite::tls_ecdhe_rsa_with_aes_128_gcm_sha256, AeadAlg::aes_128_gcm, HashAlg::sha256, 16,
     32, ProtocolVersion::tls12, KeyExchange::ecdhe, ServerAuth::rsa},
    {CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384, AeadAlg::aes_256_gcm, HashAlg::sha384,
     32, 48, ProtocolVersion::tls12, KeyExchange::ecdhe, ServerAuth::ecdsa},
    {CipherSuite::tls_ecdhe_rsa_with_aes_256_gcm_sha384, AeadAlg::aes_256_gcm, HashAlg::sha384, 32,
     48, ProtocolVersion::tls12, KeyExchange::ecdhe, ServerAuth::rsa},
    {CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256, AeadAlg::chacha20_poly1305,
     HashAlg::sha256, 32, 32, ProtocolVersion::tls12, KeyExchange::ecdhe, ServerAuth::ecdsa},
    {CipherSuite::tls_ecdhe_rsa_with_chacha20_poly1305_sha256, AeadAlg::chacha20_poly1305,
     HashAlg::sha256, 32, 32, ProtocolVersion::tls12, KeyExchange::ecdhe, ServerAuth::rsa},
    {CipherSuite::tls_rsa_with_aes_128_gcm_sha256, AeadAlg::aes_128_gcm, HashAlg::sha256, 16, 32,
     ProtocolVersion::tls12, KeyExchange::rsa, ServerAuth::rsa},
    {CipherSuite::tls_rsa_with_aes_256_gcm_sha384, AeadAlg::aes_256_gcm, HashAlg::sha384, 32, 48,
     ProtocolVersion::tls12, KeyExchange::rsa, ServerAuth::rsa},
}};

// The suite with this code point, of any version, or nullptr.
constexpr const CipherSuiteInfo* find_any_suite(CipherSuite suite) {
  for (const CipherSuiteInfo& info : kCipherSuites) {
    if (info.suite == suite) return &info;
  }
  return nullptr;
}

// The suite with this code point if it belongs to `version`, or nullptr.
constexpr const CipherSuiteInfo* find_suite(ProtocolVersion version, CipherSuite suite) {
  const CipherSuiteInfo* info = find_any_suite(suite);
  return info && info->version == version ? info : nullptr;
}

// The TLS 1.3 suite with this code point, or nullptr (TLS 1.2 suites and unknown values).
constexpr const CipherSuiteInfo* find_cipher_suite(CipherSuite suite) {
  return find_suite(ProtocolVersion::tls13, suite);
}

// RFC 5746 §3.3 and RFC 7507 §2: signalling values that appear among a ClientHello's suites.
inline constexpr CipherSuite kEmptyRenegotiationInfoScsv = static_cast<CipherSuite>(0x00ff);
inline constexpr CipherSuite kFallbackScsv = static_cast<CipherSuite>(0x5600);

}  // namespace bastion::handshake
