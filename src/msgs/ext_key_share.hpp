// key_share (RFC 8446 §4.2.8).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "bastion/types.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

struct KeyShareEntry {
  NamedGroup group{};
  std::vector<uint8_t> key_exchange;  // <1..2^16-1>

  bool operator==(const KeyShareEntry&) const = default;
};

struct KeyShareClientHello {
  static constexpr ExtensionType kType = ExtensionType::key_share;

  std::vector<KeyShareEntry> client_shares;  // <0..2^16-1>

  // RFC 8446 §4.2.8: two shares for the same group are an illegal_parameter.
  [[nodiscard]] static Result<KeyShareClientHello> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
  const KeyShareEntry* find(NamedGroup group) const;
};

struct KeyShareServerHello {
  static constexpr ExtensionType kType = ExtensionType::key_share;

  KeyShareEntry server_share;

  [[nodiscard]] static Result<KeyShareServerHello> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

struct KeyShareHelloRetryRequest {
  static constexpr ExtensionType kType = ExtensionType::key_share;

  NamedGroup selected_group{};

  [[nodiscard]] static Result<KeyShareHelloRetryRequest> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
