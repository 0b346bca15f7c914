// Certificate, TLS 1.3 form (RFC 8446 §4.4.2).
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"
#include "msgs/extension.hpp"

namespace bastion::msgs {

struct CertificateEntry {
  std::vector<uint8_t> cert_data;     // <1..2^24-1>, DER X.509 (or a raw public key, RFC 7250)
  std::vector<Extension> extensions;  // <0..2^16-1>

  bool operator==(const CertificateEntry&) const = default;
};

struct Certificate {
  static constexpr HandshakeType kType = HandshakeType::certificate;

  std::vector<uint8_t> certificate_request_context;  // <0..2^8-1>
  std::vector<CertificateEntry> certificate_list;    // <0..2^24-1>, leaf first

  // More than limits::kMaxCertificateChain entries is bad_certificate.
  [[nodiscard]] static Result<Certificate> decode(Bytes body);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
