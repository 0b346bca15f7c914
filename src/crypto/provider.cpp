// The parts of the provider interface that do not depend on a backend.
#include "crypto/provider.hpp"

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

void Provider::hash(HashAlg alg, Bytes data, MutableBytes out) const {
  auto ctx = new_hash(alg);
  ctx->update(data);
  ctx->digest(out);
}

}  // namespace bastion::crypto
