// application_layer_protocol_negotiation (RFC 7301 §3.1).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

struct Alpn {
  static constexpr ExtensionType kType = ExtensionType::application_layer_protocol_negotiation;

  // ProtocolName<1..2^8-1> each (bytes, not necessarily printable); the server's reply holds
  // exactly one (RFC 7301 §3.1; the handshake checks that, see has_single_protocol()).
  std::vector<std::string> protocol_name_list;  // <2..2^16-1> bytes

  // RFC 7301 §3.1: empty names and an empty list are decode errors.
  [[nodiscard]] static Result<Alpn> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
  bool has_single_protocol() const { return protocol_name_list.size() == 1; }
};

}  // namespace bastion::msgs
