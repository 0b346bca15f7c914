// Every libcrypto algorithm Bastion uses, fetched once when a provider is created. Fetching by
// name takes locks and costs microseconds, so operations only use these pre-fetched objects.
// All members are read-only after creation and safe to share between threads.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "crypto/openssl/handles.hpp"
#include "crypto/provider.hpp"

namespace bastion::crypto::openssl {

struct Algorithms {
  MdPtr sha256;
  MdPtr sha384;
  MdPtr sha512;
  CipherPtr aes_128_gcm;
  CipherPtr aes_256_gcm;
  CipherPtr chacha20_poly1305;
  CipherPtr aes_128_ccm;  // both tag lengths

  // Contexts initialised for EVP_PKEY_fromdata, one per key manager. EVP_PKEY_fromdata only
  // reads its context, so these are shared by all threads.
  PkeyCtxPtr x25519_fromdata;
  PkeyCtxPtr x448_fromdata;
  PkeyCtxPtr dh_fromdata;
  PkeyCtxPtr ec_fromdata;
  PkeyCtxPtr rsa_fromdata;
  PkeyCtxPtr rsa_pss_fromdata;
  PkeyCtxPtr ed25519_fromdata;
  PkeyCtxPtr ed448_fromdata;

  // Domain parameters only: templates for generating NIST curve keys without naming the curve
  // (and building its group) again.
  PkeyPtr p256_params;
  PkeyPtr p384_params;
  PkeyPtr p521_params;

  // The RFC 7919 groups: a domain-parameter template each, and its prime p, big-endian.
  struct FiniteField {
    PkeyPtr params;
    std::vector<uint8_t> prime;
  };
  std::array<FiniteField, 5> ffdhe;

  const EVP_MD* md(HashAlg alg) const;
  // The domain-parameter template of a NIST group, or null for other groups.
  const EVP_PKEY* curve(NamedGroup group) const;
  // The RFC 7919 group, or null for other groups.
  const FiniteField* finite_field(NamedGroup group) const;
  const EVP_CIPHER* cipher(AeadAlg alg) const;

  // Null when an algorithm is missing from libcrypto.
  static std::shared_ptr<const Algorithms> fetch();
};

// The libcrypto name of a NIST group ("P-256"), or null for other groups.
const char* nist_group_name(NamedGroup group);
// The libcrypto name of an RFC 7919 group ("ffdhe2048"), or null for other groups.
const char* ffdhe_group_name(NamedGroup group);

// An EC public key on the curve of `curve_params` (a template from Algorithms::curve) with the
// given encoded point, or null when the point does not decode or is not on the curve. Copying
// the template's group is several times cheaper than naming the curve in EVP_PKEY_fromdata,
// which builds the group from scratch.
PkeyPtr ec_public_key(const EVP_PKEY* curve_params, Bytes point);

}  // namespace bastion::crypto::openssl
