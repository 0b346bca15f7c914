// post_handshake_auth (RFC 8446 §4.2.6): empty, ClientHello only.
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

struct PostHandshakeAuth {
  static constexpr ExtensionType kType = ExtensionType::post_handshake_auth;

  [[nodiscard]] static Result<PostHandshakeAuth> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const { return std::vector<uint8_t>{}; }
};

}  // namespace bastion::msgs
