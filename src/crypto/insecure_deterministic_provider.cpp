#include "crypto/insecure_deterministic_provider.hpp"

#include <algorithm>
#include <array>
#include <mutex>
#include <vector>

namespace bastion::crypto {
namespace {

constexpr size_t kBlock = 32;  // SHA-256 output

// The private-key length key_share_from_private() takes for each group.
size_t private_key_length(NamedGroup group) {
  switch (group) {
    case NamedGroup::x25519:
    case NamedGroup::secp256r1:
      return 32;
    case NamedGroup::secp384r1:
      return 48;
    case NamedGroup::secp521r1:
      return 66;
    case NamedGroup::x448:
      return 56;
    case NamedGroup::ffdhe2048:
    case NamedGroup::ffdhe3072:
    case NamedGroup::ffdhe4096:
    case NamedGroup::ffdhe6144:
    case NamedGroup::ffdhe8192:
      return 32;  // an exponent of 256 bits
    default:
      return 0;
  }
}

class InsecureDeterministicProvider final : public Provider {
 public:
  InsecureDeterministicProvider(std::span<const uint8_t> seed,
                                std::shared_ptr<const Provider> wrapped)
      : wrapped_(std::move(wrapped)), seed_(seed.begin(), seed.end()) {}

  std::unique_ptr<HashContext> new_hash(HashAlg alg) const override {
    return wrapped_->new_hash(alg);
  }
  void hmac(HashAlg alg, Bytes key, Bytes data, MutableBytes out) const override {
    wrapped_->hmac(alg, key, data, out);
  }
  void hkdf_extract(HashAlg alg, Bytes salt, Bytes ikm, MutableBytes out) const override {
    wrapped_->hkdf_extract(alg, salt, ikm, out);
  }
  void hkdf_expand(HashAlg alg, Bytes prk, Bytes info, MutableBytes out) const override {
    wrapped_->hkdf_expand(alg, prk, info, out);
  }
  std::unique_ptr<Hmac> new_hmac(HashAlg alg, Bytes key) const override {
    return wrapped_->new_hmac(alg, key);
  }
  Result<std::unique_ptr<Aead>> new_aead(AeadAlg alg, Bytes key) const override {
    return wrapped_->new_aead(alg, key);
  }
  bool supports_group(NamedGroup group) const override { return wrapped_->supports_group(group); }

  Result<std::unique_ptr<KeyShare>> generate_key_share(NamedGroup group) const override {
    const size_t length = private_key_length(group);
    if (length == 0 || !supports_group(group)) {
      return Error{ErrorCode::no_common_group, "unsupported key exchange group"};
    }
    SecretVector private_key(length);
    random(private_key.mutable_span());
    if (group != NamedGroup::x25519 && group != NamedGroup::x448) {
      // A NIST scalar must lie in [1, n-1] (an FFDHE exponent in [1, p-2]): clearing the top
      // byte keeps it below n for every curve, and setting the low bit keeps it from zero.
      private_key.mutable_span().front() = 0;
      private_key.mutable_span().back() |= 1;
    }
    return wrapped_->key_share_from_private(group, private_key.span());
  }
  Result<std::unique_ptr<KeyShare>> key_share_from_private(NamedGroup group,
                                                           Bytes private_key) const override {
    return wrapped_->key_share_from_private(group, private_key);
  }

  Result<std::unique_ptr<PublicKey>> import_public_key(
      const PublicKeyParams& params) const override {
    return wrapped_->import_public_key(params);
  }
  Result<std::unique_ptr<PrivateKey>> load_private_key_pem(std::string_view pem,
                                                           Bytes passphrase) const override {
    return wrapped_->load_private_key_pem(pem, passphrase);
  }
  Result<std::unique_ptr<PrivateKey>> generate_private_key(KeyType type,
                                                           size_t bits) const override {
    return wrapped_->generate_private_key(type, bits);
  }

  void random(MutableBytes out) const override {
    std::lock_guard lock(mutex_);
    while (!out.empty()) {
      if (used_ == kBlock) refill();
      const size_t n = std::min(out.size(), kBlock - used_);
      std::copy_n(block_.begin() + static_cast<long>(used_), n, out.begin());
      used_ += n;
      out = out.subspan(n);
    }
  }

 private:
  // block = SHA-256(seed || counter), counter big-endian.
  void refill() const {
    auto ctx = wrapped_->new_hash(HashAlg::sha256);
    ctx->update(seed_);
    std::array<uint8_t, 8> counter{};
    for (size_t i = 0; i < counter.size(); ++i) {
      counter[i] = static_cast<uint8_t>(counter_ >> (8 * (counter.size() - 1 - i)));
    }
    ctx->update(counter);
    ctx->digest(block_);
    ++counter_;
    used_ = 0;
  }

  std::shared_ptr<const Provider> wrapped_;
  std::vector<uint8_t> seed_;
  // random() is const in the interface; the stream position is the provider's only state.
  mutable std::mutex mutex_;
  mutable std::array<uint8_t, kBlock> block_{};
  mutable size_t used_ = kBlock;
  mutable uint64_t counter_ = 0;
};

}  // namespace

std::shared_ptr<const Provider> insecure_deterministic_provider(
    std::span<const uint8_t> seed, std::shared_ptr<const Provider> wrapped) {
  if (!wrapped) wrapped = openssl_provider();
  if (!wrapped) return nullptr;
  return std::make_shared<const InsecureDeterministicProvider>(seed, std::move(wrapped));
}

}  // namespace bastion::crypto
