// Public keys built from SubjectPublicKeyInfo fields with EVP_PKEY_fromdata, which is several
// times faster than re-encoding and parsing the DER with d2i_PUBKEY.
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <bit>

#include "crypto/openssl/keys.hpp"
#include "crypto/openssl/signature.hpp"

namespace bastion::crypto::openssl {

namespace {

// libcrypto refuses larger moduli when verifying (OPENSSL_RSA_MAX_MODULUS_BITS).
constexpr size_t kMaxRsaModulusBytes = 16384 / 8;
constexpr size_t kEd25519Length = 32;
constexpr size_t kEd448Length = 57;

class OpenSslPublicKey final : public PublicKey {
 public:
  OpenSslPublicKey(std::shared_ptr<const Algorithms> algs, KeyType type,
                   std::optional<PssRestriction> pss, PkeyPtr key)
      : algs_(std::move(algs)), type_(type), pss_(pss), key_(std::move(key)) {}

  KeyType type() const override { return type_; }
  size_t bits() const override { return static_cast<size_t>(EVP_PKEY_get_bits(key_.get())); }
  bool permits(SigAlg alg) const override { return key_permits(type_, pss_, alg); }

  Result<void> verify(SigAlg alg, Bytes message, Bytes signature) const override {
    if (!permits(alg)) {
      return Error{ErrorCode::bad_signature,
                   "the key does not allow " + std::string(sig_alg_name(alg)) + " signatures"};
    }
    auto setup = signature_setup(*algs_, type_, alg, ErrorCode::bad_signature);
    if (!setup) return std::move(setup).error();
    MdCtxPtr mctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;  // owned by mctx
    if (mctx == nullptr ||
        EVP_DigestVerifyInit(mctx.get(), &pctx, setup->md, nullptr, key_.get()) != 1 ||
        !configure_signature(pctx, *setup)) {
      return openssl_error(ErrorCode::crypto_failure, "cannot set up signature verification");
    }
    if (EVP_DigestVerify(mctx.get(), signature.data(), signature.size(), message.data(),
                         message.size()) != 1) {
      discard_openssl_errors();
      return Error{ErrorCode::bad_signature,
                   std::string(sig_alg_name(alg)) + " signature does not verify"};
    }
    return {};
  }

  Result<std::vector<uint8_t>> encrypt_pkcs1(Bytes plaintext) const override {
    if (type_ != KeyType::rsa) return PublicKey::encrypt_pkcs1(plaintext);
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
    size_t len = 0;
    if (ctx == nullptr || EVP_PKEY_encrypt_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1 ||
        EVP_PKEY_encrypt(ctx.get(), nullptr, &len, plaintext.data(), plaintext.size()) != 1) {
      return openssl_error(ErrorCode::crypto_failure, "cannot set up RSA encryption");
    }
    std::vector<uint8_t> out(len);
    if (EVP_PKEY_encrypt(ctx.get(), out.data(), &len, plaintext.data(), plaintext.size()) != 1) {
      return openssl_error(ErrorCode::crypto_failure, "RSA encryption failed");
    }
    out.resize(len);
    return out;
  }

