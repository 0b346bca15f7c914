#include "handshake/hkdf.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace bastion::handshake {
namespace {

constexpr std::string_view kLabelPrefix = "tls13 ";

// struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } HkdfLabel;
struct HkdfLabel {
  std::array<uint8_t, 2 + 1 + 255 + 1 + 255> bytes{};
  size_t size = 0;

  // Precondition: label.size() <= Hkdf::kMaxLabel, context.size() <= Hkdf::kMaxContext.
  HkdfLabel(std::string_view label, crypto::Bytes context, size_t length) {
    bytes[size++] = static_cast<uint8_t>(length >> 8);
    bytes[size++] = static_cast<uint8_t>(length);
    bytes[size++] = static_cast<uint8_t>(kLabelPrefix.size() + label.size());
    size =
        std::copy(kLabelPrefix.begin(), kLabelPrefix.end(), bytes.begin() + size) - bytes.begin();
    size = std::copy(label.begin(), label.end(), bytes.begin() + size) - bytes.begin();
    bytes[size++] = static_cast<uint8_t>(context.size());
    size = std::copy(context.begin(), context.end(), bytes.begin() + size) - bytes.begin();
  }

  crypto::Bytes span() const { return {bytes.data(), size}; }
};

}  // namespace

Secret Hkdf::extract(crypto::Bytes salt, crypto::Bytes ikm) const {
  Secret out(hash_length());
  provider_->hkdf_extract(hash_, salt, ikm, out.mutable_span());
  return out;
}

bool Hkdf::expand_label(crypto::Bytes secret, std::string_view label, crypto::Bytes context,
                        crypto::MutableBytes out) const {
  if (label.size() > kMaxLabel || context.size() > kMaxContext ||
      out.size() > 255 * hash_length()) {
    return false;
  }
  provider_->hkdf_expand(hash_, secret, HkdfLabel(label, context, out.size()).span(), out);
  return true;
}

Secret Hkdf::expand_label(const Secret& secret, std::string_view label, crypto::Bytes context,
                          size_t length) const {
  Secret out(length);
  if (length > Secret::kCapacity ||
      !expand_label(secret.span(), label, context, out.mutable_span())) {
    std::abort();  // our own labels and lengths: a bug, not input
  }
  return out;
}

Secret Hkdf::derive_secret(const Secret& secret, std::string_view label,
                           crypto::Bytes transcript_hash) const {
  return expand_label(secret, label, transcript_hash, hash_length());
}

Secret Hkdf::hash(crypto::Bytes data) const {
  Secret out(hash_length());
  provider_->hash(hash_, data, out.mutable_span());
  return out;
}

PreparedSecret::PreparedSecret(const Hkdf& hkdf, const Secret& secret)
    : hash_(hkdf.hash()), hmac_(hkdf.provider().new_hmac(hash_, secret.span())) {}

Secret PreparedSecret::expand_label(std::string_view label, crypto::Bytes context,
                                    size_t length) const {
  // Our own labels and lengths, on a secret not yet consumed: a bug otherwise, never input.
  if (hmac_ == nullptr || length > Secret::kCapacity || label.size() > Hkdf::kMaxLabel ||
      context.size() > Hkdf::kMaxContext) {
    std::abort();
  }
  Secret out(length);
  crypto::hkdf_expand(*hmac_, HkdfLabel(label, context, length).span(), out.mutable_span());
  return out;
}

Secret PreparedSecret::derive_secret(std::string_view label, crypto::Bytes transcript_hash) const {
  return expand_label(label, transcript_hash, crypto::hash_length(hash_));
}

}  // namespace bastion::handshake
