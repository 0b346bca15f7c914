// Errors as values: a precise reason, the alert it maps to, and a short detail.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace bastion {

// RFC 8446 §6 AlertDescription (values shared with TLS 1.2).
enum class Alert : uint8_t {
  close_notify = 0,
  unexpected_message = 10,
  bad_record_mac = 20,
  record_overflow = 22,
  handshake_failure = 40,
  bad_certificate = 42,
  unsupported_certificate = 43,
  certificate_revoked = 44,
  certificate_expired = 45,
  certificate_unknown = 46,
  illegal_parameter = 47,
  unknown_ca = 48,
  access_denied = 49,
  decode_error = 50,
  decrypt_error = 51,
  protocol_version = 70,
  insufficient_security = 71,
  internal_error = 80,
  inappropriate_fallback = 86,
  user_canceled = 90,
  no_renegotiation = 100,
  missing_extension = 109,
  unsupported_extension = 110,
  unrecognized_name = 112,
  bad_certificate_status_response = 113,
  unknown_psk_identity = 115,
  certificate_required = 116,
  no_application_protocol = 120,
};

// The IANA name of an alert ("handshake_failure"), or "alert(N)" for unknown values.
std::string alert_name(Alert a);

// Why something failed, more precisely than the alert says.
enum class ErrorCode : uint16_t {
  // Wire decoding.
  decode_error,   // malformed message or length out of range
  trailing_data,  // bytes left after a complete structure
  // Record layer.
  record_overflow,     // record longer than allowed
  bad_record_mac,      // AEAD authentication failed
  bad_content_type,    // unknown or forbidden record content type
  empty_record,        // zero-length fragment where forbidden, or too many empty records
  unexpected_record,   // record type not allowed in this state
  sequence_exhausted,  // record sequence number or AEAD usage limit reached
  // Handshake.
  unexpected_message,         // message not allowed in this state
  message_too_large,          // handshake message over the configured bound
  duplicate_extension,        // the same extension twice in one message
  unsupported_extension,      // extension not allowed in this message or not offered
  missing_extension,          // a required extension is absent
  illegal_parameter,          // a field holds a value the peer must not choose
  protocol_version,           // no version in common / legacy version abuse
  no_common_cipher_suite,     // no acceptable cipher suite
  no_common_group,            // no acceptable key exchange group
  no_common_signature,        // no acceptable signature scheme
  bad_key_share,              // peer key share invalid
  second_hello_retry,         // HelloRetryRequest received twice
  downgrade_detected,         // TLS 1.2/1.1 downgrade sentinel in ServerHello.random
  inappropriate_fallback,     // TLS_FALLBACK_SCSV from a client that could do better (RFC 7507)
  no_extended_master_secret,  // TLS 1.2 without RFC 7627 where it is required
  bad_renegotiation_info,     // RFC 5746 secure renegotiation missing or wrong
  bad_finished,               // Finished verify_data mismatch
  bad_binder,                 // PSK binder mismatch (RFC 8446 §4.2.11)
  bad_signature,              // CertificateVerify signature invalid
  no_application_protocol,    // ALPN mismatch
  unrecognized_name,          // SNI names no served host
  certificate_required,       // client certificate required but absent
  no_client_certificate,      // the same in TLS 1.2, which has no certificate_required alert
  too_many_key_updates,       // KeyUpdate flood
  too_many_messages,          // peer-driven loops: warning alerts, change_cipher_spec records
  // Certificates.
  bad_certificate,            // certificate cannot be parsed or is malformed
  unsupported_certificate,    // unsupported key or signature algorithm, unknown critical ext
  certificate_expired,        // outside notAfter
  certificate_not_yet_valid,  // before notBefore
  unknown_issuer,             // no path to a trust anchor
  certificate_bad_signature,  // a signature in the path does not verify
  certificate_name_mismatch,  // leaf does not match the expected name
  not_a_ca,                   // issuer lacks CA rights (basicConstraints / keyUsage)
  path_too_long,              // pathLenConstraint or depth bound exceeded
  name_constraint_violated,   // name constraints exclude a name in the path
  bad_extended_key_usage,     // leaf lacks the required EKU
  bad_key_usage,              // key usage does not permit the operation
  certificate_untrusted,      // peer certificate not accepted by the verifier
  // The peer.
  peer_alert,  // the peer sent a fatal alert (see Error::received)
  truncated,   // the transport closed without close_notify
  // Local.
  internal_error,  // a bug or an impossible state
  crypto_failure,  // the crypto provider failed
  io_error,        // the socket or file failed
  timed_out,       // a time limit passed: a wait on the peer, or a deadline (handshake, request)
  invalid_config,  // the configuration is unusable
  invalid_key,     // a key or certificate file could not be loaded
  closed,          // the connection is closed
};

// The IANA alert the core sends for each error code: the one total mapping.
Alert alert_for(ErrorCode code);
// Short lower-case name of a code ("bad_finished").
std::string_view error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::internal_error;
  std::string detail;
  // Set when the error is an alert the peer sent.
  std::optional<Alert> received = std::nullopt;

  Alert alert() const { return alert_for(code); }
  // One line for people: "bad_finished: server Finished does not verify".
  std::string message() const;
};

// A value or an Error (std::expected is C++23).
template <class T>
class [[nodiscard]] Result {
 public:
  template <class U = T>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::remove_cvref_t<U>, Error> &&
           !std::is_same_v<std::remove_cvref_t<U>, Result>) Result(U&& value)
      : v_(std::in_place_index<0>, std::forward<U>(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

}  // namespace bastion
