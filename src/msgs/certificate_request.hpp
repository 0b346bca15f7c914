// CertificateRequest, TLS 1.3 form (RFC 8446 §4.3.2).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"
#include "msgs/extension.hpp"

namespace bastion::msgs {

struct CertificateRequest {
  static constexpr HandshakeType kType = HandshakeType::certificate_request;

  std::vector<uint8_t> certificate_request_context;  // <0..2^8-1>
  std::vector<Extension> extensions;                 // <2..2^16-1>

  // RFC 8446 §4.3.2: signature_algorithms must be present (missing_extension).
  [[nodiscard]] static Result<CertificateRequest> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
