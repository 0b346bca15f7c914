// EncryptedExtensions (RFC 8446 §4.3.1).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"
#include "msgs/extension.hpp"

namespace bastion::msgs {

struct EncryptedExtensions {
  static constexpr HandshakeType kType = HandshakeType::encrypted_extensions;

  std::vector<Extension> extensions;  // <0..2^16-1>

  [[nodiscard]] static Result<EncryptedExtensions> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
