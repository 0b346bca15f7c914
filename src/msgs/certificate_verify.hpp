// CertificateVerify (RFC 8446 §4.4.3).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "bastion/types.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

struct CertificateVerify {
  static constexpr HandshakeType kType = HandshakeType::certificate_verify;

  SignatureScheme algorithm{};
  std::vector<uint8_t> signature;  // <0..2^16-1>

  [[nodiscard]] static Result<CertificateVerify> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
