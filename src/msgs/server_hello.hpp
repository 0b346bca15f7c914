// ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4), and TLS 1.2 ServerHello.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "bastion/error.hpp"
#include "bastion/types.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"
#include "msgs/extension.hpp"

namespace bastion::msgs {

// RFC 8446 §4.1.3: the random of a HelloRetryRequest, SHA-256("HelloRetryRequest").
inline constexpr std::array<uint8_t, 32> kHelloRetryRequestRandom = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

// RFC 8446 §4.1.3: last 8 bytes of ServerHello.random when a TLS 1.3 server negotiates
// TLS 1.2 ("DOWNGRD\1") or TLS 1.1 and below ("DOWNGRD\0").
inline constexpr std::array<uint8_t, 8> kDowngradeTls12 = {0x44, 0x4f, 0x57, 0x4e,
                                                           0x47, 0x52, 0x44, 0x01};
inline constexpr std::array<uint8_t, 8> kDowngradeTls11 = {0x44, 0x4f, 0x57, 0x4e,
                                                           0x47, 0x52, 0x44, 0x00};

struct ServerHello {
  static constexpr HandshakeType kType = HandshakeType::server_hello;

  ProtocolVersion legacy_version = ProtocolVersion::tls12;
  std::array<uint8_t, 32> random{};
  std::vector<uint8_t> legacy_session_id_echo;  // <0..32>
  CipherSuite cipher_suite{};
  uint8_t legacy_compression_method = 0;
  // Empty: the block is omitted on encode (TLS 1.2 allows that; TLS 1.3 always has some).
  std::vector<Extension> extensions;  // <6..2^16-1> when present

  bool is_hello_retry_request() const { return random == kHelloRetryRequestRandom; }
  // RFC 8446 §4.1.3: the last eight bytes of the random say the server has TLS 1.3 (or 1.2)
  // but negotiated less.
  bool has_downgrade_sentinel() const {
    const auto tail = std::span(random).last(8);
    return std::equal(tail.begin(), tail.end(), kDowngradeTls12.begin()) ||
           std::equal(tail.begin(), tail.end(), kDowngradeTls11.begin());
  }
  // Which column of the RFC 8446 §4.2 table applies, for TLS 1.3.
  MessageKind kind() const {
    return is_hello_retry_request() ? MessageKind::hello_retry_request : MessageKind::server_hello;
  }

  [[nodiscard]] static Result<ServerHello> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
