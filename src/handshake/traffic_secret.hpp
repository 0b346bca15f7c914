// TLS 1.3 traffic keys (RFC 8446 §7.3) and the one place where KeyUpdate's next secret is
// computed (§7.2): what the handshake hands the record layer for each direction.
#pragma once

#include <optional>

#include "core/secret.hpp"
#include "crypto/provider.hpp"
#include "handshake/cipher_suite.hpp"
#include "handshake/hkdf.hpp"
#include "record/protection.hpp"

namespace bastion::handshake {

// RFC 8446 §7.3: [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length);
//                [sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length).
record::Protection traffic_protection(const Hkdf& hkdf, crypto::AeadAlg aead,
                                      const Secret& traffic_secret);

// One direction's TLS 1.3 traffic secret, kept by the connection for KeyUpdate.
class TrafficSecret {
 public:
  TrafficSecret(const crypto::Provider& provider, const CipherSuiteInfo& suite,
                const Secret& secret)
      : hkdf_(provider, suite.hash), aead_(suite.aead), secret_(secret.clone()) {}

  // The key and IV of the current secret.
  record::Protection protection() const { return traffic_protection(hkdf_, aead_, secret_); }
  // RFC 8446 §7.2: application_traffic_secret_N+1 =
  //   HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length).
  void advance();
  const Secret& secret() const { return secret_; }

 private:
  Hkdf hkdf_;
  crypto::AeadAlg aead_;
  Secret secret_;
};

// The keys of one direction as the record layer takes them, with the TLS 1.3 traffic secret
// that KeyUpdate advances (none in TLS 1.2).
struct DirectionKeys {
  record::Protection protection;
  std::optional<TrafficSecret> secret;
};

// The DirectionKeys of a TLS 1.3 traffic secret.
inline DirectionKeys tls13_keys(const crypto::Provider& provider, const CipherSuiteInfo& suite,
                                const Secret& secret) {
  TrafficSecret traffic(provider, suite, secret);
  record::Protection protection = traffic.protection();
  return DirectionKeys{std::move(protection), std::move(traffic)};
}

}  // namespace bastion::handshake
