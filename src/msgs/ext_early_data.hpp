// early_data (RFC 8446 §4.2.10).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

// ClientHello and EncryptedExtensions form: empty.
struct EarlyDataIndication {
  static constexpr ExtensionType kType = ExtensionType::early_data;

  [[nodiscard]] static Result<EarlyDataIndication> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const { return std::vector<uint8_t>{}; }
};

// NewSessionTicket form.
struct EarlyDataTicket {
  static constexpr ExtensionType kType = ExtensionType::early_data;

  uint32_t max_early_data_size = 0;

  [[nodiscard]] static Result<EarlyDataTicket> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
