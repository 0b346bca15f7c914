#include "crypto/openssl/key_share.hpp"

#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/rand.h>

#include <algorithm>
#include <vector>

namespace bastion::crypto::openssl {

namespace {

// The three families of RFC 8446 §4.2.7 groups, each with its own encoding of a share.
enum class Family : uint8_t { ecx, nist, ffdhe, none };

Family family_of(NamedGroup group) {
  switch (group) {
    case NamedGroup::x25519:
    case NamedGroup::x448:
      return Family::ecx;
    case NamedGroup::secp256r1:
    case NamedGroup::secp384r1:
    case NamedGroup::secp521r1:
      return Family::nist;
    case NamedGroup::ffdhe2048:
    case NamedGroup::ffdhe3072:
    case NamedGroup::ffdhe4096:
    case NamedGroup::ffdhe6144:
    case NamedGroup::ffdhe8192:
      return Family::ffdhe;
    default:
      return Family::none;
  }
}

// RFC 7748 §5: X25519 keys and shares are 32 bytes, X448 ones 56.
size_t ecx_length(NamedGroup group) {
  return group == NamedGroup::x25519 ? 32 : 56;
}

// Uncompressed SEC1 point length (RFC 8446 §4.2.8.2).
size_t nist_point_length(NamedGroup group) {
  switch (group) {
    case NamedGroup::secp256r1:
      return 65;
    case NamedGroup::secp384r1:
      return 97;
    default:
      return 133;
  }
}

size_t nist_scalar_length(NamedGroup group) {
  return (nist_point_length(group) - 1) / 2;
}

// RFC 8446 §4.2.8.1: an FFDHE share is Y, big-endian, left-padded to the size of p.
size_t share_length(const Algorithms& algs, NamedGroup group) {
  switch (family_of(group)) {
    case Family::ecx:
      return ecx_length(group);
    case Family::nist:
      return nist_point_length(group);
    case Family::ffdhe:
      return algs.finite_field(group)->prime.size();
    case Family::none:
      break;
  }
  return 0;
}

EVP_PKEY_CTX* ecx_fromdata(const Algorithms& algs, NamedGroup group) {
  return group == NamedGroup::x25519 ? algs.x25519_fromdata.get() : algs.x448_fromdata.get();
}

Error bad_share(const char* detail) {
  discard_openssl_errors();
  return Error{ErrorCode::bad_key_share, detail};
}

Result<PkeyPtr> import_ecx_peer(const Algorithms& algs, NamedGroup group, Bytes peer) {
  if (peer.size() != ecx_length(group))
    return bad_share("X25519/X448 key share has the wrong length");
  EVP_PKEY* key = nullptr;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<uint8_t*>(peer.data()),
                                        peer.size()),
      OSSL_PARAM_construct_end(),
  };
  if (EVP_PKEY_fromdata(ecx_fromdata(algs, group), &key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    return bad_share("X25519/X448 key share rejected");
  }
  return PkeyPtr(key);
}

// The point decoder rejects coordinates outside the field and points not on the curve; the
// prefix check rejects compressed and hybrid points and the point at infinity. The NIST groups
// have cofactor 1, so a point on the curve is in the right subgroup.
Result<PkeyPtr> import_nist_peer(const Algorithms& algs, NamedGroup group, Bytes peer) {
  if (peer.size() != nist_point_length(group)) {
    return bad_share("EC key share has the wrong length");
  }
  // RFC 8446 §4.2.8.2: only the uncompressed form is allowed.
  if (peer[0] != POINT_CONVERSION_UNCOMPRESSED) {
    return bad_share("EC key share is not uncompressed");
  }
  PkeyPtr key = ec_public_key(algs.curve(group), peer);
  if (key == nullptr) return bad_share("EC key share is not a point on the curve");
  return key;
}

// Whether big-endian `a` < `b`, both of the same length.
bool less_than(Bytes a, Bytes b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

Result<PkeyPtr> import_ffdhe_peer(const Algorithms& algs, NamedGroup group, Bytes peer) {
  const Algorithms::FiniteField& field = *algs.finite_field(group);
  if (peer.size() != field.prime.size()) {
    return bad_share("FFDHE key share is not padded to the size of p");
  }
  // RFC 8446 §4.2.8.1: peers MUST validate each other's public key Y by ensuring that
  // 1 < Y < p-1 (p is odd, so p-1 is p with its last byte one less).
  std::vector<uint8_t> p_minus_1 = field.prime;
  p_minus_1.back() = static_cast<uint8_t>(p_minus_1.back() - 1);
  const bool above_one =
      std::any_of(peer.begin(), peer.end() - 1, [](uint8_t b) { return b != 0; }) ||
      peer.back() > 1;
  if (!above_one || !less_than(peer, p_minus_1)) {
    return bad_share("FFDHE key share is not in the range 1 < Y < p-1");
  }
  PkeyPtr key(EVP_PKEY_dup(field.params.get()));
  if (key == nullptr ||
      EVP_PKEY_set1_encoded_public_key(key.get(), peer.data(), peer.size()) != 1) {
    return bad_share("FFDHE key share rejected");
  }
  return key;
}

Result<PkeyPtr> import_peer(const Algorithms& algs, NamedGroup group, Bytes peer) {
  switch (family_of(group)) {
    case Family::ecx:
      return import_ecx_peer(algs, group, peer);
    case Family::nist:
      return import_nist_peer(algs, group, peer);
    case Family::ffdhe:
      return import_ffdhe_peer(algs, group, peer);
    case Family::none:
      break;
  }
  return bad_share("unsupported key exchange group");
}

bool all_zero(Bytes bytes) {
  uint8_t acc = 0;
  for (uint8_t b : bytes) acc |= b;
  return acc == 0;
}

class OpenSslKeyShare final : public KeyShare {
 public:
  OpenSslKeyShare(std::shared_ptr<const Algorithms> algs, NamedGroup group, PkeyPtr key,
                  std::vector<uint8_t> public_key)
      : algs_(std::move(algs)),
        group_(group),
        key_(std::move(key)),
        public_(std::move(public_key)) {}

  NamedGroup group() const override { return group_; }
  Bytes public_key() const override { return public_; }

  Result<SecretVector> derive(Bytes peer_public) const override {
    auto peer = import_peer(*algs_, group_, peer_public);
    if (!peer) return std::move(peer).error();
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
    // The peer was validated on import; skip EVP_PKEY_public_check's second, costlier pass.
    if (ctx == nullptr || EVP_PKEY_derive_init(ctx.get()) != 1 ||
        EVP_PKEY_derive_set_peer_ex(ctx.get(), peer->get(), 0) != 1) {
      return openssl_error(ErrorCode::crypto_failure, "cannot set up key exchange");
    }
    // RFC 8446 §7.4.1: the FFDHE secret is left-padded with zeros to the size of p.
    if (family_of(group_) == Family::ffdhe && EVP_PKEY_CTX_set_dh_pad(ctx.get(), 1) != 1) {
      return openssl_error(ErrorCode::crypto_failure, "cannot pad the FFDHE secret");
    }
    size_t len = 0;
    if (EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) {
      return openssl_error(ErrorCode::crypto_failure, "cannot size the shared secret");
    }
    SecretVector secret(len);
    if (EVP_PKEY_derive(ctx.get(), secret.mutable_span().data(), &len) != 1) {
      // libcrypto refuses an all-zero X25519/X448 result (a small-order peer point).
      return bad_share("key exchange with this key share failed");
    }
    if (len != secret.size()) return Error{ErrorCode::crypto_failure, "short shared secret"};
    // RFC 8446 §7.4.2: X25519 and X448 outputs of all zeros MUST be rejected.
    if (family_of(group_) == Family::ecx && all_zero(secret.span())) {
      return bad_share("X25519/X448 shared secret is all zeros");
    }
    return secret;
  }

 private:
  std::shared_ptr<const Algorithms> algs_;
  NamedGroup group_;
  PkeyPtr key_;
  std::vector<uint8_t> public_;
};

Result<std::vector<uint8_t>> encoded_public(const Algorithms& algs, NamedGroup group,
                                            const EVP_PKEY* key) {
  const size_t expected = share_length(algs, group);
  std::vector<uint8_t> pub(expected);
  if (family_of(group) == Family::ffdhe) {
    BIGNUM* y = nullptr;
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PUB_KEY, &y) != 1) {
      return openssl_error(ErrorCode::crypto_failure, "cannot read the FFDHE public value");
    }
    BnPtr value(y);
    if (BN_bn2binpad(value.get(), pub.data(), static_cast<int>(pub.size())) < 0) {
      return openssl_error(ErrorCode::crypto_failure, "FFDHE public value too large");
    }
    return pub;
  }
  size_t len = 0;
  const char* param = family_of(group) == Family::ecx ? OSSL_PKEY_PARAM_PUB_KEY
                                                      : OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY;
  if (EVP_PKEY_get_octet_string_param(key, param, pub.data(), pub.size(), &len) != 1) {
    return openssl_error(ErrorCode::crypto_failure, "cannot read the public key share");
  }
  if (len != expected) return Error{ErrorCode::crypto_failure, "public key share has a bad length"};
  return pub;
}