 private:
  std::shared_ptr<const Algorithms> algs_;
  KeyType type_;
  std::optional<PssRestriction> pss_;
  PkeyPtr key_;
};

Error bad_key(const char* detail) {
  discard_openssl_errors();
  return Error{ErrorCode::invalid_key, detail};
}

Bytes strip_leading_zeros(const std::vector<uint8_t>& v) {
  auto first = std::find_if(v.begin(), v.end(), [](uint8_t b) { return b != 0; });
  return {v.data() + (first - v.begin()), static_cast<size_t>(v.end() - first)};
}

// OSSL_PARAM integers are native-endian; certificates give big-endian.
std::vector<uint8_t> to_native(Bytes big_endian) {
  std::vector<uint8_t> out(big_endian.rbegin(), big_endian.rend());
  if constexpr (std::endian::native == std::endian::big) std::reverse(out.begin(), out.end());
  return out;
}

Result<PkeyPtr> import_rsa(const Algorithms& algs, const PublicKeyParams& params) {
  const Bytes n = strip_leading_zeros(params.rsa_modulus);
  const Bytes e = strip_leading_zeros(params.rsa_exponent);
  if (n.empty() || n.size() > kMaxRsaModulusBytes) return bad_key("RSA modulus size out of range");
  if (e.empty() || e.size() > n.size()) return bad_key("RSA exponent size out of range");
  if ((n.back() & 1) == 0 || (e.back() & 1) == 0) return bad_key("RSA modulus or exponent is even");
  std::vector<uint8_t> n_native = to_native(n);
  std::vector<uint8_t> e_native = to_native(e);
  OSSL_PARAM ossl_params[] = {
      OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_RSA_N, n_native.data(), n_native.size()),
      OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_RSA_E, e_native.data(), e_native.size()),
      OSSL_PARAM_construct_end(),
  };
  EVP_PKEY_CTX* ctx =
      params.type == KeyType::rsa ? algs.rsa_fromdata.get() : algs.rsa_pss_fromdata.get();
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, ossl_params) != 1) {
    return bad_key("RSA public key rejected");
  }
  return PkeyPtr(key);
}

Result<PkeyPtr> import_ec(const Algorithms& algs, const PublicKeyParams& params) {
  const NamedGroup group = params.type == KeyType::ec_p256   ? NamedGroup::secp256r1
                           : params.type == KeyType::ec_p384 ? NamedGroup::secp384r1
                                                             : NamedGroup::secp521r1;
  const size_t coordinate = params.type == KeyType::ec_p256   ? 32
                            : params.type == KeyType::ec_p384 ? 48
                                                              : 66;
  // Uncompressed only, as PublicKeyParams promises; this also excludes the point at infinity.
  if (params.point.size() != 1 + 2 * coordinate ||
      params.point[0] != POINT_CONVERSION_UNCOMPRESSED) {
    return bad_key("EC public key is not an uncompressed point of its curve");
  }
  PkeyPtr key = ec_public_key(algs.curve(group), params.point);
  if (key == nullptr) return bad_key("EC public key is not a point on its curve");
  return key;
}

// RFC 8032 §5.1.5, §5.2.5: Ed25519 public keys are 32 bytes, Ed448 ones 57.
Result<PkeyPtr> import_eddsa(const Algorithms& algs, const PublicKeyParams& params) {
  const bool ed25519 = params.type == KeyType::ed25519;
  if (params.point.size() != (ed25519 ? kEd25519Length : kEd448Length)) {
    return bad_key("EdDSA public key has the wrong length");
  }
  OSSL_PARAM ossl_params[] = {
      OSSL_PARAM_construct_octet_string(
          OSSL_PKEY_PARAM_PUB_KEY, const_cast<uint8_t*>(params.point.data()), params.point.size()),
      OSSL_PARAM_construct_end(),
  };
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* ctx = ed25519 ? algs.ed25519_fromdata.get() : algs.ed448_fromdata.get();
  if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, ossl_params) != 1) {
    return bad_key("EdDSA public key rejected");
  }
  return PkeyPtr(key);
}

}  // namespace

Result<std::unique_ptr<PublicKey>> import_public_key(std::shared_ptr<const Algorithms> algs,
                                                     const PublicKeyParams& params) {
  Result<PkeyPtr> key = Error{ErrorCode::invalid_key, "unknown public key type"};
  switch (params.type) {
    case KeyType::rsa:
    case KeyType::rsa_pss:
      key = import_rsa(*algs, params);
      break;
    case KeyType::ec_p256:
    case KeyType::ec_p384:
    case KeyType::ec_p521:
      key = import_ec(*algs, params);
      break;
    case KeyType::ed25519:
    case KeyType::ed448:
      key = import_eddsa(*algs, params);
      break;
  }
  if (!key) return std::move(key).error();
  return std::unique_ptr<PublicKey>(std::make_unique<OpenSslPublicKey>(
      std::move(algs), params.type, params.pss, std::move(*key)));
}

}  // namespace bastion::crypto::openssl
