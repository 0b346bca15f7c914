#include "config/signing_key.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bastion {
namespace {

using crypto::KeyType;
using crypto::SigAlg;

// The TLS scheme that asks for `alg` with a key of `type` (RFC 8446 §4.2.3).
std::optional<SignatureScheme> scheme_for(SigAlg alg, KeyType type) {
  const bool pss_key = type == KeyType::rsa_pss;
  switch (alg) {
    case SigAlg::rsa_pkcs1_sha256:
      return SignatureScheme::rsa_pkcs1_sha256;
    case SigAlg::rsa_pkcs1_sha384:
      return SignatureScheme::rsa_pkcs1_sha384;
    case SigAlg::rsa_pkcs1_sha512:
      return SignatureScheme::rsa_pkcs1_sha512;
    case SigAlg::rsa_pss_sha256:
      return pss_key ? SignatureScheme::rsa_pss_pss_sha256 : SignatureScheme::rsa_pss_rsae_sha256;
    case SigAlg::rsa_pss_sha384:
      return pss_key ? SignatureScheme::rsa_pss_pss_sha384 : SignatureScheme::rsa_pss_rsae_sha384;
    case SigAlg::rsa_pss_sha512:
      return pss_key ? SignatureScheme::rsa_pss_pss_sha512 : SignatureScheme::rsa_pss_rsae_sha512;
    case SigAlg::ecdsa_sha256:
      return SignatureScheme::ecdsa_secp256r1_sha256;
    case SigAlg::ecdsa_sha384:
      return SignatureScheme::ecdsa_secp384r1_sha384;
    case SigAlg::ecdsa_sha512:
      return SignatureScheme::ecdsa_secp521r1_sha512;
    case SigAlg::ed25519:
      return SignatureScheme::ed25519;
    case SigAlg::ed448:
      return SignatureScheme::ed448;
  }
  return std::nullopt;
}

class ExternalKey final : public crypto::PrivateKey {
 public:
  ExternalKey(std::shared_ptr<const SigningKey> key, crypto::PublicKeyParams params)
      : key_(std::move(key)), params_(std::move(params)) {}

  KeyType type() const override { return params_.type; }
  size_t bits() const override {
    switch (params_.type) {
      case KeyType::rsa:
      case KeyType::rsa_pss:
        return params_.rsa_modulus.size() * 8;
      case KeyType::ec_p256:
      case KeyType::ed25519:
        return 256;
      case KeyType::ec_p384:
        return 384;
      case KeyType::ec_p521:
        return 521;
      case KeyType::ed448:
        return 448;
    }
    return 0;
  }
  Result<std::vector<uint8_t>> sign(SigAlg alg, crypto::Bytes message) const override {
    auto scheme = scheme_for(alg, params_.type);
    if (!scheme || !crypto::key_permits(params_, alg)) {
      return Error{ErrorCode::internal_error, "the signing key cannot sign with this algorithm"};
    }
    // A SigningKey is the application's code: its failures, and its exceptions, end this
    // handshake only.
    try {
      auto signature = key_->sign(*scheme, message);
      if (!signature) {
        return Error{ErrorCode::crypto_failure, "signing key: " + signature.error().message()};
      }
      if (signature->empty()) {
        return Error{ErrorCode::crypto_failure, "signing key returned an empty signature"};
      }
      return signature;
    } catch (const std::exception& e) {
      return Error{ErrorCode::crypto_failure, std::string("signing key threw: ") + e.what()};
    } catch (...) {
      return Error{ErrorCode::crypto_failure, "signing key threw"};
    }
  }
  crypto::PublicKeyParams public_params() const override { return params_; }
  // The key is not ours to export.
  std::string to_pkcs8_pem() const override { return {}; }

 private:
  std::shared_ptr<const SigningKey> key_;
  crypto::PublicKeyParams params_;
};

}  // namespace

std::shared_ptr<const crypto::PrivateKey> wrap_signing_key(std::shared_ptr<const SigningKey> key,
                                                           crypto::PublicKeyParams leaf_key) {
  return std::make_shared<const ExternalKey>(std::move(key), std::move(leaf_key));
}

}  // namespace bastion
