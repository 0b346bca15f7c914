// padding (RFC 7685): zero bytes that pad a ClientHello.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

struct Padding {
  static constexpr ExtensionType kType = ExtensionType::padding;

  size_t length = 0;  // number of zero bytes in extension_data

  // RFC 7685 §3: the client fills the extension with zero bytes; anything else is an
  // illegal_parameter.
  [[nodiscard]] static Result<Padding> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const { return std::vector<uint8_t>(length, 0); }
};

}  // namespace bastion::msgs
