#include "crypto/openssl/digest.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace bastion::crypto::openssl {

namespace {

class OpenSslHashContext final : public HashContext {
 public:
  OpenSslHashContext(MdCtxPtr ctx, HashAlg alg) : ctx_(std::move(ctx)), alg_(alg) {}

  void update(Bytes data) override {
    if (data.empty()) return;
    if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) fatal("EVP_DigestUpdate");
  }

  std::unique_ptr<HashContext> clone() const override {
    return std::make_unique<OpenSslHashContext>(copy(), alg_);
  }

  void digest(MutableBytes out) const override {
    // Finalising consumes a context, so finalise a copy: the transcript goes on after this.
    MdCtxPtr snapshot = copy();
    std::array<uint8_t, EVP_MAX_MD_SIZE> buf{};
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(snapshot.get(), buf.data(), &len) != 1) fatal("EVP_DigestFinal_ex");
    std::copy_n(buf.begin(), std::min<size_t>(len, out.size()), out.begin());
  }

  HashAlg alg() const override { return alg_; }

 private:
  MdCtxPtr copy() const {
    MdCtxPtr c(EVP_MD_CTX_new());
    if (c == nullptr || EVP_MD_CTX_copy_ex(c.get(), ctx_.get()) != 1) fatal("EVP_MD_CTX_copy_ex");
    return c;
  }

  MdCtxPtr ctx_;
  HashAlg alg_;
};

constexpr size_t kMaxBlockSize = 128;  // SHA-384 and SHA-512

// HMAC (RFC 2104) of the concatenation of `parts`, reusing one digest context for the inner and
// outer hash. Implemented here rather than with EVP_MAC because an EVP_MAC context takes the
// digest by name (a fetch per operation) and allocates three digest contexts.
class Hmac {
 public:
  Hmac(const EVP_MD* md, Bytes key)
      : md_(md),
        ctx_(EVP_MD_CTX_new()),
        block_size_(static_cast<size_t>(EVP_MD_get_block_size(md))),
        length_(static_cast<size_t>(EVP_MD_get_size(md))) {
    if (ctx_ == nullptr || block_size_ > kMaxBlockSize) fatal("HMAC setup");
    // K0: the key, hashed first when longer than a block, then padded with zeros.
    if (key.size() > block_size_) {
      digest({key}, key0_.data());
    } else {
      std::copy(key.begin(), key.end(), key0_.begin());
    }
  }
  ~Hmac() {
    secure_wipe(key0_.data(), key0_.size());
    secure_wipe(pad_.data(), pad_.size());
    secure_wipe(inner_.data(), inner_.size());
  }
  Hmac(const Hmac&) = delete;
  Hmac& operator=(const Hmac&) = delete;

  size_t length() const { return length_; }

  // Writes length() bytes to out.
  void compute(std::initializer_list<Bytes> parts, uint8_t* out) {
    xor_key(0x36);
    init_and_absorb_pad();
    for (Bytes part : parts) absorb(part);
    finish(inner_.data());
    xor_key(0x5c);
    init_and_absorb_pad();
    absorb({inner_.data(), length_});
    finish(out);
  }

 private:
  void xor_key(uint8_t byte) {
    for (size_t i = 0; i < block_size_; ++i) pad_[i] = key0_[i] ^ byte;
  }
  void init_and_absorb_pad() {
    if (EVP_DigestInit_ex2(ctx_.get(), md_, nullptr) != 1) fatal("EVP_DigestInit_ex2");
    absorb({pad_.data(), block_size_});
  }
  void absorb(Bytes data) {
    if (data.empty()) return;
    if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) fatal("EVP_DigestUpdate");
  }
  void finish(uint8_t* out) {
    if (EVP_DigestFinal_ex(ctx_.get(), out, nullptr) != 1) fatal("EVP_DigestFinal_ex");
  }
  void digest(std::initializer_list<Bytes> parts, uint8_t* out) {
    if (EVP_DigestInit_ex2(ctx_.get(), md_, nullptr) != 1) fatal("EVP_DigestInit_ex2");
    for (Bytes part : parts) absorb(part);
    finish(out);
  }

  const EVP_MD* md_;
  MdCtxPtr ctx_;
  size_t block_size_;
  size_t length_;
  std::array<uint8_t, kMaxBlockSize> key0_{};
  std::array<uint8_t, kMaxBlockSize> pad_{};
  std::array<uint8_t, EVP_MAX_MD_SIZE> inner_{};
};

}  // namespace

std::unique_ptr<HashContext> make_hash_context(const EVP_MD* md, HashAlg alg) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr || EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1) {
    fatal("EVP_DigestInit_ex2");
  }
  return std::make_unique<OpenSslHashContext>(std::move(ctx), alg);
}

void hmac(const EVP_MD* md, Bytes key, Bytes data, MutableBytes out) {
  Hmac mac(md, key);
  if (out.size() == mac.length()) {
    mac.compute({data}, out.data());
    return;
  }
  std::array<uint8_t, EVP_MAX_MD_SIZE> full{};
  mac.compute({data}, full.data());
  std::copy_n(full.begin(), std::min(out.size(), mac.length()), out.begin());
  secure_wipe(full.data(), full.size());
}

void hkdf_extract(const EVP_MD* md, Bytes salt, Bytes ikm, MutableBytes out) {
  // RFC 5869 §2.2: an absent salt is HashLen zeros. HMAC pads its key with zeros to the block
  // size, so an empty key gives the same result and needs no special case.
  hmac(md, salt, ikm, out);
}

void hkdf_expand(const EVP_MD* md, Bytes prk, Bytes info, MutableBytes out) {
  Hmac mac(md, prk);
  const size_t hash_len = mac.length();
  // RFC 5869 §2.3: L <= 255*HashLen.
  if (out.size() > 255 * hash_len) fatal("HKDF-Expand output longer than 255*HashLen");
  std::array<uint8_t, EVP_MAX_MD_SIZE> block{};
  Bytes previous;
  for (size_t done = 0, i = 1; done < out.size(); ++i) {
    const uint8_t counter = static_cast<uint8_t>(i);
    mac.compute({previous, info, {&counter, 1}}, block.data());
    const size_t n = std::min(hash_len, out.size() - done);
    std::copy_n(block.begin(), n, out.begin() + static_cast<ptrdiff_t>(done));
    done += n;
    previous = Bytes(block.data(), hash_len);
  }
  secure_wipe(block.data(), block.size());
}

}  // namespace bastion::crypto::openssl
