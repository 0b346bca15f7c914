// Extensions used with TLS 1.2 only: renegotiation_info (RFC 5746 §3.2),
// extended_master_secret (RFC 7627 §5.1), ec_point_formats (RFC 8422 §5.1.2),
// session_ticket (RFC 5077 §3.2).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

struct RenegotiationInfo {
  static constexpr ExtensionType kType = ExtensionType::renegotiation_info;

  std::vector<uint8_t> renegotiated_connection;  // <0..255>

  [[nodiscard]] static Result<RenegotiationInfo> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

struct ExtendedMasterSecret {
  static constexpr ExtensionType kType = ExtensionType::extended_master_secret;

  // RFC 7627 §5.1: the extension_data is empty.
  [[nodiscard]] static Result<ExtendedMasterSecret> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const { return std::vector<uint8_t>{}; }
};

enum class EcPointFormat : uint8_t {
  uncompressed = 0,
  ansix962_compressed_prime = 1,
  ansix962_compressed_char2 = 2,
};

struct EcPointFormats {
  static constexpr ExtensionType kType = ExtensionType::ec_point_formats;

  std::vector<EcPointFormat> ec_point_format_list = {EcPointFormat::uncompressed};  // <1..2^8-1>

  [[nodiscard]] static Result<EcPointFormats> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
  bool has_uncompressed() const;
};

struct SessionTicket {
  static constexpr ExtensionType kType = ExtensionType::session_ticket;

  std::vector<uint8_t> ticket;  // the whole extension_data; empty asks for a new ticket

  [[nodiscard]] static Result<SessionTicket> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const { return ticket; }
};

}  // namespace bastion::msgs
