// ClientHello (RFC 8446 §4.1.2), also accepting TLS 1.2-style hellos without extensions.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "bastion/types.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"
#include "msgs/extension.hpp"

namespace bastion::msgs {

struct ClientHello {
  static constexpr HandshakeType kType = HandshakeType::client_hello;

  ProtocolVersion legacy_version = ProtocolVersion::tls12;
  std::array<uint8_t, 32> random{};
  std::vector<uint8_t> legacy_session_id;              // <0..32>
  std::vector<CipherSuite> cipher_suites;              // <2..2^16-2>
  std::vector<uint8_t> legacy_compression_methods{0};  // <1..2^8-1>
  // Empty: the extensions block is omitted on encode (a TLS 1.2 hello without extensions).
  std::vector<Extension> extensions;  // <8..2^16-1> when present

  // RFC 8446 §4.2.11: if pre_shared_key is present it must be the last extension
  // (illegal_parameter).
  [[nodiscard]] static Result<ClientHello> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const;  // the body, without the handshake header
};

}  // namespace bastion::msgs
