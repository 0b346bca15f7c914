// The C result codes next to the ErrorCode each stands for: every bastion_result but
// BASTION_OK, once. result_codes.cpp checks the values pair by pair at compile time, and the
// unit tests check that no ErrorCode is missing.
#pragma once

#include <array>
#include <utility>

#include "bastion.h"
#include "bastion/error.hpp"

namespace bastion::capi {

inline constexpr std::array<std::pair<bastion_result, ErrorCode>, 55> kResultCodes{{
    {BASTION_DECODE_ERROR, ErrorCode::decode_error},
    {BASTION_TRAILING_DATA, ErrorCode::trailing_data},
    {BASTION_RECORD_OVERFLOW, ErrorCode::record_overflow},
    {BASTION_BAD_RECORD_MAC, ErrorCode::bad_record_mac},
    {BASTION_BAD_CONTENT_TYPE, ErrorCode::bad_content_type},
    {BASTION_EMPTY_RECORD, ErrorCode::empty_record},
    {BASTION_UNEXPECTED_RECORD, ErrorCode::unexpected_record},
    {BASTION_SEQUENCE_EXHAUSTED, ErrorCode::sequence_exhausted},
    {BASTION_UNEXPECTED_MESSAGE, ErrorCode::unexpected_message},
    {BASTION_MESSAGE_TOO_LARGE, ErrorCode::message_too_large},
    {BASTION_DUPLICATE_EXTENSION, ErrorCode::duplicate_extension},
    {BASTION_UNSUPPORTED_EXTENSION, ErrorCode::unsupported_extension},
    {BASTION_MISSING_EXTENSION, ErrorCode::missing_extension},
    {BASTION_ILLEGAL_PARAMETER, ErrorCode::illegal_parameter},
    {BASTION_PROTOCOL_VERSION, ErrorCode::protocol_version},
    {BASTION_NO_COMMON_CIPHER_SUITE, ErrorCode::no_common_cipher_suite},
    {BASTION_NO_COMMON_GROUP, ErrorCode::no_common_group},
    {BASTION_NO_COMMON_SIGNATURE, ErrorCode::no_common_signature},
    {BASTION_BAD_KEY_SHARE, ErrorCode::bad_key_share},
    {BASTION_SECOND_HELLO_RETRY, ErrorCode::second_hello_retry},
    {BASTION_DOWNGRADE_DETECTED, ErrorCode::downgrade_detected},
    {BASTION_INAPPROPRIATE_FALLBACK, ErrorCode::inappropriate_fallback},
    {BASTION_NO_EXTENDED_MASTER_SECRET, ErrorCode::no_extended_master_secret},
    {BASTION_BAD_RENEGOTIATION_INFO, ErrorCode::bad_renegotiation_info},
    {BASTION_BAD_FINISHED, ErrorCode::bad_finished},
    {BASTION_BAD_BINDER, ErrorCode::bad_binder},
    {BASTION_BAD_SIGNATURE, ErrorCode::bad_signature},
    {BASTION_NO_APPLICATION_PROTOCOL, ErrorCode::no_application_protocol},
    {BASTION_UNRECOGNIZED_NAME, ErrorCode::unrecognized_name},
    {BASTION_CERTIFICATE_REQUIRED, ErrorCode::certificate_required},
    {BASTION_NO_CLIENT_CERTIFICATE, ErrorCode::no_client_certificate},
    {BASTION_TOO_MANY_KEY_UPDATES, ErrorCode::too_many_key_updates},
    {BASTION_TOO_MANY_MESSAGES, ErrorCode::too_many_messages},
    {BASTION_BAD_CERTIFICATE, ErrorCode::bad_certificate},
    {BASTION_UNSUPPORTED_CERTIFICATE, ErrorCode::unsupported_certificate},
    {BASTION_CERTIFICATE_EXPIRED, ErrorCode::certificate_expired},
    {BASTION_CERTIFICATE_NOT_YET_VALID, ErrorCode::certificate_not_yet_valid},
    {BASTION_UNKNOWN_ISSUER, ErrorCode::unknown_issuer},
    {BASTION_CERTIFICATE_BAD_SIGNATURE, ErrorCode::certificate_bad_signature},
    {BASTION_CERTIFICATE_NAME_MISMATCH, ErrorCode::certificate_name_mismatch},
    {BASTION_NOT_A_CA, ErrorCode::not_a_ca},
    {BASTION_PATH_TOO_LONG, ErrorCode::path_too_long},
    {BASTION_NAME_CONSTRAINT_VIOLATED, ErrorCode::name_constraint_violated},
    {BASTION_BAD_EXTENDED_KEY_USAGE, ErrorCode::bad_extended_key_usage},
    {BASTION_BAD_KEY_USAGE, ErrorCode::bad_key_usage},
    {BASTION_CERTIFICATE_UNTRUSTED, ErrorCode::certificate_untrusted},
    {BASTION_PEER_ALERT, ErrorCode::peer_alert},
    {BASTION_TRUNCATED, ErrorCode::truncated},
    {BASTION_INTERNAL_ERROR, ErrorCode::internal_error},
    {BASTION_CRYPTO_FAILURE, ErrorCode::crypto_failure},
    {BASTION_IO_ERROR, ErrorCode::io_error},
    {BASTION_TIMED_OUT, ErrorCode::timed_out},
    {BASTION_INVALID_CONFIG, ErrorCode::invalid_config},
    {BASTION_INVALID_KEY, ErrorCode::invalid_key},
    {BASTION_CLOSED, ErrorCode::closed},
}};

}  // namespace bastion::capi
