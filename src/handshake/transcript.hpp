// The handshake transcript (RFC 8446 §4.4.1, RFC 5246 §7.4.9). Until the hash is known (the
// ServerHello or HelloRetryRequest picks the suite) messages are buffered; then they are hashed
// incrementally. A TLS 1.2 transcript can also keep the messages themselves, which a
// CertificateVerify signs with its own scheme's hash (RFC 5246 §7.4.8).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "bastion/error.hpp"
#include "crypto/provider.hpp"

namespace bastion::handshake {

// A hash value (not secret), up to SHA-512.
struct Digest {
  std::array<uint8_t, 64> bytes{};
  size_t length = 0;

  crypto::Bytes span() const { return {bytes.data(), length}; }
  bool empty() const { return length == 0; }
};

class Transcript {
 public:
  explicit Transcript(const crypto::Provider& provider) : provider_(&provider) {}
  // A transcript whose hash is already known (a server picks the suite from the ClientHello).
  Transcript(const crypto::Provider& provider, crypto::HashAlg hash);

  Transcript(Transcript&&) noexcept = default;
  Transcript& operator=(Transcript&&) noexcept = default;
  Transcript(const Transcript&) = delete;
  Transcript& operator=(const Transcript&) = delete;

  // Appends one whole handshake message, its 4-byte header included.
  void add(crypto::Bytes message);
  // Keeps the messages themselves from now on, those buffered so far included (call before
  // set_hash), for messages().
  void keep_messages();
  // Every message so far, when kept (else only those before the hash was set).
  crypto::Bytes messages() const { return buffered_; }

  // Fixes the hash and hashes what was buffered. Setting the same hash again is a no-op; a
  // different one is an internal_error.
  [[nodiscard]] Result<void> set_hash(crypto::HashAlg hash);
  std::optional<crypto::HashAlg> hash() const;
  bool has_hash() const { return ctx_ != nullptr; }
  size_t message_count() const { return messages_; }

  // RFC 8446 §4.4.1: on a HelloRetryRequest, ClientHello1 is replaced by
  //   message_hash(254) || 00 00 Hash.length || Hash(ClientHello1).
  // Call once the hash is set, with ClientHello1 the only message so far, before adding the
  // HelloRetryRequest; otherwise internal_error.
  [[nodiscard]] Result<void> replace_client_hello_with_message_hash();
  // The same synthetic message from a known Hash(ClientHello1) (a server restoring its state
  // from a cookie). The transcript must have a hash and no message yet.
  [[nodiscard]] Result<void> start_with_client_hello_hash(crypto::Bytes client_hello1_hash);

  // Transcript-Hash of the messages so far. Precondition: has_hash() (else an empty Digest).
  Digest current_hash() const;
  // Transcript-Hash of the messages so far followed by `extra`, without adding it: PSK binders
  // over a truncated ClientHello (RFC 8446 §4.2.11.2). Works before the hash is set (`hash` is
  // the PSK's); once set, `hash` must be the transcript's (else an empty Digest).
  Digest hash_with(crypto::HashAlg hash, crypto::Bytes extra) const;

 private:
  const crypto::Provider* provider_;
  std::unique_ptr<crypto::HashContext> ctx_;
  std::vector<uint8_t> buffered_;  // messages seen before the hash was known, or all when kept
  size_t messages_ = 0;
  bool keep_ = false;
};

}  // namespace bastion::handshake
