// Stateless HelloRetryRequest cookies (RFC 8446 §4.2.2): what the server decided when it asked
// for a second ClientHello, and the hash of the first, authenticated with a server key and
// bound in time, so that the server keeps nothing per half-open handshake. A cookie is
//   format[1] || issued_ms[8] || suite[2] || group[2] || hash<1..64> || invariants[32] || mac[32]
// with mac = HMAC-SHA256(key, everything before it). The key is random per config, or derived
// from the ticket secret, so that servers sharing one accept each other's cookies.
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "bastion/error.hpp"
#include "bastion/types.hpp"
#include "core/secret.hpp"
#include "crypto/provider.hpp"

namespace bastion::session {

// What a second ClientHello is checked against.
struct RetryState {
  CipherSuite suite{};
  NamedGroup group{};
  std::vector<uint8_t> client_hello_hash;  // Transcript-Hash(ClientHello1) with the suite's hash
  std::array<uint8_t, 32> invariants{};    // the digest of what ClientHello2 must repeat
};

class RetryCookies {
 public:
  // How long after the HelloRetryRequest its cookie is accepted, and how far in the future
  // (another server's clock) it may seem to come from.
  static constexpr std::chrono::seconds kLifetime{30};
  static constexpr std::chrono::seconds kClockSkew{5};

  // `secret` empty: a random key. Otherwise the ticket secret (its length checked there).
  static std::unique_ptr<const RetryCookies> create(
      std::shared_ptr<const crypto::Provider> provider, crypto::Bytes secret);

  std::vector<uint8_t> seal(const RetryState& state,
                            std::chrono::system_clock::time_point now) const;
  // nullopt when the cookie is not one of ours, was changed, or is too old or too new.
  std::optional<RetryState> open(crypto::Bytes cookie,
                                 std::chrono::system_clock::time_point now) const;

 private:
  RetryCookies(std::shared_ptr<const crypto::Provider> provider, Secret key)
      : provider_(std::move(provider)), key_(std::move(key)) {}
  std::array<uint8_t, 32> mac(crypto::Bytes contents) const;

  std::shared_ptr<const crypto::Provider> provider_;
  Secret key_;
};

}  // namespace bastion::session
