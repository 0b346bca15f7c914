// server_name (RFC 6066 §3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

// The ClientHello form carries a ServerNameList; the server's reply (EE, TLS 1.2 SH) is empty
// and is ServerNameAck.
struct ServerName {
  static constexpr ExtensionType kType = ExtensionType::server_name;

  // The host_name entry, ASCII, without a trailing dot. Empty if the list had none (only
  // unknown name types, which are skipped).
  std::string host_name;

  // RFC 6066 §3: a non-empty list; at most one name per name_type (illegal_parameter);
  // host names are ASCII without a trailing dot (illegal_parameter).
  [[nodiscard]] static Result<ServerName> decode(Bytes data);
  // One host_name entry; a trailing dot in `host_name` is dropped.
  Result<std::vector<uint8_t>> encode() const;

  // RFC 6066 §3: whether `name` may be sent as a HostName: non-empty, printable ASCII, no
  // trailing dot, not an IPv4 or IPv6 literal.
  static bool is_valid_host_name(std::string_view name);
};

struct ServerNameAck {
  static constexpr ExtensionType kType = ExtensionType::server_name;

  [[nodiscard]] static Result<ServerNameAck> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const { return std::vector<uint8_t>{}; }
};

}  // namespace bastion::msgs