Result<std::unique_ptr<KeyShare>> make_share(std::shared_ptr<const Algorithms> algs,
                                             NamedGroup group, PkeyPtr key) {
  auto pub = encoded_public(*algs, group, key.get());
  if (!pub) return std::move(pub).error();
  return std::unique_ptr<KeyShare>(
      std::make_unique<OpenSslKeyShare>(std::move(algs), group, std::move(key), std::move(*pub)));
}

// X25519 and X448 keys are any bytes of their length (clamped when used), and importing a
// private key computes the public one, so this avoids a key-generation context per share.
Result<PkeyPtr> ecx_from_private(const Algorithms& algs, NamedGroup group, Bytes private_key) {
  if (private_key.size() != ecx_length(group)) {
    return Error{ErrorCode::invalid_key, "X25519/X448 private key has the wrong length"};
  }
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(
          OSSL_PKEY_PARAM_PRIV_KEY, const_cast<uint8_t*>(private_key.data()), private_key.size()),
      OSSL_PARAM_construct_end(),
  };
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ecx_fromdata(algs, group), &key, EVP_PKEY_KEYPAIR, params) != 1) {
    return openssl_error(ErrorCode::crypto_failure, "cannot import X25519/X448 private key");
  }
  return PkeyPtr(key);
}

// A context made from a domain-parameter template reuses its key manager and group, where a
// context made by name would fetch the key manager and build the group again.
Result<PkeyPtr> generate_from_template(const EVP_PKEY* params) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, const_cast<EVP_PKEY*>(params), nullptr));
  EVP_PKEY* key = nullptr;
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_generate(ctx.get(), &key) != 1) {
    return openssl_error(ErrorCode::crypto_failure, "key share generation failed");
  }
  return PkeyPtr(key);
}

