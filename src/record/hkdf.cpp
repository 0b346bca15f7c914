#include "record/hkdf.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace bastion::record {
namespace {

constexpr std::string_view kLabelPrefix = "tls13 ";

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
  // struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } HkdfLabel;
  std::array<uint8_t, 2 + 1 + 255 + 1 + 255> info{};
  size_t n = 0;
  info[n++] = static_cast<uint8_t>(out.size() >> 8);
  info[n++] = static_cast<uint8_t>(out.size());
  info[n++] = static_cast<uint8_t>(kLabelPrefix.size() + label.size());
  n = std::copy(kLabelPrefix.begin(), kLabelPrefix.end(), info.begin() + n) - info.begin();
  n = std::copy(label.begin(), label.end(), info.begin() + n) - info.begin();
  info[n++] = static_cast<uint8_t>(context.size());
  n = std::copy(context.begin(), context.end(), info.begin() + n) - info.begin();
  provider_->hkdf_expand(hash_, secret, crypto::Bytes(info.data(), n), out);
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

TrafficKeys derive_traffic_keys(const Hkdf& hkdf, crypto::AeadAlg aead,
                                const Secret& traffic_secret) {
  // RFC 8446 §7.3: [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length);
  //                [sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length).
  return TrafficKeys{
      hkdf.expand_label(traffic_secret, "key", {}, crypto::aead_key_length(aead)),
      hkdf.expand_label(traffic_secret, "iv", {}, crypto::kAeadNonceLength),
  };
}

}  // namespace bastion::record
