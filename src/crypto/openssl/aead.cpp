#include "crypto/openssl/aead.hpp"

#include <openssl/core_names.h>

#include <array>
#include <climits>

namespace bastion::crypto::openssl {

namespace {

// The cipher context keeps the expanded key; each record only sets the nonce and direction
// (EVP_CipherInit_ex2 with no cipher and no key), which allocates nothing. CCM also needs the
// message length before the additional data (RFC 3610 §2.2 puts it in the first block), and
// libcrypto picks its CCM routines by direction when keying, so a CCM context is keyed again
// (from the key it keeps) when it turns from sealing to opening or back; a record protector
// only ever goes one way.
class OpenSslAead final : public Aead {
 public:
  OpenSslAead(CipherCtxPtr ctx, size_t tag_length, bool ccm, Secret ccm_key)
      : ctx_(std::move(ctx)), tag_length_(tag_length), ccm_(ccm), ccm_key_(std::move(ccm_key)) {}

  bool seal(Bytes nonce, Bytes aad, MutableBytes data, MutableBytes tag) override {
    if (!sizes_fit(nonce, aad, data.size(), tag.size())) return false;
    if (!start(nonce, 1) || !declare_length(data.size()) || !absorb_aad(aad) || !crypt(data) ||
        !finish()) {
      discard_openssl_errors();
      return false;
    }
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag.data(), tag_length_),
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
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
                                          const_cast<uint8_t*>(tag.data()), tag_length_),
        OSSL_PARAM_construct_end(),
    };
    // CCM checks the tag in the update that decrypts; GCM and ChaCha20-Poly1305 in the final.
    if (!start(nonce, 0) || EVP_CIPHER_CTX_set_params(ctx_.get(), params) != 1 ||
        !declare_length(data.size()) || !absorb_aad(aad) || !crypt(data) || (!ccm_ && !finish())) {
      // Unauthenticated plaintext must not be used; do not leave it in the caller's buffer.
      secure_wipe(data.data(), data.size());
      discard_openssl_errors();
      return false;
    }
    return true;
  }

 private:
  bool sizes_fit(Bytes nonce, Bytes aad, size_t data_size, size_t tag_size) const {
    return nonce.size() == kAeadNonceLength && tag_size == tag_length_ && aad.size() <= INT_MAX &&
           data_size <= INT_MAX;
  }

  bool start(Bytes nonce, int encrypt) {
    const bool rekey = ccm_ && keyed_for_ != encrypt;
    keyed_for_ = encrypt;
    return EVP_CipherInit_ex2(ctx_.get(), nullptr, rekey ? ccm_key_.span().data() : nullptr,
                              nonce.data(), encrypt, nullptr) == 1;
  }

  bool declare_length(size_t size) {
    if (!ccm_) return true;
    int outl = 0;
    return EVP_CipherUpdate(ctx_.get(), nullptr, &outl, nullptr, static_cast<int>(size)) == 1;
  }

  bool absorb_aad(Bytes aad) {
    if (aad.empty()) return true;
    int outl = 0;
    return EVP_CipherUpdate(ctx_.get(), nullptr, &outl, aad.data(), static_cast<int>(aad.size())) ==
           1;
  }

  bool crypt(MutableBytes data) {
    // CCM needs its one update even for an empty message: it authenticates there.
    if (data.empty() && !ccm_) return true;
    int outl = 0;
    uint8_t empty = 0;
    uint8_t* p = data.empty() ? &empty : data.data();
    return EVP_CipherUpdate(ctx_.get(), p, &outl, p, static_cast<int>(data.size())) == 1 &&
           static_cast<size_t>(outl) == data.size();
  }

  bool finish() {
    // Stream modes: the final call only computes or checks the tag.
    std::array<uint8_t, EVP_MAX_BLOCK_LENGTH> none{};
    int outl = 0;
    return EVP_CipherFinal_ex(ctx_.get(), none.data(), &outl) == 1 && outl == 0;
  }

  CipherCtxPtr ctx_;
  size_t tag_length_;
  bool ccm_;
  Secret ccm_key_;     // CCM only
  int keyed_for_ = 1;  // the direction the context was last keyed for
};

}  // namespace

Result<std::unique_ptr<Aead>> make_aead(const EVP_CIPHER* cipher, AeadAlg alg, Bytes key) {
  if (key.size() != aead_key_length(alg)) {
    return Error{ErrorCode::internal_error, "AEAD key has the wrong length"};
  }
  const bool ccm = alg == AeadAlg::aes_128_ccm || alg == AeadAlg::aes_128_ccm_8;
  size_t nonce_length = kAeadNonceLength;
  size_t tag_length = aead_tag_length(alg);
  // CCM's nonce (15 - L bytes) and tag lengths are parameters, set before the key.
  OSSL_PARAM ccm_params[] = {
      OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, &nonce_length),
      OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, nullptr, tag_length),
      OSSL_PARAM_construct_end(),
  };
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (ctx == nullptr ||
      EVP_CipherInit_ex2(ctx.get(), cipher, nullptr, nullptr, 1, ccm ? ccm_params : nullptr) != 1 ||
      EVP_CipherInit_ex2(ctx.get(), nullptr, key.data(), nullptr, 1, nullptr) != 1) {
    return openssl_error(ErrorCode::crypto_failure, "cannot key the AEAD");
  }
  return std::unique_ptr<Aead>(
      std::make_unique<OpenSslAead>(std::move(ctx), tag_length, ccm, ccm ? Secret(key) : Secret()));
}

}  // namespace bastion::crypto::openssl
