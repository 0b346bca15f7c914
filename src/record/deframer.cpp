#include "record/deframer.hpp"

namespace bastion::record {

Result<DeframeResult> Deframer::next(std::span<uint8_t> buffer) const {
  constexpr size_t kHeader = limits::kRecordHeader;
  if (buffer.size() < kHeader) return DeframeResult{std::nullopt, kHeader - buffer.size()};

  const uint8_t type = buffer[0];
  const uint16_t version = static_cast<uint16_t>(buffer[1] << 8 | buffer[2]);
  const size_t length = static_cast<size_t>(buffer[3]) << 8 | buffer[4];

  // RFC 8446 §5: a record with an unexpected content type MUST be answered with
  // unexpected_message.
  if (!is_known_content_type(type)) {
    return Error{ErrorCode::bad_content_type, "unknown record content type"};
  }
  const auto content_type = static_cast<ContentType>(type);
  // RFC 8446 §5.1: TLSPlaintext.length MUST NOT exceed 2^14; §5.2: TLSCiphertext.length MUST
  // NOT exceed 2^14 + 256. Either way the peer gets record_overflow.
  const size_t max =
      content_type == ContentType::application_data ? limits_.max_protected : limits_.max_plaintext;
  if (length > max) return Error{ErrorCode::record_overflow, "record longer than allowed"};
  // RFC 8446 §5.1: implementations MUST NOT send zero-length fragments of Handshake types; and
  // an alert is never empty.
  if (length == 0 &&
      (content_type == ContentType::handshake || content_type == ContentType::alert)) {
    return Error{ErrorCode::empty_record, "empty handshake or alert record"};
  }

  if (buffer.size() < kHeader + length) {
    return DeframeResult{std::nullopt, kHeader + length - buffer.size()};
  }
  RecordView record;
  record.type = content_type;
  record.legacy_version = version;
  record.bytes = buffer.first(kHeader + length);
  record.fragment = record.bytes.subspan(kHeader);
  return DeframeResult{record, 0};
}

}  // namespace bastion::record
