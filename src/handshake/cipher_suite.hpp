// The TLS 1.3 cipher suites (RFC 8446 §B.4): what each one means to the record layer and the
// key schedule.
#pragma once

#include <array>
#include <cstddef>
#include <optional>

#include "bastion/types.hpp"
#include "crypto/provider.hpp"

namespace bastion::handshake {

struct CipherSuiteInfo {
  CipherSuite suite;
  crypto::AeadAlg aead;
  crypto::HashAlg hash;  // the HKDF and transcript hash
  size_t key_length;     // AEAD key length in bytes
  size_t hash_length;    // Hash.length in RFC 8446 §7.1
};

inline constexpr std::array<CipherSuiteInfo, 5> kTls13CipherSuites{{
    {CipherSuite::tls_aes_128_gcm_sha256, crypto::AeadAlg::aes_128_gcm, crypto::HashAlg::sha256, 16,
     32},
    {CipherSuite::tls_aes_256_gcm_sha384, crypto::AeadAlg::aes_256_gcm, crypto::HashAlg::sha384, 32,
     48},
    {CipherSuite::tls_chacha20_poly1305_sha256, crypto::AeadAlg::chacha20_poly1305,
     crypto::HashAlg::sha256, 32, 32},
    {CipherSuite::tls_aes_128_ccm_sha256, crypto::AeadAlg::aes_128_ccm, crypto::HashAlg::sha256, 16,
     32},
    {CipherSuite::tls_aes_128_ccm_8_sha256, crypto::AeadAlg::aes_128_ccm_8, crypto::HashAlg::sha256,
     16, 32},
}};

// The TLS 1.3 suite with this code point, or nullptr (TLS 1.2 suites and unknown values).
constexpr const CipherSuiteInfo* find_cipher_suite(CipherSuite suite) {
  for (const CipherSuiteInfo& info : kTls13CipherSuites) {
    if (info.suite == suite) return &info;
  }
  return nullptr;
}

}  // namespace bastion::handshake
