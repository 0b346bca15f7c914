#include "handshake/traffic_secret.hpp"

namespace bastion::handshake {

record::Protection traffic_protection(const Hkdf& hkdf, crypto::AeadAlg aead,
                                      const Secret& traffic_secret) {
  const PreparedSecret secret(hkdf, traffic_secret);
  record::Protection p;
  p.aead = aead;
  p.key = secret.expand_label("key", {}, crypto::aead_key_length(aead));
  p.iv = secret.expand_label("iv", {}, crypto::kAeadNonceLength);
  p.version = record::RecordVersion::tls13;
  p.nonce = record::NonceRule::xor_sequence;
  return p;
}

void TrafficSecret::advance() {
  secret_ = hkdf_.expand_label(secret_, "traffic upd", {}, hkdf_.hash_length());
}

}  // namespace bastion::handshake
