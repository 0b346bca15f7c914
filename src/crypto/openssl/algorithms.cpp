#include "crypto/openssl/algorithms.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>

#include <optional>

namespace bastion::crypto::openssl {

namespace {

PkeyCtxPtr fromdata_context(const char* key_type) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, key_type, nullptr));
  if (ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  return ctx;
}

PkeyPtr group_parameters(EVP_PKEY_CTX* fromdata, const char* group_name) {
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(group_name),
                                       0),
      OSSL_PARAM_construct_end(),
  };
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(fromdata, &key, EVP_PKEY_KEY_PARAMETERS, params) != 1) return nullptr;
  return PkeyPtr(key);
}

constexpr std::array<NamedGroup, 5> kFfdheGroups{NamedGroup::ffdhe2048, NamedGroup::ffdhe3072,
                                                 NamedGroup::ffdhe4096, NamedGroup::ffdhe6144,
                                                 NamedGroup::ffdhe8192};

// A named finite-field group and its prime, from libcrypto's RFC 7919 parameters.
std::optional<Algorithms::FiniteField> finite_field_for(EVP_PKEY_CTX* dh_fromdata,
                                                        const char* name) {
  Algorithms::FiniteField field{group_parameters(dh_fromdata, name), {}};
  BIGNUM* p = nullptr;
  if (!field.params || EVP_PKEY_get_bn_param(field.params.get(), OSSL_PKEY_PARAM_FFC_P, &p) != 1) {
    return std::nullopt;
  }
  BnPtr prime(p);
  field.prime.resize(static_cast<size_t>(BN_num_bytes(prime.get())));
  BN_bn2bin(prime.get(), field.prime.data());
  return field;
}

}  // namespace

const EVP_MD* Algorithms::md(HashAlg alg) const {
  switch (alg) {
    case HashAlg::sha256:
      return sha256.get();
    case HashAlg::sha384:
      return sha384.get();
    case HashAlg::sha512:
      return sha512.get();
  }
  return nullptr;
}

const EVP_CIPHER* Algorithms::cipher(AeadAlg alg) const {
  switch (alg) {
    case AeadAlg::aes_128_gcm:
      return aes_128_gcm.get();
    case AeadAlg::aes_256_gcm:
      return aes_256_gcm.get();
    case AeadAlg::chacha20_poly1305:
      return chacha20_poly1305.get();
    case AeadAlg::aes_128_ccm:
    case AeadAlg::aes_128_ccm_8:
      return aes_128_ccm.get();
  }
  return nullptr;
}

std::shared_ptr<const Algorithms> Algorithms::fetch() {
  auto a = std::make_shared<Algorithms>();
  a->sha256.reset(EVP_MD_fetch(nullptr, "SHA2-256", nullptr));
  a->sha384.reset(EVP_MD_fetch(nullptr, "SHA2-384", nullptr));
  a->sha512.reset(EVP_MD_fetch(nullptr, "SHA2-512", nullptr));
  a->aes_128_gcm.reset(EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr));
  a->aes_256_gcm.reset(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr));
  a->chacha20_poly1305.reset(EVP_CIPHER_fetch(nullptr, "ChaCha20-Poly1305", nullptr));
  a->aes_128_ccm.reset(EVP_CIPHER_fetch(nullptr, "AES-128-CCM", nullptr));
  // Every AEAD context uses the cipher's default nonce length, checked here once.
  for (CipherPtr* c : {&a->aes_128_gcm, &a->aes_256_gcm, &a->chacha20_poly1305}) {
    if (*c && static_cast<size_t>(EVP_CIPHER_get_iv_length(c->get())) != kAeadNonceLength) {
      c->reset();
    }
  }
  a->x25519_fromdata = fromdata_context("X25519");
  a->x448_fromdata = fromdata_context("X448");
  a->dh_fromdata = fromdata_context("DH");
  a->ec_fromdata = fromdata_context("EC");
  a->rsa_fromdata = fromdata_context("RSA");
  a->rsa_pss_fromdata = fromdata_context("RSA-PSS");
  a->ed25519_fromdata = fromdata_context("ED25519");
  a->ed448_fromdata = fromdata_context("ED448");
  if (!a->sha256 || !a->sha384 || !a->sha512 || !a->aes_128_gcm || !a->aes_256_gcm ||
      !a->chacha20_poly1305 || !a->aes_128_ccm || !a->x25519_fromdata || !a->x448_fromdata ||
      !a->dh_fromdata || !a->ec_fromdata || !a->rsa_fromdata || !a->rsa_pss_fromdata ||
      !a->ed25519_fromdata || !a->ed448_fromdata) {
    discard_openssl_errors();
    return nullptr;
  }
  a->p256_params = group_parameters(a->ec_fromdata.get(), "P-256");
  a->p384_params = group_parameters(a->ec_fromdata.get(), "P-384");
  a->p521_params = group_parameters(a->ec_fromdata.get(), "P-521");
  if (!a->p256_params || !a->p384_params || !a->p521_params) {
    discard_openssl_errors();
    return nullptr;
  }
  for (size_t i = 0; i < kFfdheGroups.size(); ++i) {
    auto field = finite_field_for(a->dh_fromdata.get(), ffdhe_group_name(kFfdheGroups[i]));
    if (!field) {
      discard_openssl_errors();
      return nullptr;
    }
    a->ffdhe[i] = std::move(*field);
  }
  return a;
}

const Algorithms::FiniteField* Algorithms::finite_field(NamedGroup group) const {
  for (size_t i = 0; i < kFfdheGroups.size(); ++i) {
    if (kFfdheGroups[i] == group) return &ffdhe[i];
  }
  return nullptr;
}

const EVP_PKEY* Algorithms::curve(NamedGroup group) const {
  switch (group) {
    case NamedGroup::secp256r1:
      return p256_params.get();
    case NamedGroup::secp384r1:
      return p384_params.get();
    case NamedGroup::secp521r1:
      return p521_params.get();
    default:
      return nullptr;
  }
}

PkeyPtr ec_public_key(const EVP_PKEY* curve_params, Bytes point) {
  // EVP_PKEY_dup only reads its argument, so the shared template is safe across threads.
  PkeyPtr key(EVP_PKEY_dup(const_cast<EVP_PKEY*>(curve_params)));
  if (key == nullptr ||
      EVP_PKEY_set1_encoded_public_key(key.get(), point.data(), point.size()) != 1) {
    return nullptr;
  }
  return key;
}

const char* ffdhe_group_name(NamedGroup group) {
  switch (group) {
    case NamedGroup::ffdhe2048:
      return "ffdhe2048";
    case NamedGroup::ffdhe3072:
      return "ffdhe3072";
    case NamedGroup::ffdhe4096:
      return "ffdhe4096";
    case NamedGroup::ffdhe6144:
      return "ffdhe6144";
    case NamedGroup::ffdhe8192:
      return "ffdhe8192";
    default:
      return nullptr;
  }
}

const char* nist_group_name(NamedGroup group) {
  switch (group) {
    case NamedGroup::secp256r1:
      return "P-256";
    case NamedGroup::secp384r1:
      return "P-384";
    case NamedGroup::secp521r1:
      return "P-521";
    default:
      return nullptr;
  }
}

}  // namespace bastion::crypto::openssl
