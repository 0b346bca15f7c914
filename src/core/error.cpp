#include "bastion/error.hpp"

#include <string>
#include <system_error>
#include <utility>

namespace bastion {

std::string alert_name(Alert a) {
  switch (a) {
    case Alert::close_notify:
      return "close_notify";
    case Alert::unexpected_message:
      return "unexpected_message";
    case Alert::bad_record_mac:
      return "bad_record_mac";
    case Alert::record_overflow:
      return "record_overflow";
    case Alert::handshake_failure:
      return "handshake_failure";
    case Alert::bad_certificate:
      return "bad_certificate";
    case Alert::unsupported_certificate:
      return "unsupported_certificate";
    case Alert::certificate_revoked:
      return "certificate_revoked";
    case Alert::certificate_expired:
      return "certificate_expired";
    case Alert::certificate_unknown:
      return "certificate_unknown";
    case Alert::illegal_parameter:
      return "illegal_parameter";
    case Alert::unknown_ca:
      return "unknown_ca";
    case Alert::access_denied:
      return "access_denied";
    case Alert::decode_error:
      return "decode_error";
    case Alert::decrypt_error:
      return "decrypt_error";
    case Alert::protocol_version:
      return "protocol_version";
    case Alert::insufficient_security:
      return "insufficient_security";
    case Alert::internal_error:
      return "internal_error";
    case Alert::inappropriate_fallback:
      return "inappropriate_fallback";
    case Alert::user_canceled:
      return "user_canceled";
    case Alert::no_renegotiation:
      return "no_renegotiation";
    case Alert::missing_extension:
      return "missing_extension";
    case Alert::unsupported_extension:
      return "unsupported_extension";
    case Alert::unrecognized_name:
      return "unrecognized_name";
    case Alert::bad_certificate_status_response:
      return "bad_certificate_status_response";
    case Alert::unknown_psk_identity:
      return "unknown_psk_identity";
    case Alert::certificate_required:
      return "certificate_required";
    case Alert::no_application_protocol:
      return "no_application_protocol";
  }
  return "alert(" + std::to_string(static_cast<int>(a)) + ")";
}

Alert alert_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::decode_error:
    case ErrorCode::trailing_data:
    case ErrorCode::message_too_large:
      return Alert::decode_error;
    case ErrorCode::record_overflow:
      return Alert::record_overflow;
    case ErrorCode::bad_record_mac:
      return Alert::bad_record_mac;
    case ErrorCode::bad_content_type:
    case ErrorCode::empty_record:
    case ErrorCode::unexpected_record:
    case ErrorCode::unexpected_message:
    case ErrorCode::too_many_key_updates:
    case ErrorCode::too_many_messages:
      return Alert::unexpected_message;
    case ErrorCode::duplicate_extension:
    case ErrorCode::illegal_parameter:
    case ErrorCode::bad_key_share:
    case ErrorCode::downgrade_detected:
      return Alert::illegal_parameter;
    case ErrorCode::second_hello_retry:
      return Alert::unexpected_message;
    case ErrorCode::inappropriate_fallback:
      return Alert::inappropriate_fallback;
    case ErrorCode::no_extended_master_secret:
    case ErrorCode::bad_renegotiation_info:
    case ErrorCode::no_client_certificate:
      return Alert::handshake_failure;
    case ErrorCode::unsupported_extension:
      return Alert::unsupported_extension;
    case ErrorCode::missing_extension:
      return Alert::missing_extension;
    case ErrorCode::protocol_version:
      return Alert::protocol_version;
    case ErrorCode::no_common_cipher_suite:
    case ErrorCode::no_common_group:
    case ErrorCode::no_common_signature:
      return Alert::handshake_failure;
    case ErrorCode::bad_finished:
    case ErrorCode::bad_binder:
    case ErrorCode::bad_signature:
      return Alert::decrypt_error;
    case ErrorCode::no_application_protocol:
      return Alert::no_application_protocol;
    case ErrorCode::unrecognized_name:
      return Alert::unrecognized_name;
    case ErrorCode::certificate_required:
      return Alert::certificate_required;
    case ErrorCode::bad_certificate:
    case ErrorCode::certificate_bad_signature:
      return Alert::bad_certificate;
    case ErrorCode::unsupported_certificate:
      return Alert::unsupported_certificate;
    case ErrorCode::certificate_expired:
    case ErrorCode::certificate_not_yet_valid:
      return Alert::certificate_expired;
    case ErrorCode::unknown_issuer:
      return Alert::unknown_ca;
    case ErrorCode::certificate_name_mismatch:
    case ErrorCode::not_a_ca:
    case ErrorCode::path_too_long:
    case ErrorCode::name_constraint_violated:
    case ErrorCode::bad_extended_key_usage:
    case ErrorCode::bad_key_usage:
    case ErrorCode::certificate_untrusted:
      return Alert::certificate_unknown;
    case ErrorCode::peer_alert:
    case ErrorCode::truncated:
    case ErrorCode::closed:
      return Alert::close_notify;
    case ErrorCode::internal_error:
    case ErrorCode::crypto_failure:
    case ErrorCode::io_error:
    case ErrorCode::timed_out:
    case ErrorCode::invalid_config:
    case ErrorCode::invalid_key:
      return Alert::internal_error;
    case ErrorCode::sequence_exhausted:
      return Alert::internal_error;
  }
  return Alert::internal_error;
}

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
#define BASTION_NAME(x) \
  case ErrorCode::x:    \
    return #x;
    BASTION_NAME(decode_error)
    BASTION_NAME(trailing_data)
    BASTION_NAME(record_overflow)
    BASTION_NAME(bad_record_mac)
    BASTION_NAME(bad_content_type)
    BASTION_NAME(empty_record)
    BASTION_NAME(unexpected_record)
    BASTION_NAME(sequence_exhausted)
    BASTION_NAME(unexpected_message)
    BASTION_NAME(message_too_large)
    BASTION_NAME(duplicate_extension)
    BASTION_NAME(unsupported_extension)
    BASTION_NAME(missing_extension)
    BASTION_NAME(illegal_parameter)
    BASTION_NAME(protocol_version)
    BASTION_NAME(no_common_cipher_suite)
    BASTION_NAME(no_common_group)
    BASTION_NAME(no_common_signature)
    BASTION_NAME(bad_key_share)
    BASTION_NAME(second_hello_retry)
    BASTION_NAME(downgrade_detected)
    BASTION_NAME(bad_finished)
    BASTION_NAME(bad_binder)
    BASTION_NAME(bad_signature)
    BASTION_NAME(no_application_protocol)
    BASTION_NAME(unrecognized_name)
    BASTION_NAME(certificate_required)
    BASTION_NAME(inappropriate_fallback)
    BASTION_NAME(no_client_certificate)
    BASTION_NAME(no_extended_master_secret)
    BASTION_NAME(bad_renegotiation_info)
    BASTION_NAME(too_many_key_updates)
    BASTION_NAME(too_many_messages)
    BASTION_NAME(bad_certificate)
    BASTION_NAME(unsupported_certificate)
    BASTION_NAME(certificate_expired)
    BASTION_NAME(certificate_not_yet_valid)
    BASTION_NAME(unknown_issuer)
    BASTION_NAME(certificate_bad_signature)
    BASTION_NAME(certificate_name_mismatch)
    BASTION_NAME(not_a_ca)
    BASTION_NAME(path_too_long)
    BASTION_NAME(name_constraint_violated)
    BASTION_NAME(bad_extended_key_usage)
    BASTION_NAME(bad_key_usage)
    BASTION_NAME(certificate_untrusted)
    BASTION_NAME(peer_alert)
    BASTION_NAME(truncated)
    BASTION_NAME(internal_error)
    BASTION_NAME(crypto_failure)
    BASTION_NAME(io_error)
    BASTION_NAME(timed_out)
    BASTION_NAME(invalid_config)
    BASTION_NAME(invalid_key)
    BASTION_NAME(closed)
#undef BASTION_NAME
  }
  return "unknown";
}

std::string Error::message() const {
  std::string out(error_code_name(code));
  if (received) out += " (peer sent " + alert_name(*received) + ")";
  if (!detail.empty()) out += ": " + detail;
  return out;
}

namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "bastion"; }
  std::string message(int value) const override {
    if (value == 0) return "success";
    auto name = in_range(value) ? error_code_name(static_cast<ErrorCode>(value)) : "unknown";
    return name == "unknown" ? "error(" + std::to_string(value) + ")" : std::string(name);
  }
  // Only timed_out has a portable equivalent: io_error covers refused connections, broken
  // pipes and failed name lookups alike, none of them EIO.
  std::error_condition default_error_condition(int value) const noexcept override {
    if (in_range(value) && static_cast<ErrorCode>(value) == ErrorCode::timed_out) {
      return std::errc::timed_out;
    }
    return {value, *this};
  }

 private:
  static bool in_range(int value) { return value > 0 && value <= 0xffff; }
};

}  // namespace

const std::error_category& error_category() {
  static const Category category;
  return category;
}

Exception::Exception(Error error)
    : std::system_error(make_error_code(error.code)),
      error_(std::move(error)),
      message_(error_.message()) {}

}  // namespace bastion