// OSSL_PARAM_construct_BN takes native-endian bytes.
std::vector<uint8_t> native_bytes(const BIGNUM* n, size_t length) {
  std::vector<uint8_t> native(length);
  BN_bn2nativepad(n, native.data(), static_cast<int>(native.size()));
  return native;
}

// The public point scalar*G, uncompressed. Only for known test keys, so building the group here
// is fine.
Result<std::vector<uint8_t>> nist_public_point(NamedGroup group, const BIGNUM* scalar) {
  const int nid = group == NamedGroup::secp256r1   ? NID_X9_62_prime256v1
                  : group == NamedGroup::secp384r1 ? NID_secp384r1
                                                   : NID_secp521r1;
  std::unique_ptr<EC_GROUP, Freer<EC_GROUP_free>> ec_group(EC_GROUP_new_by_curve_name(nid));
  if (ec_group == nullptr) return openssl_error(ErrorCode::crypto_failure, "no EC group");
  if (BN_is_zero(scalar) || BN_cmp(scalar, EC_GROUP_get0_order(ec_group.get())) >= 0) {
    return Error{ErrorCode::invalid_key, "EC private key is out of range"};
  }
  std::unique_ptr<EC_POINT, Freer<EC_POINT_free>> point(EC_POINT_new(ec_group.get()));
  if (point == nullptr ||
      EC_POINT_mul(ec_group.get(), point.get(), scalar, nullptr, nullptr, nullptr) != 1) {
    return openssl_error(ErrorCode::crypto_failure, "EC point multiplication failed");
  }
  std::vector<uint8_t> pub(nist_point_length(group));
  const size_t len = EC_POINT_point2oct(ec_group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED,
                                        pub.data(), pub.size(), nullptr);
  if (len != pub.size()) return openssl_error(ErrorCode::crypto_failure, "cannot encode EC point");
  return pub;
}

Result<PkeyPtr> nist_from_private(const Algorithms& algs, NamedGroup group, Bytes private_key) {
  if (private_key.size() != nist_scalar_length(group)) {
    return Error{ErrorCode::invalid_key, "EC private key has the wrong length"};
  }
  BnPtr scalar(BN_bin2bn(private_key.data(), static_cast<int>(private_key.size()), nullptr));
  if (scalar == nullptr) return openssl_error(ErrorCode::crypto_failure, "BN_bin2bn");
  auto pub = nist_public_point(group, scalar.get());
  if (!pub) return std::move(pub).error();
  std::vector<uint8_t> native = native_bytes(scalar.get(), private_key.size());
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                       const_cast<char*>(nist_group_name(group)), 0),
      OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PRIV_KEY, native.data(), native.size()),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pub->data(), pub->size()),
      OSSL_PARAM_construct_end(),
  };
  EVP_PKEY* key = nullptr;
  const int ok = EVP_PKEY_fromdata(algs.ec_fromdata.get(), &key, EVP_PKEY_KEYPAIR, params);
  secure_wipe(native.data(), native.size());
  if (ok != 1) return openssl_error(ErrorCode::crypto_failure, "cannot import EC private key");
  return PkeyPtr(key);
}

