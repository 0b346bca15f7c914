// Record protection, one direction: AEAD over each record with the per-record nonce and the
// additional data of the installed Protection's version (RFC 8446 §5.2-§5.5 for TLS 1.3, with
// the inner content type and zero padding; RFC 5246 §6.2.3.3, RFC 5288 and RFC 7905 for
// TLS 1.2), and the sequence number limits. Records are sealed and opened in place; once
// created, a protector allocates nothing per record.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "bastion/error.hpp"
#include "core/secret.hpp"
#include "core/wire.hpp"
#include "crypto/provider.hpp"
#include "record/protection.hpp"

namespace bastion::record {

enum class Direction : uint8_t { seal, open };

// When a protector asks for new keys and when it refuses to go on, in records under one key.
struct RecordLimits {
  // needs_key_update() becomes true once this many records used the key.
  uint64_t key_update_after = 0;
  // No record is sealed or opened once this many used the key (sequence_exhausted).
  uint64_t max_records = 0;
};

// The defaults (RFC 8446 §5.5). AES-GCM may protect up to 2^24.5 full-size records under one
// key; we ask for a KeyUpdate after 2^23 sealed records and refuse to seal past 2^24, a
// margin of 2^0.5 under the bound. ChaCha20-Poly1305 has no practical limit, so only the
// 64-bit sequence number bounds it (RFC 8446 §5.3: it MUST NOT wrap). When opening, the
// confidentiality limit is the sender's to keep, so only the wrap is enforced; needs_key_update()
// still turns true at the same count so that the connection can request an update. TLS 1.2
// has no KeyUpdate: a connection closes once its keys need one.
RecordLimits default_record_limits(Direction direction, crypto::AeadAlg aead);

// A decrypted record: the content type and the content, a span into the record.
struct OpenedRecord {
  ContentType type = ContentType::invalid;
  std::span<uint8_t> content;
};

class RecordProtector {
 public:
  static constexpr size_t kHeaderLength = limits::kRecordHeader;
  // RFC 8446 §5.4: TLSInnerPlaintext (content, type, padding) is at most 2^14 + 1 bytes.
  static constexpr size_t kMaxInnerPlaintext = limits::kMaxPlaintext + 1;

  // Installs `protection` with the sequence number at 0. Limits default to
  // default_record_limits().
  [[nodiscard]] static Result<RecordProtector> create(
      const crypto::Provider& provider, Direction direction, Protection protection,
      std::optional<RecordLimits> limits = std::nullopt);

  RecordProtector(RecordProtector&&) noexcept = default;
  RecordProtector& operator=(RecordProtector&&) noexcept = default;
  RecordProtector(const RecordProtector&) = delete;
  RecordProtector& operator=(const RecordProtector&) = delete;
  ~RecordProtector();

  // New keys of the same version and AEAD (a TLS 1.3 KeyUpdate, RFC 8446 §4.6.3), the sequence
  // number back to 0.
  [[nodiscard]] Result<void> rekey(Protection protection);

  // Where a record's content starts: after the header and any explicit nonce.
  size_t content_offset() const { return kHeaderLength + explicit_nonce_; }
  // The size of a sealed record holding `content_len` bytes and `padding_len` zero bytes:
  // header, explicit nonce, content, the inner type and padding (TLS 1.3 only), and the tag.
  size_t sealed_size(size_t content_len, size_t padding_len) const {
    return content_offset() + content_len + (inner_type() ? 1 + padding_len : 0) + tag_length_;
  }

  // Seals in place. `record` has sealed_size(content_len, padding_len) bytes and holds the
  // content at [content_offset(), content_offset() + content_len); everything else is
  // overwritten (header, nonce, inner type, padding, tag). So a caller can grow its send buffer
  // by sealed_size(), write the content after content_offset(), and seal with no copy.
  // Fails with record_overflow when content (with type and padding) exceeds the plaintext
  // limit, empty_record for an empty handshake or alert (RFC 8446 §5.4, RFC 5246 §6.2.1),
  // sequence_exhausted at the limit, internal_error for a change_cipher_spec type, padding
  // in TLS 1.2, a bad size or an opening protector.
  [[nodiscard]] Result<void> seal_in_place(ContentType type, std::span<uint8_t> record,
                                           size_t content_len, size_t padding_len);

  // Appends one sealed record to `out`. No allocation when `out` has the capacity.
  [[nodiscard]] Result<void> seal(ContentType type, crypto::Bytes content, size_t padding_len,
                                  std::vector<uint8_t>& out);

  // Opens one whole record in place (header and fragment, as the Deframer hands it out).
  // TLS 1.3: the outer type must be application_data (RFC 8446 §5.2; else unexpected_record).
  // TLS 1.2: handshake, alert or application_data (else unexpected_record).
  // Errors: record_overflow (fragment over the version's limit, or plaintext over the limit),
  // bad_record_mac (tag, or a fragment too short to hold one), unexpected_message for an
  // all-zero inner plaintext (RFC 8446 §5.4), bad_content_type for an inner type other than
  // handshake, alert or application_data, empty_record for an empty handshake or alert,
  // sequence_exhausted. On error the record's bytes are unspecified.
  [[nodiscard]] Result<OpenedRecord> open(std::span<uint8_t> record);

  // RFC 8449 record_size_limit: the largest plaintext this direction allows, at least 64. In
  // TLS 1.3 it counts TLSInnerPlaintext (content, type and padding; at most 2^14 + 1), in
  // TLS 1.2 the content alone (at most 2^14), as RFC 8449 §4 says.
  void set_plaintext_limit(size_t limit);
  size_t plaintext_limit() const { return limit_; }
  // The most content one record can carry with `padding_len` bytes of padding (TLS 1.3).
  size_t max_content(size_t padding_len) const {
    if (!inner_type()) return limit_;
    return padding_len + 1 >= limit_ ? 0 : limit_ - 1 - padding_len;
  }

  Direction direction() const { return direction_; }
  RecordVersion version() const { return version_; }
  crypto::AeadAlg aead() const { return aead_alg_; }
  uint64_t sequence() const { return sequence_; }
  // True once this key has protected RecordLimits::key_update_after records.
  bool needs_key_update() const { return sequence_ >= limits_.key_update_after; }
  // True once no more records can be protected under this key.
  bool exhausted() const { return sequence_ >= limits_.max_records; }

 private:
  using Nonce = std::array<uint8_t, crypto::kAeadNonceLength>;
  RecordProtector() = default;
  bool inner_type() const { return version_ == RecordVersion::tls13; }
  Result<void> install(Protection protection);
  Nonce nonce(uint64_t sequence) const;
  Result<OpenedRecord> open12(std::span<uint8_t> record, size_t length);
  Result<OpenedRecord> open13(std::span<uint8_t> record, size_t length);

  const crypto::Provider* provider_ = nullptr;
  Direction direction_ = Direction::seal;
  RecordVersion version_ = RecordVersion::tls13;
  NonceRule nonce_rule_ = NonceRule::xor_sequence;
  crypto::AeadAlg aead_alg_ = crypto::AeadAlg::aes_128_gcm;
  size_t tag_length_ = crypto::kAeadTagLength;
  size_t explicit_nonce_ = 0;
  RecordLimits limits_;
  size_t limit_ = kMaxInnerPlaintext;
  // The static IV, or for explicit nonces the salt followed by zeros: either way the nonce of
  // a record we seal is this XOR the sequence number.
  Nonce iv_{};
  std::unique_ptr<crypto::Aead> aead_;
  uint64_t sequence_ = 0;
};

}  // namespace bastion::record
