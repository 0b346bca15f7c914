// max_fragment_length (RFC 6066 §4). Decoded so a peer's request can be seen; Bastion does not
// send it (record_size_limit is the better tool).
#pragma once

#include <cstddef>
#include <cstdint>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

enum class MaxFragmentLengthCode : uint8_t {
  len_2_9 = 1,
  len_2_10 = 2,
  len_2_11 = 3,
  len_2_12 = 4,
};

struct MaxFragmentLength {
  static constexpr ExtensionType kType = ExtensionType::max_fragment_length;

  MaxFragmentLengthCode code = MaxFragmentLengthCode::len_2_12;

  // RFC 6066 §4: values other than 1..4 are an illegal_parameter.
  [[nodiscard]] static Result<MaxFragmentLength> decode(Bytes data);
  size_t fragment_length() const { return size_t{1} << (8 + static_cast<unsigned>(code)); }
};

}  // namespace bastion::msgs
