// KeyUpdate (RFC 8446 §4.6.3).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

enum class KeyUpdateRequest : uint8_t {
  update_not_requested = 0,
  update_requested = 1,
};

struct KeyUpdate {
  static constexpr HandshakeType kType = HandshakeType::key_update;

  KeyUpdateRequest request_update = KeyUpdateRequest::update_not_requested;

  // RFC 8446 §4.6.3: any other value than 0 or 1 is illegal_parameter.
  [[nodiscard]] static Result<KeyUpdate> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
