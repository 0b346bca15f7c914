// The keys that seal a server's stateless tickets (RFC 8446 §4.6.1). Keys live for one epoch of
// `period` (an hour by default, independent of the ticket lifetime) since the Unix epoch; a
// ticket names the epoch it was sealed in, and opens while that epoch is no older than the
// ticket lifetime allows (ceil(lifetime / period) epochs before the current one). A ticket is
//   epoch[8] || key_name[16] || nonce[12] || AES-256-GCM(contents) || tag[16]
// with epoch || key_name as additional data. Short epochs keep the number of random 96-bit
// nonces under one key small, even when many servers share the secret.
//
// With a shared secret, each epoch's key and name are derived with HKDF from it, the period
// and the server's ticket context (what a ticket's client authentication means to the config
// that issued it: see ServerConfig), so servers with the same secret and an equivalent config
// accept each other's tickets, and no other. Every epoch's key stays derivable from the
// secret: old tickets are protected by the operator rotating the secret, not by the epochs.
// Derived keys are cached for the two epochs last used, behind a mutex, since a ServerConfig
// (and its TicketKeys) serves every thread; a key pushed out is wiped.
//
// Without a secret, each epoch gets a fresh random key when the first ticket is sealed in it;
// keys of epochs too old to open are wiped and forgotten, so a key compromised later exposes
// only the tickets of the last lifetime.
#pragma once

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "bastion/error.hpp"
#include "core/secret.hpp"
#include "crypto/provider.hpp"
#include "session/ticket_contents.hpp"

namespace bastion::session {

class TicketKeys {
 public:
  static constexpr size_t kEpochLength = 8;
  static constexpr size_t kNameLength = 16;
  static constexpr size_t kMinSecret = 32;
  static constexpr size_t kHeaderLength = kEpochLength + kNameLength + crypto::kAeadNonceLength;
  static constexpr size_t kOverhead = kHeaderLength + crypto::kAeadTagLength;
  static constexpr std::chrono::seconds kDefaultPeriod = std::chrono::hours(1);
  // Derivation input binding tickets to a server config (see ServerConfig::create).
  using Context = std::array<uint8_t, 32>;

  // `secret` empty: random keys (tickets then open only in this TicketKeys). Otherwise at
  // least kMinSecret bytes (invalid_config). `lifetime` (the longest a ticket lives) and
  // `period` are at least one second.
  static Result<std::unique_ptr<const TicketKeys>> create(
      std::shared_ptr<const crypto::Provider> provider, crypto::Bytes secret,
      std::chrono::seconds lifetime, std::chrono::seconds period = kDefaultPeriod,
      const Context& context = {});

  std::chrono::seconds period() const { return period_; }
  // message_too_large when the contents exceed kMaxTicketPlaintext.
  [[nodiscard]] Result<std::vector<uint8_t>> seal(const TicketContents& contents,
                                                  std::chrono::system_clock::time_point now) const;
  // nullopt when the ticket is not one of ours (another secret or context), was changed, names
  // an epoch in the future or too old for the lifetime, or has expired.
  std::optional<TicketContents> open(crypto::Bytes ticket,
                                     std::chrono::system_clock::time_point now) const;

 private:
  struct EpochKey {
    std::array<uint8_t, kNameLength> name{};
    Secret key;
  };
  // The current and previous epochs' keys, or whichever two were used last.
  struct CachedKey {
    uint64_t epoch = 0;
    EpochKey key;  // key.key empty: slot unused
  };

  TicketKeys(std::shared_ptr<const crypto::Provider> provider, Secret prk,
             std::chrono::seconds period, uint64_t max_age, const Context& context)
      : provider_(std::move(provider)),
        prk_(std::move(prk)),
        period_(period),
        max_age_(max_age),
        context_(context) {}
  uint64_t epoch_at(std::chrono::system_clock::time_point now) const;
  EpochKey derive(uint64_t epoch) const;
  // The key of `epoch` (a copy, so that sealing and opening run without the lock): derived
  // (and cached) from a shared secret; random keys are made only for sealing (`create`), and
  // those older than `current` allows are wiped first.
  std::optional<EpochKey> key_for(uint64_t epoch, uint64_t current, bool create) const;
  std::optional<EpochKey> random_key_for(uint64_t epoch, uint64_t current, bool create) const;

  std::shared_ptr<const crypto::Provider> provider_;
  Secret prk_;  // HKDF-Extract(salt, secret); empty: random keys
  std::chrono::seconds period_;
  uint64_t max_age_;  // in epochs: ceil(lifetime / period)
  Context context_;
  mutable std::mutex cache_mutex_;
  mutable std::array<CachedKey, 2> cache_;            // guarded by cache_mutex_
  mutable std::map<uint64_t, EpochKey> random_keys_;  // guarded by cache_mutex_
};

}  // namespace bastion::session
