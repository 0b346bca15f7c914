#include "handshake/signature_scheme.hpp"

#include <algorithm>
#include <array>

namespace bastion::handshake {
namespace {

using crypto::KeyType;
using crypto::SigAlg;

constexpr std::array kDefaultSchemes{
    SignatureScheme::ecdsa_secp256r1_sha256,
    SignatureScheme::ecdsa_secp384r1_sha384,
    SignatureScheme::ed25519,
    SignatureScheme::ed448,
    SignatureScheme::rsa_pss_rsae_sha256,
    SignatureScheme::rsa_pss_rsae_sha384,
    SignatureScheme::rsa_pss_rsae_sha512,
    SignatureScheme::rsa_pss_pss_sha256,
    SignatureScheme::rsa_pss_pss_sha384,
    SignatureScheme::rsa_pss_pss_sha512,
    SignatureScheme::ecdsa_secp521r1_sha512,
};

}  // namespace

bool SchemeInfo::allows(KeyType type) const {
  switch (scheme) {
    // RFC 8446 §4.2.3: in TLS 1.3 the ECDSA curve is bound to the scheme.
    case SignatureScheme::ecdsa_secp256r1_sha256:
      return type == KeyType::ec_p256;
    case SignatureScheme::ecdsa_secp384r1_sha384:
      return type == KeyType::ec_p384;
    case SignatureScheme::ecdsa_secp521r1_sha512:
      return type == KeyType::ec_p521;
    case SignatureScheme::rsa_pss_rsae_sha256:
    case SignatureScheme::rsa_pss_rsae_sha384:
    case SignatureScheme::rsa_pss_rsae_sha512:
      return type == KeyType::rsa;
    case SignatureScheme::rsa_pss_pss_sha256:
    case SignatureScheme::rsa_pss_pss_sha384:
    case SignatureScheme::rsa_pss_pss_sha512:
      return type == KeyType::rsa_pss;
    case SignatureScheme::ed25519:
      return type == KeyType::ed25519;
    case SignatureScheme::ed448:
      return type == KeyType::ed448;
    default:
      return false;
  }
}

std::optional<SchemeInfo> handshake_scheme(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::ecdsa_secp256r1_sha256:
      return SchemeInfo{SigAlg::ecdsa_sha256, scheme};
    case SignatureScheme::ecdsa_secp384r1_sha384:
      return SchemeInfo{SigAlg::ecdsa_sha384, scheme};
    case SignatureScheme::ecdsa_secp521r1_sha512:
      return SchemeInfo{SigAlg::ecdsa_sha512, scheme};
    case SignatureScheme::rsa_pss_rsae_sha256:
    case SignatureScheme::rsa_pss_pss_sha256:
      return SchemeInfo{SigAlg::rsa_pss_sha256, scheme};
    case SignatureScheme::rsa_pss_rsae_sha384:
    case SignatureScheme::rsa_pss_pss_sha384:
      return SchemeInfo{SigAlg::rsa_pss_sha384, scheme};
    case SignatureScheme::rsa_pss_rsae_sha512:
    case SignatureScheme::rsa_pss_pss_sha512:
      return SchemeInfo{SigAlg::rsa_pss_sha512, scheme};
    case SignatureScheme::ed25519:
      return SchemeInfo{SigAlg::ed25519, scheme};
    case SignatureScheme::ed448:
      return SchemeInfo{SigAlg::ed448, scheme};
    default:
      return std::nullopt;
  }
}

std::span<const SignatureScheme> default_signature_schemes() {
  return kDefaultSchemes;
}

std::optional<SignatureScheme> choose_scheme(std::span<const SignatureScheme> peer_preference,
                                             std::span<const SignatureScheme> ours,
                                             KeyType key_type) {
  for (SignatureScheme s : peer_preference) {
    if (std::find(ours.begin(), ours.end(), s) == ours.end()) continue;
    auto info = handshake_scheme(s);
    if (info && info->allows(key_type)) return s;
  }
  return std::nullopt;
}

}  // namespace bastion::handshake
