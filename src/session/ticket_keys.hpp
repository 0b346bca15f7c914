// The keys that seal a server's stateless tickets (RFC 8446 §4.6.1). Keys are derived with HKDF
// from one secret per epoch of `period` seconds since the Unix epoch: a ticket is sealed under
// the current epoch's key and opens under it or the previous one's, so keys rotate by
// themselves and servers sharing the secret accept each other's tickets. A ticket is
//   key_name[16] || nonce[12] || AES-256-GCM(contents) || tag[16]
// with key_name (derived per epoch beside the key, so it names it) as additional data.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "bastion/error.hpp"
#include "core/secret.hpp"
#include "crypto/provider.hpp"
#include "session/ticket_contents.hpp"

namespace bastion::session {

class TicketKeys {
 public:
  static constexpr size_t kNameLength = 16;
  static constexpr size_t kMinSecret = 32;
  static constexpr size_t kOverhead =
      kNameLength + crypto::kAeadNonceLength + crypto::kAeadTagLength;

  // `secret` empty: a random one (tickets then open only in this TicketKeys). Otherwise at
  // least kMinSecret bytes (invalid_config). `period` is at least one second.
  static Result<std::unique_ptr<const TicketKeys>> create(
      std::shared_ptr<const crypto::Provider> provider, crypto::Bytes secret,
      std::chrono::seconds period);

  std::chrono::seconds period() const { return period_; }
  // message_too_large when the contents exceed kMaxTicketPlaintext.
  [[nodiscard]] Result<std::vector<uint8_t>> seal(const TicketContents& contents,
                                                  std::chrono::system_clock::time_point now) const;
  // nullopt when the ticket is not one of ours, was changed, is sealed under a key older than
  // the previous epoch's, or has expired.
  std::optional<TicketContents> open(crypto::Bytes ticket,
                                     std::chrono::system_clock::time_point now) const;

 private:
  struct EpochKey {
    std::array<uint8_t, kNameLength> name{};
    Secret key;
  };

  TicketKeys(std::shared_ptr<const crypto::Provider> provider, Secret prk,
             std::chrono::seconds period)
      : provider_(std::move(provider)), prk_(std::move(prk)), period_(period) {}
  uint64_t epoch_at(std::chrono::system_clock::time_point now) const;
  EpochKey derive(uint64_t epoch) const;

  std::shared_ptr<const crypto::Provider> provider_;
  Secret prk_;  // HKDF-Extract(salt, secret)
  std::chrono::seconds period_;
};

}  // namespace bastion::session
