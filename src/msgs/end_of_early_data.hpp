// EndOfEarlyData (RFC 8446 §4.5): an empty body.
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

struct EndOfEarlyData {
  static constexpr HandshakeType kType = HandshakeType::end_of_early_data;

  [[nodiscard]] static Result<EndOfEarlyData> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const { return std::vector<uint8_t>{}; }
};

}  // namespace bastion::msgs
