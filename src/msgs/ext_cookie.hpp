// cookie (RFC 8446 §4.2.2).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

struct Cookie {
  static constexpr ExtensionType kType = ExtensionType::cookie;

  std::vector<uint8_t> cookie;  // <1..2^16-1>

  [[nodiscard]] static Result<Cookie> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
