// What a server's stateless ticket holds (RFC 8446 §4.6.1 leaves the format to the server):
// everything needed to resume without server-side state. Sealed by TicketKeys.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "bastion/config.hpp"
#include "bastion/error.hpp"
#include "bastion/session.hpp"
#include "bastion/types.hpp"
#include "core/reader.hpp"
#include "core/secret.hpp"

namespace bastion::session {

// Tickets larger than this are not issued (a long client certificate chain): the client would
// have to send it back in its ClientHello.
inline constexpr size_t kMaxTicketPlaintext = 8192;

struct TicketContents {
  ProtocolVersion version = ProtocolVersion::tls13;
  CipherSuite suite{};
  Secret psk;  // TLS 1.3: the resumption PSK; TLS 1.2: the master secret
  std::chrono::system_clock::time_point issued;  // stored to the millisecond
  std::chrono::seconds lifetime{0};
  // When the client authentication this ticket carries took place (the full handshake the
  // session descends from), stored to the millisecond. Renewed tickets keep it.
  std::chrono::system_clock::time_point auth_time;
  uint32_t age_add = 0;
  std::string alpn;
  std::string server_name;
  std::vector<Der> client_certificates;  // leaf first; empty without client authentication
  bool client_verified = false;
  // TLS 1.2: the session's master secret (in `psk`) is an extended one (RFC 7627).
  bool extended_master_secret = false;

  TicketContents clone() const;

  // Appends the encoding to `out` (which the caller wipes: it holds the PSK). message_too_large
  // when a field is too long for its length prefix.
  [[nodiscard]] Result<void> encode(std::vector<uint8_t>& out) const;
  // The size encode() appends, so that a caller can reserve it: a vector that grows while it
  // holds the PSK would free unwiped copies.
  size_t encoded_size() const;
  // decode_error on anything malformed, trailing bytes included.
  [[nodiscard]] static Result<TicketContents> decode(Bytes plaintext);
  // Past its lifetime, or more than 7 days after the authentication it carries (RFC 8446
  // §4.6.1 caps ticket lifetimes at 7 days; resumption must not renew the authentication).
  bool expired(std::chrono::system_clock::time_point now) const {
    return now >= std::min(issued + lifetime, auth_time + kMaxSessionAge);
  }
};

}  // namespace bastion::session
