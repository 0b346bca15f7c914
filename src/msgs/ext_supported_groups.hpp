// supported_groups (RFC 8446 §4.2.7, RFC 7919).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "bastion/types.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

struct SupportedGroups {
  static constexpr ExtensionType kType = ExtensionType::supported_groups;

  std::vector<NamedGroup> groups;  // named_group_list<2..2^16-1>, in preference order

  [[nodiscard]] static Result<SupportedGroups> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
