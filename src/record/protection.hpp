// What the handshake hands the record layer for one direction: the AEAD with its key and IV, and
// the version's rules for the per-record nonce and the additional data. The record layer derives
// no keys itself; the handshake computes them (handshake/traffic_secret.hpp for TLS 1.3,
// handshake/prf.hpp for TLS 1.2).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/secret.hpp"
#include "crypto/provider.hpp"

namespace bastion::record {

enum class RecordVersion : uint8_t {
  // RFC 8446 §5.2: the content type and padding inside the ciphertext, outer type
  // application_data, the record header as additional data.
  tls13,
  // RFC 5246 §6.2.3.3: the real content type outside, additional data
  // seq_num || type || version || length.
  tls12,
};

enum class NonceRule : uint8_t {
  // RFC 8446 §5.3, RFC 7905 §2: the 12-byte IV XOR the sequence number, left-padded.
  xor_sequence,
  // RFC 5288 §3: a 4-byte implicit salt and an 8-byte explicit nonce sent in front of the
  // ciphertext; Bastion sends the sequence number there.
  explicit_sequence,
};

struct Protection {
  crypto::AeadAlg aead = crypto::AeadAlg::aes_128_gcm;
  Secret key;  // aead_key_length(aead) bytes
  Secret iv;   // 12 bytes, or the 4-byte salt for explicit_sequence
  RecordVersion version = RecordVersion::tls13;
  NonceRule nonce = NonceRule::xor_sequence;

  Protection clone() const { return Protection{aead, key.clone(), iv.clone(), version, nonce}; }
};

// The bytes of explicit nonce each record carries under `rule`.
constexpr size_t explicit_nonce_length(NonceRule rule) {
  return rule == NonceRule::explicit_sequence ? 8 : 0;
}
// The length of the IV that `rule` takes.
constexpr size_t iv_length(NonceRule rule) {
  return rule == NonceRule::explicit_sequence ? 4 : crypto::kAeadNonceLength;
}

}  // namespace bastion::record
