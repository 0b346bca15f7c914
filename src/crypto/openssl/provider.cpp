// The libcrypto-backed Provider.
#include <openssl/rand.h>

#include <climits>

#include "crypto/openssl/aead.hpp"
#include "crypto/openssl/algorithms.hpp"
#include "crypto/openssl/digest.hpp"
#include "crypto/openssl/hmac.hpp"
#include "crypto/openssl/key_share.hpp"
#include "crypto/openssl/keys.hpp"

namespace bastion::crypto {

namespace {

using namespace openssl;

class OpenSslProvider final : public Provider {
 public:
  explicit OpenSslProvider(std::shared_ptr<const Algorithms> algs) : algs_(std::move(algs)) {}

  std::unique_ptr<HashContext> new_hash(HashAlg alg) const override {
    return make_hash_context(algs_->md(alg), alg);
  }

  void hmac(HashAlg alg, Bytes key, Bytes data, MutableBytes out) const override {
    openssl::hmac(algs_->md(alg), key, data, out);
  }

  void hkdf_extract(HashAlg alg, Bytes salt, Bytes ikm, MutableBytes out) const override {
    openssl::hkdf_extract(algs_->md(alg), salt, ikm, out);
  }

  void hkdf_expand(HashAlg alg, Bytes prk, Bytes info, MutableBytes out) const override {
    openssl::hkdf_expand(algs_->md(alg), prk, info, out);
  }

  std::unique_ptr<Hmac> new_hmac(HashAlg alg, Bytes key) const override {
    return make_hmac(algs_->md(alg), alg, key);
  }

  Result<std::unique_ptr<Aead>> new_aead(AeadAlg alg, Bytes key) const override {
    return make_aead(algs_->cipher(alg), alg, key);
  }

  bool supports_group(NamedGroup group) const override { return key_share_supported(group); }

  Result<std::unique_ptr<KeyShare>> generate_key_share(NamedGroup group) const override {
    return openssl::generate_key_share(algs_, group);
  }

  Result<std::unique_ptr<KeyShare>> key_share_from_private(NamedGroup group,
                                                           Bytes private_key) const override {
    return openssl::key_share_from_private(algs_, group, private_key);
  }

  Result<std::unique_ptr<PublicKey>> import_public_key(
      const PublicKeyParams& params) const override {
    return openssl::import_public_key(algs_, params);
  }

  Result<std::unique_ptr<PrivateKey>> load_private_key_pem(std::string_view pem,
                                                           Bytes passphrase) const override {
    return openssl::load_private_key_pem(algs_, pem, passphrase);
  }

  Result<std::unique_ptr<PrivateKey>> generate_private_key(KeyType type,
                                                           size_t bits) const override {
    return openssl::generate_private_key(algs_, type, bits);
  }

  void random(MutableBytes out) const override {
    for (size_t done = 0; done < out.size();) {
      const size_t n = std::min<size_t>(out.size() - done, INT_MAX);
      // Callers use these bytes as nonces and randoms; handing back anything less than random
      // would be silently insecure, and the interface has no error channel.
      if (RAND_bytes(out.data() + done, static_cast<int>(n)) != 1) fatal("RAND_bytes failed");
      done += n;
    }
  }

 private:
  std::shared_ptr<const Algorithms> algs_;
};

}  // namespace

std::shared_ptr<const Provider> openssl_provider() {
  auto algs = Algorithms::fetch();
  if (algs == nullptr) return nullptr;
  return std::make_shared<const OpenSslProvider>(std::move(algs));
}

}  // namespace bastion::crypto
