#include "crypto/openssl/hmac.hpp"

#include <algorithm>
#include <array>

namespace bastion::crypto::openssl {

namespace {

constexpr size_t kMaxBlockSize = 128;  // SHA-384 and SHA-512

// RFC 2104: HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m)). The two pad blocks are absorbed
// once into `inner_` and `outer_`; each MAC copies them into `work_` (EVP_MD_CTX_copy_ex
// duplicates the provider's state, no fetch and no key schedule again).
class PreparedHmac final : public Hmac {
 public:
  PreparedHmac(const EVP_MD* md, HashAlg alg)
      : alg_(alg),
        length_(static_cast<size_t>(EVP_MD_get_size(md))),
        inner_(EVP_MD_CTX_new()),
        outer_(EVP_MD_CTX_new()),
        work_(EVP_MD_CTX_new()) {
    if (inner_ == nullptr || outer_ == nullptr || work_ == nullptr) fatal("EVP_MD_CTX_new");
  }

  // The key's pad blocks; the contexts are freed (and their states wiped by libcrypto) with
  // the object.
  void key(const EVP_MD* md, Bytes key) {
    const size_t block_size = static_cast<size_t>(EVP_MD_get_block_size(md));
    if (block_size > kMaxBlockSize) fatal("HMAC block size");
    // K0: the key, hashed first when longer than a block, then padded with zeros.
    std::array<uint8_t, kMaxBlockSize> key0{};
    if (key.size() > block_size) {
      start(inner_.get(), md, key);
      finish(inner_.get(), key0.data());
    } else {
      std::copy(key.begin(), key.end(), key0.begin());
    }
    std::array<uint8_t, kMaxBlockSize> pad{};
    for (size_t i = 0; i < block_size; ++i) pad[i] = key0[i] ^ 0x36;
    start(inner_.get(), md, {pad.data(), block_size});
    for (size_t i = 0; i < block_size; ++i) pad[i] = key0[i] ^ 0x5c;
    start(outer_.get(), md, {pad.data(), block_size});
    secure_wipe(key0.data(), key0.size());
    secure_wipe(pad.data(), pad.size());
  }

  HashAlg alg() const override { return alg_; }

  void mac(std::span<const Bytes> parts, MutableBytes out) const override {
    if (out.size() != length_) fatal("HMAC output size");
    std::array<uint8_t, EVP_MAX_MD_SIZE> inner{};
    resume(inner_.get());
    for (Bytes part : parts) absorb(part);
    finish(work_.get(), inner.data());
    resume(outer_.get());
    absorb({inner.data(), length_});
    finish(work_.get(), out.data());
    secure_wipe(inner.data(), inner.size());
  }

 private:
  static void start(EVP_MD_CTX* ctx, const EVP_MD* md, Bytes data) {
    if (EVP_DigestInit_ex2(ctx, md, nullptr) != 1 ||
        EVP_DigestUpdate(ctx, data.data(), data.size()) != 1) {
      fatal("HMAC key setup");
    }
  }
  static void finish(EVP_MD_CTX* ctx, uint8_t* out) {
    if (EVP_DigestFinal_ex(ctx, out, nullptr) != 1) fatal("EVP_DigestFinal_ex");
  }
  void resume(const EVP_MD_CTX* prepared) const {
    if (EVP_MD_CTX_copy_ex(work_.get(), prepared) != 1) fatal("EVP_MD_CTX_copy_ex");
  }
  void absorb(Bytes data) const {
    if (data.empty()) return;
    if (EVP_DigestUpdate(work_.get(), data.data(), data.size()) != 1) fatal("EVP_DigestUpdate");
  }

  HashAlg alg_;
  size_t length_;
  MdCtxPtr inner_;
  MdCtxPtr outer_;
  MdCtxPtr work_;  // the MAC being computed; mac() is const for its callers
};

}  // namespace

std::unique_ptr<Hmac> make_hmac(const EVP_MD* md, HashAlg alg, Bytes key) {
  auto hmac = std::make_unique<PreparedHmac>(md, alg);
  hmac->key(md, key);
  return hmac;
}

}  // namespace bastion::crypto::openssl
