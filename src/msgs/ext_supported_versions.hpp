// supported_versions (RFC 8446 §4.2.1).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "bastion/types.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

struct SupportedVersionsClientHello {
  static constexpr ExtensionType kType = ExtensionType::supported_versions;

  std::vector<ProtocolVersion> versions;  // <2..254> bytes, in preference order

  [[nodiscard]] static Result<SupportedVersionsClientHello> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

// ServerHello and HelloRetryRequest form.
struct SupportedVersionsServerHello {
  static constexpr ExtensionType kType = ExtensionType::supported_versions;

  ProtocolVersion selected_version = ProtocolVersion::tls13;

  [[nodiscard]] static Result<SupportedVersionsServerHello> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
