#include "crypto/openssl/key_share.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/rand.h>

#include <array>

namespace bastion::crypto::openssl {

namespace {

constexpr size_t kX25519Length = 32;
constexpr size_t kMaxPublicLength = 133;  // P-521 uncompressed point

// Uncompressed SEC1 point length (RFC 8446 §4.2.8.2), or 0 for non-NIST groups.
size_t nist_point_length(NamedGroup group) {
  switch (group) {
    case NamedGroup::secp256r1:
      return 65;
    case NamedGroup::secp384r1:
      return 97;
    case NamedGroup::secp521r1:
      return 133;
    default:
      return 0;
  }
}

size_t nist_scalar_length(NamedGroup group) {
  return (nist_point_length(group) - 1) / 2;
}

Error bad_share(const char* detail) {
  discard_openssl_errors();
  return Error{ErrorCode::bad_key_share, detail};
}

// A peer's public value as a key of our group. The point decoder rejects coordinates outside the
// field and points not on the curve; the prefix check rejects compressed points and the point at
// infinity. The NIST groups have cofactor 1, so a point on the curve is in the right subgroup.
Result<PkeyPtr> import_peer(const Algorithms& algs, NamedGroup group, Bytes peer) {
  if (group == NamedGroup::x25519) {
    if (peer.size() != kX25519Length) return bad_share("X25519 key share is not 32 bytes");
    EVP_PKEY* key = nullptr;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
                                          const_cast<uint8_t*>(peer.data()), peer.size()),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_PKEY_fromdata(algs.x25519_fromdata.get(), &key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
      return bad_share("X25519 key share rejected");
    }
    return PkeyPtr(key);
  }
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

bool all_zero(Bytes bytes) {
  uint8_t acc = 0;
  for (uint8_t b : bytes) acc |= b;
  return acc == 0;
}

class OpenSslKeyShare final : public KeyShare {
 public:
  OpenSslKeyShare(std::shared_ptr<const Algorithms> algs, NamedGroup group, PkeyPtr key,
                  Bytes public_key)
      : algs_(std::move(algs)),
        group_(group),
        key_(std::move(key)),
        public_len_(public_key.size()) {
    std::copy(public_key.begin(), public_key.end(), public_.begin());
  }

  NamedGroup group() const override { return group_; }
  Bytes public_key() const override { return {public_.data(), public_len_}; }

  Result<SecretVector> derive(Bytes peer_public) const override {
    auto peer = import_peer(*algs_, group_, peer_public);
    if (!peer) return std::move(peer).error();
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key_.get(), nullptr));
    // The peer was validated on import; skip EVP_PKEY_public_check's second, costlier pass.
    if (ctx == nullptr || EVP_PKEY_derive_init(ctx.get()) != 1 ||
        EVP_PKEY_derive_set_peer_ex(ctx.get(), peer->get(), 0) != 1) {
      return openssl_error(ErrorCode::crypto_failure, "cannot set up key exchange");
    }
    size_t len = 0;
    if (EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) {
      return openssl_error(ErrorCode::crypto_failure, "cannot size the shared secret");
    }
    SecretVector secret(len);
    if (EVP_PKEY_derive(ctx.get(), secret.mutable_span().data(), &len) != 1) {
      // libcrypto refuses an all-zero X25519 result (a small-order peer point).
      return bad_share("key exchange with this key share failed");
    }
    if (len != secret.size()) return Error{ErrorCode::crypto_failure, "short shared secret"};
    // RFC 8446 §7.4.2: X25519 outputs of all zeros MUST be rejected.
    if (group_ == NamedGroup::x25519 && all_zero(secret.span())) {
      return bad_share("X25519 shared secret is all zeros");
    }
    return secret;
  }

 private:
  std::shared_ptr<const Algorithms> algs_;
  NamedGroup group_;
  PkeyPtr key_;
  std::array<uint8_t, kMaxPublicLength> public_{};
  size_t public_len_;
};

Result<std::unique_ptr<KeyShare>> make_share(std::shared_ptr<const Algorithms> algs,
                                             NamedGroup group, PkeyPtr key) {
  std::array<uint8_t, kMaxPublicLength> pub{};
  size_t len = 0;
  const char* param =
      group == NamedGroup::x25519 ? OSSL_PKEY_PARAM_PUB_KEY : OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY;
  if (EVP_PKEY_get_octet_string_param(key.get(), param, pub.data(), pub.size(), &len) != 1) {
    return openssl_error(ErrorCode::crypto_failure, "cannot read the public key share");
  }
  const size_t expected = group == NamedGroup::x25519 ? kX25519Length : nist_point_length(group);
  if (len != expected) return Error{ErrorCode::crypto_failure, "public key share has a bad length"};
  return std::unique_ptr<KeyShare>(std::make_unique<OpenSslKeyShare>(
      std::move(algs), group, std::move(key), Bytes(pub.data(), len)));
}

