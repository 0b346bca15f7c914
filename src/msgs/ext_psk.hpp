// psk_key_exchange_modes (RFC 8446 §4.2.9) and pre_shared_key (RFC 8446 §4.2.11).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

enum class PskKeyExchangeMode : uint8_t {
  psk_ke = 0,
  psk_dhe_ke = 1,
};

struct PskKeyExchangeModes {
  static constexpr ExtensionType kType = ExtensionType::psk_key_exchange_modes;

  std::vector<PskKeyExchangeMode> ke_modes;  // <1..255>; unknown values kept

  [[nodiscard]] static Result<PskKeyExchangeModes> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
  bool contains(PskKeyExchangeMode mode) const;
};

struct PskIdentity {
  std::vector<uint8_t> identity;  // <1..2^16-1>
  uint32_t obfuscated_ticket_age = 0;

  bool operator==(const PskIdentity&) const = default;
};

// ClientHello form: OfferedPsks.
struct PreSharedKeyClientHello {
  static constexpr ExtensionType kType = ExtensionType::pre_shared_key;

  std::vector<PskIdentity> identities;        // <7..2^16-1> bytes
  std::vector<std::vector<uint8_t>> binders;  // PskBinderEntry<32..255> each; <33..2^16-1> bytes

  // RFC 8446 §4.2.11: one binder per identity (illegal_parameter otherwise).
  [[nodiscard]] static Result<PreSharedKeyClientHello> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;

  // Size of the encoded `binders` vector, its 2-byte length included. It is the tail of the
  // ClientHello, so the partial ClientHello the binders sign (RFC 8446 §4.2.11.2) is the framed
  // message minus this many bytes. Encode with zeroed binders of the right lengths first,
  // compute the binders over that prefix, then encode again.
  size_t binders_size() const;
};

// ServerHello form.
struct PreSharedKeyServerHello {
  static constexpr ExtensionType kType = ExtensionType::pre_shared_key;

  uint16_t selected_identity = 0;

  [[nodiscard]] static Result<PreSharedKeyServerHello> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
