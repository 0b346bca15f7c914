// The parts of the provider interface that do not depend on a backend.
#include "crypto/provider.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace bastion::crypto {

size_t hash_length(HashAlg alg) {
  switch (alg) {
    case HashAlg::sha256:
      return 32;
    case HashAlg::sha384:
      return 48;
    case HashAlg::sha512:
      return 64;
  }
  return 0;
}

size_t aead_key_length(AeadAlg alg) {
  switch (alg) {
    case AeadAlg::aes_128_gcm:
    case AeadAlg::aes_128_ccm:
    case AeadAlg::aes_128_ccm_8:
      return 16;
    case AeadAlg::aes_256_gcm:
    case AeadAlg::chacha20_poly1305:
      return 32;
  }
  return 0;
}

size_t aead_tag_length(AeadAlg alg) {
  return alg == AeadAlg::aes_128_ccm_8 ? 8 : kAeadTagLength;
}

void hkdf_expand(const Hmac& prk, Bytes info, MutableBytes out) {
  const size_t hash_len = hash_length(prk.alg());
  // RFC 5869 §2.3: L <= 255*HashLen.
  if (out.size() > 255 * hash_len) std::abort();
  // T(i) = HMAC(PRK, T(i-1) | info | i), T(0) empty; the output is T(1) | T(2) | ... truncated.
  std::array<uint8_t, Secret::kCapacity> previous{};
  std::array<uint8_t, Secret::kCapacity> block{};
  size_t previous_len = 0;
  for (size_t done = 0, i = 1; done < out.size(); ++i) {
    const uint8_t counter = static_cast<uint8_t>(i);
    const Bytes parts[] = {{previous.data(), previous_len}, info, {&counter, 1}};
    prk.mac(parts, MutableBytes(block.data(), hash_len));
    const size_t n = std::min(hash_len, out.size() - done);
    std::copy_n(block.begin(), n, out.begin() + static_cast<ptrdiff_t>(done));
    done += n;
    previous = block;
    previous_len = hash_len;
  }
  secure_wipe(previous.data(), previous.size());
  secure_wipe(block.data(), block.size());
}

bool same_public_key(const PublicKeyParams& a, const PublicKeyParams& b) {
  auto rsa = [](KeyType t) { return t == KeyType::rsa || t == KeyType::rsa_pss; };
  if (rsa(a.type) || rsa(b.type)) {
    return rsa(a.type) && rsa(b.type) && a.rsa_modulus == b.rsa_modulus &&
           a.rsa_exponent == b.rsa_exponent;
  }
  return a.type == b.type && a.point == b.point;
}

bool key_permits(KeyType type, const std::optional<PssRestriction>& pss, SigAlg alg) {
  switch (alg) {
    case SigAlg::rsa_pkcs1_sha256:
    case SigAlg::rsa_pkcs1_sha384:
    case SigAlg::rsa_pkcs1_sha512:
      return type == KeyType::rsa;
    case SigAlg::rsa_pss_sha256:
    case SigAlg::rsa_pss_sha384:
    case SigAlg::rsa_pss_sha512: {
      if (type != KeyType::rsa && type != KeyType::rsa_pss) return false;
      if (!pss) return true;
      // Our PSS algorithms use MGF1 with the message hash and a salt of the hash's length.
      const HashAlg hash = alg == SigAlg::rsa_pss_sha256   ? HashAlg::sha256
                           : alg == SigAlg::rsa_pss_sha384 ? HashAlg::sha384
                                                           : HashAlg::sha512;
      return pss->hash == hash && hash_length(hash) >= pss->min_salt;
    }
    case SigAlg::ecdsa_sha256:
    case SigAlg::ecdsa_sha384:
    case SigAlg::ecdsa_sha512:
      return type == KeyType::ec_p256 || type == KeyType::ec_p384 || type == KeyType::ec_p521;
    case SigAlg::ed25519:
      return type == KeyType::ed25519;
    case SigAlg::ed448:
      return type == KeyType::ed448;
  }
  return false;
}

void Provider::hash(HashAlg alg, Bytes data, MutableBytes out) const {
  auto ctx = new_hash(alg);
  ctx->update(data);
  ctx->digest(out);
}

Result<std::vector<uint8_t>> PublicKey::encrypt_pkcs1(Bytes) const {
  return Error{ErrorCode::unsupported_certificate, "the key cannot encrypt"};
}

bool PrivateKey::decrypt_pre_master(Bytes, uint16_t, MutableBytes) const {
  return false;
}

}  // namespace bastion::crypto
