// record_size_limit (RFC 8449 §4).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

struct RecordSizeLimit {
  static constexpr ExtensionType kType = ExtensionType::record_size_limit;
  static constexpr uint16_t kMinimum = 64;

  uint16_t record_size_limit = 0;

  // RFC 8449 §4: a value below 64 is an illegal_parameter.
  [[nodiscard]] static Result<RecordSizeLimit> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
