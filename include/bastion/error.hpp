// Errors as values: a precise reason, the alert it maps to, and a short detail.
#pragma once

#include "bastion/export.hpp"  // IWYU pragma: keep

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
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
BASTION_API std::string alert_name(Alert a);

// Why something failed, more precisely than the alert says.
// The values are stable (the C API and std::error_code carry them): a new code takes a free
// value in its group, and no value is ever reused. Zero is not an error.
enum class ErrorCode : uint16_t {
  // Wire decoding.
  decode_error = 1,   // malformed message or length out of range
  trailing_data = 2,  // bytes left after a complete structure
  // Record layer.
  record_overflow = 10,     // record longer than allowed
  bad_record_mac = 11,      // AEAD authentication failed
  bad_content_type = 12,    // unknown or forbidden record content type
  empty_record = 13,        // zero-length fragment where forbidden, or too many empty records
  unexpected_record = 14,   // record type not allowed in this state
  sequence_exhausted = 15,  // record sequence number or AEAD usage limit reached
  // Handshake.
  unexpected_message = 20,      // message not allowed in this state
  message_too_large = 21,       // handshake message over the configured bound
  duplicate_extension = 22,     // the same extension twice in one message
  unsupported_extension = 23,   // extension not allowed in this message or not offered
  missing_extension = 24,       // a required extension is absent
  illegal_parameter = 25,       // a field holds a value the peer must not choose
  protocol_version = 26,        // no version in common / legacy version abuse
  no_common_cipher_suite = 27,  // no acceptable cipher suite
  no_common_group = 28,         // no acceptable key exchange group
  no_common_signature = 29,     // no acceptable signature scheme
  bad_key_share = 30,           // peer key share invalid
  second_hello_retry = 31,      // HelloRetryRequest received twice
  downgrade_detected = 32,      // TLS 1.2/1.1 downgrade sentinel in ServerHello.random
  inappropriate_fallback = 33,  // TLS_FALLBACK_SCSV from a client that could do better (RFC 7507)
  no_extended_master_secret = 34,  // TLS 1.2 without RFC 7627 where it is required
  bad_renegotiation_info = 35,     // RFC 5746 secure renegotiation missing or wrong
  bad_finished = 36,               // Finished verify_data mismatch
  bad_binder = 37,                 // PSK binder mismatch (RFC 8446 §4.2.11)
  bad_signature = 38,              // CertificateVerify signature invalid
  no_application_protocol = 39,    // ALPN mismatch
  unrecognized_name = 40,          // SNI names no served host
  certificate_required = 41,       // client certificate required but absent
  no_client_certificate = 42,      // the same in TLS 1.2, which has no certificate_required alert
  too_many_key_updates = 43,       // KeyUpdate flood
  too_many_messages = 44,          // peer-driven loops: warning alerts, change_cipher_spec records
  // Certificates.
  bad_certificate = 60,            // certificate cannot be parsed or is malformed
  unsupported_certificate = 61,    // unsupported key or signature algorithm, unknown critical ext
  certificate_expired = 62,        // outside notAfter
  certificate_not_yet_valid = 63,  // before notBefore
  unknown_issuer = 64,             // no path to a trust anchor
  certificate_bad_signature = 65,  // a signature in the path does not verify
  certificate_name_mismatch = 66,  // leaf does not match the expected name
  not_a_ca = 67,                   // issuer lacks CA rights (basicConstraints / keyUsage)
  path_too_long = 68,              // pathLenConstraint or depth bound exceeded
  name_constraint_violated = 69,   // name constraints exclude a name in the path
  bad_extended_key_usage = 70,     // leaf lacks the required EKU
  bad_key_usage = 71,              // key usage does not permit the operation
  certificate_untrusted = 72,      // peer certificate not accepted by the verifier
  // The peer.
  peer_alert = 90,  // the peer sent a fatal alert (see Error::received)
  truncated = 91,   // the transport closed without close_notify
  // Local.
  internal_error = 100,  // a bug or an impossible state
  crypto_failure = 101,  // the crypto provider failed
  io_error = 102,        // the socket or file failed
  timed_out = 103,  // a time limit passed: a wait on the peer, or a deadline (handshake, request)
  invalid_config = 104,  // the configuration is unusable
  invalid_key = 105,     // a key or certificate file could not be loaded
  closed = 106,          // the connection is closed
};

// The IANA alert the core sends for each error code: the one total mapping.
BASTION_API Alert alert_for(ErrorCode code);
// Short lower-case name of a code ("bad_finished").
BASTION_API std::string_view error_code_name(ErrorCode code);

struct BASTION_API Error {
  ErrorCode code = ErrorCode::internal_error;
  std::string detail;
  // Set when the error is an alert the peer sent.
  std::optional<Alert> received = std::nullopt;

  Alert alert() const { return alert_for(code); }
  // One line for people: "bad_finished: server Finished does not verify".
  std::string message() const;
};

// ErrorCode as std::error_code, the currency of Asio and most C++ I/O code: the category is
// named "bastion", its messages are the code names, and timed_out is also std::errc::timed_out.
BASTION_API const std::error_category& error_category();
inline std::error_code make_error_code(ErrorCode code) {
  return {static_cast<int>(code), error_category()};
}

// What Result::value() throws when it holds an Error: a std::system_error whose code() is the
// ErrorCode and whose what() is Error::message(), with the whole Error kept.
class BASTION_API Exception : public std::system_error {
 public:
  explicit Exception(Error error);
  const Error& error() const noexcept { return error_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  Error error_;
  std::string message_;
};

namespace detail {
// Throws Exception, or aborts where exceptions are off (-fno-exceptions), as the standard
// library does.
[[noreturn]] inline void throw_error(Error error) {
#if defined(__cpp_exceptions)
  throw Exception(std::move(error));
#else
  (void)error;
  std::abort();
#endif
}
}  // namespace detail

// A value or an Error (std::expected is C++23). value() (and * and ->) on an Error throws
// Exception (aborts without exceptions); check ok() first where exceptions are unwelcome.
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
  T& value() & {
    if (!ok()) detail::throw_error(std::get<1>(v_));
    return std::get<0>(v_);
  }
  const T& value() const& {
    if (!ok()) detail::throw_error(std::get<1>(v_));
    return std::get<0>(v_);
  }
  T&& value() && {
    if (!ok()) detail::throw_error(std::get<1>(std::move(v_)));
    return std::get<0>(std::move(v_));
  }
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
  // Throws Exception when this holds an Error, like Result<T>::value().
  void value() const {
    if (error_) detail::throw_error(*error_);
  }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

}  // namespace bastion

template <>
struct std::is_error_code_enum<bastion::ErrorCode> : std::true_type {};
