// Splitting received bytes into whole TLS records (RFC 8446 §5.1, §5.2). The deframer never
// copies: records are handed out as spans into the caller's receive buffer, so they can be
// decrypted in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "bastion/error.hpp"
#include "core/wire.hpp"

namespace bastion::record {

// One whole record at the front of the buffer.
struct RecordView {
  ContentType type = ContentType::invalid;
  uint16_t legacy_version = 0;  // RFC 8446 §5.1: MUST be ignored; exposed for logs
  std::span<uint8_t> bytes;     // header and fragment: what RecordProtector::open takes
  std::span<uint8_t> fragment;  // the body after the 5-byte header

  size_t size() const { return bytes.size(); }
};

struct DeframeResult {
  // Set when a whole record is at the front of the buffer; drop record->size() bytes after
  // handling it.
  std::optional<RecordView> record;
  // When no record: how many more bytes the buffer needs before the next call can make
  // progress (at least 1). 0 when `record` is set.
  size_t bytes_needed = 0;
};

struct DeframerLimits {
  // Longest fragment of a plaintext record (handshake, alert, change_cipher_spec).
  size_t max_plaintext = limits::kMaxPlaintext;
  // Longest fragment of a record of type application_data (which is what every protected
  // TLS 1.3 record looks like on the wire).
  size_t max_protected = limits::kMaxCiphertext13;
};

// Rejects, as soon as the header is complete:
//  - an unknown content type (bad_content_type -> unexpected_message);
//  - a fragment longer than the limits (record_overflow, RFC 8446 §5.1/§5.2);
//  - an empty handshake or alert fragment (empty_record, RFC 8446 §5.1).
class Deframer {
 public:
  Deframer() = default;
  explicit Deframer(DeframerLimits limits) : limits_(limits) {}

  // Looks at the front of `buffer` (the received bytes not yet consumed).
  [[nodiscard]] Result<DeframeResult> next(std::span<uint8_t> buffer) const;

  const DeframerLimits& limits() const { return limits_; }

 private:
  DeframerLimits limits_;
};

// The record content types TLS 1.3 knows (RFC 8446 §5.1).
constexpr bool is_known_content_type(uint8_t type) {
  return type == static_cast<uint8_t>(ContentType::change_cipher_spec) ||
         type == static_cast<uint8_t>(ContentType::alert) ||
         type == static_cast<uint8_t>(ContentType::handshake) ||
         type == static_cast<uint8_t>(ContentType::application_data);
}

}  // namespace bastion::record
