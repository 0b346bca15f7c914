// TLS SignatureScheme <-> provider signature algorithm and key type (RFC 8446 §4.2.3).
#pragma once

#include <optional>
#include <span>

#include "bastion/types.hpp"
#include "crypto/provider.hpp"

namespace bastion::handshake {

struct SchemeInfo {
  crypto::SigAlg alg;
  // Key types the scheme may be used with in TLS 1.3 handshakes (or TLS 1.2 ones).
  bool allows(crypto::KeyType type) const;
  SignatureScheme scheme;
  bool tls12 = false;
};

// Schemes usable in TLS 1.3 CertificateVerify; nullopt for PKCS#1 v1.5, SHA-1 and unknown
// values (RFC 8446 §4.2.3: RSASSA-PKCS1-v1_5 only in certificates).
std::optional<SchemeInfo> handshake_scheme(SignatureScheme scheme);

// Schemes usable in TLS 1.2 ServerKeyExchange and CertificateVerify (RFC 5246 §7.4.1.4.1,
// RFC 8422 §5.1.3, RFC 8446 §4.2.3): PKCS#1 v1.5 too, ECDSA with any curve; nullopt for SHA-1
// and unknown values.
std::optional<SchemeInfo> tls12_scheme(SignatureScheme scheme);

// The first scheme in `peer_preference` that we support in TLS 1.2, that `ours` contains and
// that the key can make.
std::optional<SignatureScheme> choose_tls12_scheme(std::span<const SignatureScheme> peer_preference,
                                                   std::span<const SignatureScheme> ours,
                                                   crypto::KeyType key_type);

// The default schemes offered and accepted, in preference order.
std::span<const SignatureScheme> default_signature_schemes();

// The first scheme in `peer_preference` that we support, that `ours` contains and that the
// key can make.
std::optional<SignatureScheme> choose_scheme(std::span<const SignatureScheme> peer_preference,
                                             std::span<const SignatureScheme> ours,
                                             crypto::KeyType key_type);

}  // namespace bastion::handshake
