#include "crypto/openssl/aead.hpp"

#include <openssl/core_names.h>

#include <array>
#include <climits>

namespace bastion::crypto::openssl {

namespace {

// The cipher context keeps the expanded key; each record only sets the nonce and direction
// (EVP_CipherInit_ex2 with no cipher and no key), which allocates nothing.
class OpenSslAead final : public Aead {
 public:
  explicit OpenSslAead(CipherCtxPtr ctx) : ctx_(std::move(ctx)) {}

  bool seal(Bytes nonce, Bytes aad, MutableBytes data, MutableBytes tag) override {
    if (!sizes_fit(nonce, aad, data.size(), tag.size())) return false;
    if (!start(nonce, aad, /*encrypt=*/1) || !crypt(data) || !finish()) {
      discard_openssl_errors();
      return false;
    }
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag.data(), kAeadTagLength),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_CIPHER_CTX_get_params(ctx_.get(), params) != 1) {
      discard_openssl_errors();
      return false;
    }
    return true;
  }

  bool open(Bytes nonce, Bytes aad, MutableBytes data, Bytes tag) override {
    if (!sizes_fit(nonce, aad, data.size(), tag.size())) return false;
    if (EVP_CipherInit_ex2(ctx_.get(), nullptr, nullptr, nonce.data(), 0, nullptr) != 1) {
      discard_openssl_errors();
      return false;
    }
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
                                          const_cast<uint8_t*>(tag.data()), kAeadTagLength),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_CIPHER_CTX_set_params(ctx_.get(), params) != 1 || !absorb_aad(aad) || !crypt(data) ||
        !finish()) {
      // Unauthenticated plaintext must not be used; do not leave it in the caller's buffer.
      secure_wipe(data.data(), data.size());
      discard_openssl_errors();
      return false;
    }
    return true;
  }

 private:
  static bool sizes_fit(Bytes nonce, Bytes aad, size_t data_size, size_t tag_size) {
    return nonce.size() == kAeadNonceLength && tag_size == kAeadTagLength &&
           aad.size() <= INT_MAX && data_size <= INT_MAX;
  }

  bool start(Bytes nonce, Bytes aad, int encrypt) {
    return EVP_CipherInit_ex2(ctx_.get(), nullptr, nullptr, nonce.data(), encrypt, nullptr) == 1 &&
           absorb_aad(aad);
  }

  bool absorb_aad(Bytes aad) {
    if (aad.empty()) return true;
    int outl = 0;
    return EVP_CipherUpdate(ctx_.get(), nullptr, &outl, aad.data(), static_cast<int>(aad.size())) ==
           1;
  }

  bool crypt(MutableBytes data) {
    if (data.empty()) return true;
    int outl = 0;
    return EVP_CipherUpdate(ctx_.get(), data.data(), &outl, data.data(),
                            static_cast<int>(data.size())) == 1 &&
           static_cast<size_t>(outl) == data.size();
  }

  bool finish() {
    // GCM and ChaCha20-Poly1305 are stream modes: the final call only computes or checks the tag.
    std::array<uint8_t, EVP_MAX_BLOCK_LENGTH> none{};
    int outl = 0;
    return EVP_CipherFinal_ex(ctx_.get(), none.data(), &outl) == 1 && outl == 0;
  }

  CipherCtxPtr ctx_;
};

}  // namespace

Result<std::unique_ptr<Aead>> make_aead(const EVP_CIPHER* cipher, AeadAlg alg, Bytes key) {
  if (key.size() != aead_key_length(alg)) {
    return Error{ErrorCode::internal_error, "AEAD key has the wrong length"};
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (ctx == nullptr ||
      EVP_CipherInit_ex2(ctx.get(), cipher, key.data(), nullptr, 1, nullptr) != 1) {
    return openssl_error(ErrorCode::crypto_failure, "cannot key the AEAD");
  }
  return std::unique_ptr<Aead>(std::make_unique<OpenSslAead>(std::move(ctx)));
}

}  // namespace bastion::crypto::openssl