// X25519 keys are any 32 bytes (clamped when used), and importing a private key computes the
// public one, so this avoids a key-generation context per share.
Result<PkeyPtr> x25519_from_private(const Algorithms& algs, Bytes private_key) {
  if (private_key.size() != kX25519Length) {
    return Error{ErrorCode::invalid_key, "X25519 private key is not 32 bytes"};
  }
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(
          OSSL_PKEY_PARAM_PRIV_KEY, const_cast<uint8_t*>(private_key.data()), private_key.size()),
      OSSL_PARAM_construct_end(),
  };
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(algs.x25519_fromdata.get(), &key, EVP_PKEY_KEYPAIR, params) != 1) {
    return openssl_error(ErrorCode::crypto_failure, "cannot import X25519 private key");
  }
  return PkeyPtr(key);
}

Result<PkeyPtr> nist_generate(const Algorithms& algs, NamedGroup group) {
  // A context made from the domain-parameter template reuses its key manager and group, where
  // a context made by name would fetch the key manager and build the group again.
  PkeyCtxPtr ctx(
      EVP_PKEY_CTX_new_from_pkey(nullptr, const_cast<EVP_PKEY*>(algs.curve(group)), nullptr));
  EVP_PKEY* key = nullptr;
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_generate(ctx.get(), &key) != 1) {
    return openssl_error(ErrorCode::crypto_failure, "EC key generation failed");
  }
  return PkeyPtr(key);
}

// The public point scalar*G, uncompressed. Only for known test keys, so building the group here
// is fine.
Result<size_t> nist_public_point(NamedGroup group, const BIGNUM* scalar, uint8_t* out,
                                 size_t out_len) {
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
  const size_t len = EC_POINT_point2oct(ec_group.get(), point.get(), POINT_CONVERSION_UNCOMPRESSED,
                                        out, out_len, nullptr);
  if (len == 0) return openssl_error(ErrorCode::crypto_failure, "cannot encode EC point");
  return len;
}

Result<PkeyPtr> nist_from_private(const Algorithms& algs, NamedGroup group, Bytes private_key) {
  if (private_key.size() != nist_scalar_length(group)) {
    return Error{ErrorCode::invalid_key, "EC private key has the wrong length"};
  }
  BnPtr scalar(BN_bin2bn(private_key.data(), static_cast<int>(private_key.size()), nullptr));
  if (scalar == nullptr) return openssl_error(ErrorCode::crypto_failure, "BN_bin2bn");
  std::array<uint8_t, kMaxPublicLength> pub{};
  auto pub_len = nist_public_point(group, scalar.get(), pub.data(), pub.size());
  if (!pub_len) return std::move(pub_len).error();
  // OSSL_PARAM_construct_BN takes native-endian bytes.
  std::array<uint8_t, 66> native{};
  if (BN_bn2nativepad(scalar.get(), native.data(), static_cast<int>(private_key.size())) < 0) {
    return openssl_error(ErrorCode::crypto_failure, "BN_bn2nativepad");
  }
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
                                       const_cast<char*>(nist_group_name(group)), 0),
      OSSL_PARAM_construct_BN(OSSL_PKEY_PARAM_PRIV_KEY, native.data(), private_key.size()),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pub.data(), *pub_len),
      OSSL_PARAM_construct_end(),
  };
  EVP_PKEY* key = nullptr;
  const int ok = EVP_PKEY_fromdata(algs.ec_fromdata.get(), &key, EVP_PKEY_KEYPAIR, params);
  secure_wipe(native.data(), native.size());
  if (ok != 1) return openssl_error(ErrorCode::crypto_failure, "cannot import EC private key");
  return PkeyPtr(key);
}

}  // namespace

bool key_share_supported(NamedGroup group) {
  return group == NamedGroup::x25519 || nist_point_length(group) != 0;
}

Result<std::unique_ptr<KeyShare>> generate_key_share(std::shared_ptr<const Algorithms> algs,
                                                     NamedGroup group) {
  if (!key_share_supported(group)) {
    return Error{ErrorCode::no_common_group, "unsupported key exchange group"};
  }
  if (group == NamedGroup::x25519) {
    std::array<uint8_t, kX25519Length> priv{};
    if (RAND_priv_bytes(priv.data(), static_cast<int>(priv.size())) != 1) {
      return openssl_error(ErrorCode::crypto_failure, "RAND_priv_bytes failed");
    }
    auto key = x25519_from_private(*algs, priv);
    secure_wipe(priv.data(), priv.size());
    if (!key) return std::move(key).error();
    return make_share(std::move(algs), group, std::move(*key));
  }
  auto key = nist_generate(*algs, group);
  if (!key) return std::move(key).error();
  return make_share(std::move(algs), group, std::move(*key));
}

Result<std::unique_ptr<KeyShare>> key_share_from_private(std::shared_ptr<const Algorithms> algs,
                                                         NamedGroup group, Bytes private_key) {
  if (!key_share_supported(group)) {
    return Error{ErrorCode::no_common_group, "unsupported key exchange group"};
  }
  auto key = group == NamedGroup::x25519 ? x25519_from_private(*algs, private_key)
                                         : nist_from_private(*algs, group, private_key);
  if (!key) return std::move(key).error();
  return make_share(std::move(algs), group, std::move(*key));
}

}  // namespace bastion::crypto::openssl
