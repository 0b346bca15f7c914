// TLS 1.3 record protection, one direction (RFC 8446 §5.2-§5.5): AEAD with the per-record nonce
// and the record header as additional data, inner content type and zero padding, and the
// sequence number limits. Records are sealed and opened in place; once created, a protector
// allocates nothing per record.
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

namespace bastion::record {

enum class Direction : uint8_t { seal, open };

// When a protector asks for a KeyUpdate and when it refuses to go on, in records under one key.
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
// still turns true at the same count so that the connection can request an update.
RecordLimits default_record_limits(Direction direction, crypto::AeadAlg aead);

// A decrypted record: the inner content type and the content, a span into the record.
struct OpenedRecord {
  ContentType type = ContentType::invalid;
  std::span<uint8_t> content;
};

class RecordProtector {
 public:
  static constexpr size_t kHeaderLength = limits::kRecordHeader;
  // RFC 8446 §5.4: TLSInnerPlaintext (content, type, padding) is at most 2^14 + 1 bytes.
  static constexpr size_t kMaxInnerPlaintext = limits::kMaxPlaintext + 1;

  // Derives key and IV from `traffic_secret` (RFC 8446 §7.3) and keeps the secret for
  // KeyUpdate. `hash` is the suite's hash. Limits default to default_record_limits().
  [[nodiscard]] static Result<RecordProtector> create(
      const crypto::Provider& provider, Direction direction, crypto::AeadAlg aead,
      crypto::HashAlg hash, const Secret& traffic_secret,
      std::optional<RecordLimits> limits = std::nullopt);

  RecordProtector(RecordProtector&&) noexcept = default;
  RecordProtector& operator=(RecordProtector&&) noexcept = default;
  RecordProtector(const RecordProtector&) = delete;
  RecordProtector& operator=(const RecordProtector&) = delete;
  ~RecordProtector();

  // The size of a sealed record holding `content_len` bytes and `padding_len` zero bytes:
  // header, content, inner type, padding, and the tag of this protector's AEAD.
  size_t sealed_size(size_t content_len, size_t padding_len) const {
    return kHeaderLength + content_len + 1 + padding_len + tag_length_;
  }

  // Seals in place. `record` has sealed_size(content_len, padding_len) bytes and holds the
  // content at [kHeaderLength, kHeaderLength + content_len); everything else is overwritten
  // (header, inner type, padding, tag). So a caller can grow its send buffer by sealed_size(),
  // write the content after the header room, and seal with no copy.
  // Fails with record_overflow when content, type and padding exceed the inner plaintext limit,
  // empty_record for an empty handshake or alert (RFC 8446 §5.4), sequence_exhausted at the
  // limit, internal_error for a change_cipher_spec type, a bad size or an opening protector.
  [[nodiscard]] Result<void> seal_in_place(ContentType type, std::span<uint8_t> record,
                                           size_t content_len, size_t padding_len);

  // Appends one sealed record to `out`. No allocation when `out` has the capacity.
  [[nodiscard]] Result<void> seal(ContentType type, crypto::Bytes content, size_t padding_len,
                                  std::vector<uint8_t>& out);

  // Opens one whole record in place (header and fragment, as the Deframer hands it out).
  // The outer type must be application_data (RFC 8446 §5.2; else unexpected_record).
  // Errors: record_overflow (fragment over 2^14 + 256, or inner plaintext over the limit),
  // bad_record_mac (tag, or a fragment too short to hold one), unexpected_message for an
  // all-zero inner plaintext (RFC 8446 §5.4), bad_content_type for an inner type other than
  // handshake, alert or application_data, empty_record for an empty handshake or alert,
  // sequence_exhausted. On error the record's bytes are unspecified.
  [[nodiscard]] Result<OpenedRecord> open(std::span<uint8_t> record);

  // KeyUpdate (RFC 8446 §4.6.3, §7.2): the next traffic secret ("traffic upd"), new key and
  // IV, and the sequence number back to 0.
  [[nodiscard]] Result<void> update_traffic_secret();

  // RFC 8449 record_size_limit: the largest TLSInnerPlaintext (content, type and padding) this
  // direction allows, at most kMaxInnerPlaintext and at least 64.
  void set_inner_plaintext_limit(size_t limit);
  size_t inner_plaintext_limit() const { return inner_limit_; }
  // The most content one record can carry with `padding_len` bytes of padding.
  size_t max_content(size_t padding_len) const {
    return padding_len + 1 >= inner_limit_ ? 0 : inner_limit_ - 1 - padding_len;
  }

  Direction direction() const { return direction_; }
  crypto::AeadAlg aead() const { return aead_alg_; }
  uint64_t sequence() const { return sequence_; }
  // True once this key has protected RecordLimits::key_update_after records.
  bool needs_key_update() const { return sequence_ >= limits_.key_update_after; }
  // True once no more records can be protected under this key.
  bool exhausted() const { return sequence_ >= limits_.max_records; }

 private:
  RecordProtector() = default;
  Result<void> install(const Secret& traffic_secret);
  std::array<uint8_t, crypto::kAeadNonceLength> nonce() const;

  const crypto::Provider* provider_ = nullptr;
  Direction direction_ = Direction::seal;
  crypto::AeadAlg aead_alg_ = crypto::AeadAlg::aes_128_gcm;
  size_t tag_length_ = crypto::kAeadTagLength;
  crypto::HashAlg hash_ = crypto::HashAlg::sha256;
  RecordLimits limits_;
  size_t inner_limit_ = kMaxInnerPlaintext;
  Secret traffic_secret_;
  Secret iv_;
  std::unique_ptr<crypto::Aead> aead_;
  uint64_t sequence_ = 0;
};

}  // namespace bastion::record
