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
    // TLS 1.2 servers sign with these (and certificates carry them).
    SignatureScheme::rsa_pkcs1_sha256,
    SignatureScheme::rsa_pkcs1_sha384,
    SignatureScheme::rsa_pkcs1_sha512,
};

bool is_ec(KeyType type) {
  return type == KeyType::ec_p256 || type == KeyType::ec_p384 || type == KeyType::ec_p521;
}

}  // namespace

bool SchemeInfo::allows(KeyType type) const {
  if (tls12) {
    switch (scheme) {
      // RFC 8422 §5.1.3: in TLS 1.2 ECDSA schemes name the hash, not the curve.
      case SignatureScheme::ecdsa_secp256r1_sha256:
      case SignatureScheme::ecdsa_secp384r1_sha384:
      case SignatureScheme::ecdsa_secp521r1_sha512:
        return is_ec(type);
      case SignatureScheme::rsa_pkcs1_sha256:
      case SignatureScheme::rsa_pkcs1_sha384:
      case SignatureScheme::rsa_pkcs1_sha512:
        return type == KeyType::rsa;
      default:
        break;
    }
  }
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

std::optional<SchemeInfo> tls12_scheme(SignatureScheme scheme) {
  std::optional<SchemeInfo> info;
  switch (scheme) {
    case SignatureScheme::rsa_pkcs1_sha256:
      info = SchemeInfo{SigAlg::rsa_pkcs1_sha256, scheme};
      break;
    case SignatureScheme::rsa_pkcs1_sha384:
      info = SchemeInfo{SigAlg::rsa_pkcs1_sha384, scheme};
      break;
    case SignatureScheme::rsa_pkcs1_sha512:
      info = SchemeInfo{SigAlg::rsa_pkcs1_sha512, scheme};
      break;
    default:
      info = handshake_scheme(scheme);
  }
  if (info) info->tls12 = true;
  return info;
}

std::optional<SignatureScheme> choose_tls12_scheme(std::span<const SignatureScheme> peer_preference,
                                                   std::span<const SignatureScheme> ours,
                                                   KeyType key_type) {
  // TLS 1.2 ECDSA schemes name only the hash, but peers such as OpenSSL check the curve too:
  // a scheme of the key's own curve first, then any the peer lists.
  for (bool strict : {true, false}) {
    for (SignatureScheme s : peer_preference) {
      if (std::find(ours.begin(), ours.end(), s) == ours.end()) continue;
      auto info = strict ? handshake_scheme(s) : tls12_scheme(s);
      if (info && info->allows(key_type)) return s;
    }
  }
  return std::nullopt;
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
