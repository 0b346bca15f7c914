// The record protection the record fuzz target opens with, shared with the corpus generator
// that seals its seeds: mode 1..3 the TLS 1.3 suites from a fixed traffic secret, mode 4..6
// the TLS 1.2 suites ECDHE_ECDSA with AES-128-GCM, AES-256-GCM and ChaCha20 from a fixed master
// secret (the server's write keys).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "handshake/cipher_suite.hpp"
#include "handshake/prf.hpp"
#include "handshake/traffic_secret.hpp"
#include "record/protection.hpp"

namespace bastion::fuzz {

inline constexpr unsigned kRecordModes = 7;

inline constexpr std::array<uint8_t, 48> kTrafficSecret = {
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
    0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f};

// The protection of `mode` (1..6); nullopt for plaintext (0).
inline std::optional<record::Protection> record_protection(const crypto::Provider& provider,
                                                           unsigned mode) {
  if (mode == 0 || mode >= kRecordModes) return std::nullopt;
  if (mode <= 3) {
    const auto& suite = handshake::kCipherSuites[mode - 1];
    Secret secret(std::span<const uint8_t>(kTrafficSecret).first(crypto::hash_length(suite.hash)));
    return handshake::traffic_protection(handshake::Hkdf(provider, suite.hash), suite.aead, secret);
  }
  constexpr std::array kTls12Suites{CipherSuite::tls_ecdhe_ecdsa_with_aes_128_gcm_sha256,
                                    CipherSuite::tls_ecdhe_ecdsa_with_aes_256_gcm_sha384,
                                    CipherSuite::tls_ecdhe_ecdsa_with_chacha20_poly1305_sha256};
  const auto* suite = handshake::find_any_suite(kTls12Suites[mode - 4]);
  const Secret master(kTrafficSecret);
  const std::array<uint8_t, 32> random{};
  return handshake::key_block(provider, *suite, master, random, random).server_write;
}

}  // namespace bastion::fuzz
