// certificate_authorities (RFC 8446 §4.2.4).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

struct CertificateAuthorities {
  static constexpr ExtensionType kType = ExtensionType::certificate_authorities;

  // DistinguishedName<1..2^16-1> each, opaque DER; <3..2^16-1> bytes in all.
  std::vector<std::vector<uint8_t>> authorities;

  [[nodiscard]] static Result<CertificateAuthorities> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
