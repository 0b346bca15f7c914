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
      return 16;
    case AeadAlg::aes_256_gcm:
    case AeadAlg::chacha20_poly1305:
      return 32;
  }
  return 0;
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

void Provider::hash(HashAlg alg, Bytes data, MutableBytes out) const {
  auto ctx = new_hash(alg);
  ctx->update(data);
  ctx->digest(out);
}

}  // namespace bastion::crypto
