// NewSessionTicket, TLS 1.3 form (RFC 8446 §4.6.1).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"
#include "msgs/extension.hpp"

namespace bastion::msgs {

struct NewSessionTicket {
  static constexpr HandshakeType kType = HandshakeType::new_session_ticket;

  uint32_t ticket_lifetime = 0;  // seconds; RFC 8446 §4.6.1 caps it at 604800
  uint32_t ticket_age_add = 0;
  std::vector<uint8_t> ticket_nonce;  // <0..255>
  std::vector<uint8_t> ticket;        // <1..2^16-1>
  std::vector<Extension> extensions;  // <0..2^16-2>

  [[nodiscard]] static Result<NewSessionTicket> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