// A private exponent x (1 <= x < p-1) and Y = 2^x mod p: RFC 7919 groups use the generator 2.
Result<PkeyPtr> ffdhe_from_private(const Algorithms& algs, NamedGroup group, Bytes private_key) {
  const Algorithms::FiniteField& field = *algs.finite_field(group);
  if (private_key.empty() || private_key.size() >= field.prime.size()) {
    return Error{ErrorCode::invalid_key, "FFDHE private key has the wrong length"};
  }
  BnPtr x(BN_bin2bn(private_key.data(), static_cast<int>(private_key.size()), nullptr));
  BnPtr p(BN_bin2bn(field.prime.data(), static_cast<int>(field.prime.size()), nullptr));
  BnPtr g(BN_new());
  BnPtr y(BN_new());
  std::unique_ptr<BN_CTX, Freer<BN_CTX_free>> bn_ctx(BN_CTX_new());
  if (!x || !p || !g || !y || !bn_ctx || BN_is_zero(x.get()) || BN_set_word(g.get(), 2) != 1 ||
      BN_mod_exp(y.get(), g.get(), x.get(), p.get(), bn_ctx.get()) != 1) {
    return openssl_error(ErrorCode::crypto_failure, "cannot compute the FFDHE public value");
  }
  std::vector<uint8_t> x_native = native_bytes(x.get(), private_key.size());
  std::vector<uint8_t> y_native = native_bytes(y.get(), field.prime.size());
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                       const_cast<char*>(ffdhe_group_name(group)), 0),
      OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PRIV_KEY, x_native.data(), x_native.size()),
      OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PUB_KEY, y_native.data(), y_native.size()),
      OSSL_PARAM_construct_end(),
  };
  EVP_PKEY* key = nullptr;
  const int ok = EVP_PKEY_fromdata(algs.dh_fromdata.get(), &key, EVP_PKEY_KEYPAIR, params);
  secure_wipe(x_native.data(), x_native.size());
  if (ok != 1) return openssl_error(ErrorCode::crypto_failure, "cannot import FFDHE private key");
  return PkeyPtr(key);
}

}  // namespace

bool key_share_supported(NamedGroup group) {
  return family_of(group) != Family::none;
}

Result<std::unique_ptr<KeyShare>> generate_key_share(std::shared_ptr<const Algorithms> algs,
                                                     NamedGroup group) {
  Result<PkeyPtr> key = Error{ErrorCode::no_common_group, "unsupported key exchange group"};
  switch (family_of(group)) {
    case Family::ecx: {
      std::vector<uint8_t> priv(ecx_length(group));
      if (RAND_priv_bytes(priv.data(), static_cast<int>(priv.size())) != 1) {
        return openssl_error(ErrorCode::crypto_failure, "RAND_priv_bytes failed");
      }
      key = ecx_from_private(*algs, group, priv);
      secure_wipe(priv.data(), priv.size());
      break;
    }
    case Family::nist:
      key = generate_from_template(algs->curve(group));
      break;
    case Family::ffdhe:
      key = generate_from_template(algs->finite_field(group)->params.get());
      break;
    case Family::none:
      break;
  }
  if (!key) return std::move(key).error();
  return make_share(std::move(algs), group, std::move(*key));
}

Result<std::unique_ptr<KeyShare>> key_share_from_private(std::shared_ptr<const Algorithms> algs,
                                                         NamedGroup group, Bytes private_key) {
  Result<PkeyPtr> key = Error{ErrorCode::no_common_group, "unsupported key exchange group"};
  switch (family_of(group)) {
    case Family::ecx:
      key = ecx_from_private(*algs, group, private_key);
      break;
    case Family::nist:
      key = nist_from_private(*algs, group, private_key);
      break;
    case Family::ffdhe:
      key = ffdhe_from_private(*algs, group, private_key);
      break;
    case Family::none:
      break;
  }
  if (!key) return std::move(key).error();
  return make_share(std::move(algs), group, std::move(*key));
}

}  // namespace bastion::crypto::openssl
