// HKDF as TLS 1.3 uses it (RFC 8446 §7.1): Extract, Expand-Label and Derive-Secret, for the
// key schedule (key_schedule.hpp) and the traffic keys (traffic_secret.hpp).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "core/secret.hpp"
#include "crypto/provider.hpp"

namespace bastion::handshake {

// HKDF over one hash. A small value: the provider must outlive it.
class Hkdf {
 public:
  // RFC 8446 §7.1: HkdfLabel.label is opaque<7..255> including the "tls13 " prefix.
  static constexpr size_t kMaxLabel = 255 - 6;
  static constexpr size_t kMaxContext = 255;

  Hkdf(const crypto::Provider& provider, crypto::HashAlg hash)
      : provider_(&provider), hash_(hash) {}

  const crypto::Provider& provider() const { return *provider_; }
  crypto::HashAlg hash() const { return hash_; }
  size_t hash_length() const { return crypto::hash_length(hash_); }

  // HKDF-Extract(salt, ikm): hash_length() bytes.
  Secret extract(crypto::Bytes salt, crypto::Bytes ikm) const;

  // HKDF-Expand-Label(secret, label, context, out.size()); `label` without "tls13 ".
  // Returns false (out untouched) when label or context exceed the limits above or out is
  // longer than 255 * hash_length().
  [[nodiscard]] bool expand_label(crypto::Bytes secret, std::string_view label,
                                  crypto::Bytes context, crypto::MutableBytes out) const;
  // The same into a Secret of `length` <= 64 bytes, for our own fixed labels. Aborts on misuse
  // (an over-long label is a bug in Bastion, never peer input).
  Secret expand_label(const Secret& secret, std::string_view label, crypto::Bytes context,
                      size_t length) const;

  // Derive-Secret(secret, label, Messages) given Transcript-Hash(Messages).
  Secret derive_secret(const Secret& secret, std::string_view label,
                       crypto::Bytes transcript_hash) const;

  // Hash(data) into a buffer of hash_length() bytes.
  Secret hash(crypto::Bytes data) const;

 private:
  const crypto::Provider* provider_;
  crypto::HashAlg hash_;
};

// A secret with its HMAC key prepared once (crypto::Hmac), for several HKDF-Expand-Label calls
// under it: each TLS 1.3 secret feeds two to four (traffic secrets, "key", "iv", "finished",
// "derived"), and each expansion after the first then costs half the hashing. Move-only; the
// prepared key states are wiped when it is destroyed. One thread at a time.
class PreparedSecret {
 public:
  PreparedSecret(const Hkdf& hkdf, const Secret& secret);

  // HKDF-Expand-Label(secret, label, context, length) for our own fixed labels and lengths
  // (length <= 64, label and context within Hkdf's limits); aborts on misuse.
  Secret expand_label(std::string_view label, crypto::Bytes context, size_t length) const;
  // Derive-Secret(secret, label, Messages) given Transcript-Hash(Messages).
  Secret derive_secret(std::string_view label, crypto::Bytes transcript_hash) const;

 private:
  crypto::HashAlg hash_;
  std::unique_ptr<crypto::Hmac> hmac_;
};

}  // namespace bastion::handshake
