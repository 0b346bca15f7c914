// status_request (RFC 6066 §8): the request in ClientHello, the CertificateStatus in a TLS 1.3
// CertificateEntry (RFC 8446 §4.4.2.1) or TLS 1.2 CertificateStatus message, and the empty
// reply of a TLS 1.2 ServerHello / a TLS 1.3 CertificateRequest.
#pragma once

#include <cstdint>
#include <vector>

#include "bastion/error.hpp"
#include "core/reader.hpp"
#include "core/wire.hpp"

namespace bastion::msgs {

enum class CertificateStatusType : uint8_t {
  ocsp = 1,
};

struct StatusRequest {
  static constexpr ExtensionType kType = ExtensionType::status_request;

  CertificateStatusType status_type = CertificateStatusType::ocsp;
  // For ocsp: OCSPStatusRequest.
  std::vector<std::vector<uint8_t>> responder_id_list;  // ResponderID<1..2^16-1>; <0..2^16-1>
  std::vector<uint8_t> request_extensions;              // DER Extensions, <0..2^16-1>
  // For other status types: the request bytes after status_type, kept opaque.
  std::vector<uint8_t> opaque_request;

  [[nodiscard]] static Result<StatusRequest> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

// Empty extension_data: TLS 1.2 ServerHello acknowledging a request, and the form a TLS 1.3
// CertificateRequest may carry.
struct StatusRequestAck {
  static constexpr ExtensionType kType = ExtensionType::status_request;

  [[nodiscard]] static Result<StatusRequestAck> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const { return std::vector<uint8_t>{}; }
};

// RFC 6066 §8 CertificateStatus; also the body of the TLS 1.2 certificate_status message.
struct CertificateStatus {
  static constexpr ExtensionType kType = ExtensionType::status_request;
  static constexpr HandshakeType kMessageType = HandshakeType::certificate_status;

  CertificateStatusType status_type = CertificateStatusType::ocsp;
  std::vector<uint8_t> ocsp_response;  // DER OCSPResponse, <1..2^24-1>

  // Status types other than ocsp are a decode_error: their syntax is unknown.
  [[nodiscard]] static Result<CertificateStatus> decode(Bytes data);
  Result<std::vector<uint8_t>> encode() const;
};

}  // namespace bastion::msgs
