#include "record/protector.hpp"

#include <algorithm>
#include <limits>

namespace bastion::record {
namespace {

constexpr uint8_t kOpaqueType = static_cast<uint8_t>(ContentType::application_data);
// RFC 5246 §6.2.3.3: the additional data is seq_num (8) || type (1) || version (2) || length (2).
constexpr size_t kAad12 = 13;

bool is_protectable(ContentType type) {
  return type == ContentType::handshake || type == ContentType::alert ||
         type == ContentType::application_data;
}

void write_header(std::span<uint8_t> header, uint8_t type, size_t fragment_length) {
  // RFC 8446 §5.2: opaque_type = application_data, legacy_record_version = 0x0303; RFC 5246
  // §6.2.1: the real type and version 0x0303 in TLS 1.2.
  header[0] = type;
  header[1] = 0x03;
  header[2] = 0x03;
  header[3] = static_cast<uint8_t>(fragment_length >> 8);
  header[4] = static_cast<uint8_t>(fragment_length);
}

void put_u64(std::span<uint8_t> out, uint64_t v) {
  for (size_t i = 0; i < 8; ++i) out[7 - i] = static_cast<uint8_t>(v >> (8 * i));
}

std::array<uint8_t, kAad12> aad12(uint64_t sequence, uint8_t type, uint8_t v0, uint8_t v1,
                                  size_t length) {
  std::array<uint8_t, kAad12> aad{};
  put_u64(aad, sequence);
  aad[8] = type;
  aad[9] = v0;
  aad[10] = v1;
  aad[11] = static_cast<uint8_t>(length >> 8);
  aad[12] = static_cast<uint8_t>(length);
  return aad;
}

}  // namespace

RecordLimits default_record_limits(Direction direction, crypto::AeadAlg aead) {
  constexpr uint64_t kNoWrap = std::numeric_limits<uint64_t>::max();
  // AES-CCM shares AES-GCM's confidentiality limit (2^24.5 full records, per the CFRG's AEAD
  // limits analysis); its forgery limits do not matter to TLS, where one failure is fatal.
  const bool aes = aead != crypto::AeadAlg::chacha20_poly1305;
  if (!aes) return RecordLimits{uint64_t{1} << 62, kNoWrap};
  if (direction == Direction::open) return RecordLimits{uint64_t{1} << 23, kNoWrap};
  return RecordLimits{uint64_t{1} << 23, uint64_t{1} << 24};
}

Result<RecordProtector> RecordProtector::create(const crypto::Provider& provider,
                                                Direction direction, Protection protection,
                                                std::optional<RecordLimits> limits) {
  RecordProtector p;
  p.provider_ = &provider;
  p.direction_ = direction;
  p.version_ = protection.version;
  p.nonce_rule_ = protection.nonce;
  p.aead_alg_ = protection.aead;
  p.tag_length_ = crypto::aead_tag_length(protection.aead);
  p.explicit_nonce_ = explicit_nonce_length(protection.nonce);
  p.limit_ = p.inner_type() ? kMaxInnerPlaintext : limits::kMaxPlaintext;
  p.limits_ = limits.value_or(default_record_limits(direction, protection.aead));
  if (Result<void> r = p.install(std::move(protection)); !r) return std::move(r).error();
  return p;
}

RecordProtector::~RecordProtector() {
  secure_wipe(iv_.data(), iv_.size());
}

Result<void> RecordProtector::rekey(Protection protection) {
  if (protection.aead != aead_alg_ || protection.version != version_ ||
      protection.nonce != nonce_rule_) {
    return Error{ErrorCode::internal_error, "new keys of another kind"};
  }
  return install(std::move(protection));
}

Result<void> RecordProtector::install(Protection protection) {
  if (protection.key.size() != crypto::aead_key_length(protection.aead) ||
      protection.iv.size() != iv_length(protection.nonce)) {
    return Error{ErrorCode::internal_error, "record key or IV of the wrong length"};
  }
  Result<std::unique_ptr<crypto::Aead>> aead =
      provider_->new_aead(protection.aead, protection.key.span());
  if (!aead) return std::move(aead).error();
  aead_ = std::move(aead).value();
  iv_.fill(0);
  std::copy(protection.iv.span().begin(), protection.iv.span().end(), iv_.begin());
  sequence_ = 0;
  return {};
}

RecordProtector::Nonce RecordProtector::nonce(uint64_t sequence) const {
  // RFC 8446 §5.3 and RFC 7905 §2: the 64-bit sequence number in network byte order,
  // left-padded with zeros to iv_length, XORed with the static IV. RFC 5288 §3: salt ||
  // explicit nonce, which is the same when the explicit nonce is the sequence number.
  Nonce n = iv_;
  for (size_t i = 0; i < 8; ++i) n[n.size() - 1 - i] ^= static_cast<uint8_t>(sequence >> (8 * i));
  return n;
}

Result<void> RecordProtector::seal_in_place(ContentType type, std::span<uint8_t> record,
                                            size_t content_len, size_t padding_len) {
  if (direction_ != Direction::seal || !is_protectable(type) ||
      (!inner_type() && padding_len != 0)) {
    return Error{ErrorCode::internal_error, "cannot seal this record"};
  }
  // RFC 8446 §5.4: the full encoded TLSInnerPlaintext MUST NOT exceed 2^14 + 1 octets (or the
  // record_size_limit, RFC 8449 §4); RFC 5246 §6.2.1: the plaintext at most 2^14.
  const size_t inner_len = content_len + (inner_type() ? 1 + padding_len : 0);
  if (content_len > limit_ || padding_len > limit_ || inner_len > limit_) {
    return Error{ErrorCode::record_overflow, "record content and padding too long"};
  }
  // RFC 8446 §5.4, RFC 5246 §6.2.1: Handshake and Alert records MUST NOT be empty.
  if (content_len == 0 && type != ContentType::application_data) {
    return Error{ErrorCode::empty_record, "empty handshake or alert record"};
  }
  if (record.size() != sealed_size(content_len, padding_len)) {
    return Error{ErrorCode::internal_error, "record buffer has the wrong size"};
  }
  // RFC 8446 §5.3: the sequence number MUST NOT wrap; §5.5: nor exceed the AEAD's limits.
  if (exhausted()) return Error{ErrorCode::sequence_exhausted, "key used for too many records"};

  std::span<uint8_t> inner = record.subspan(content_offset(), inner_len);
  std::span<uint8_t> tag = record.subspan(content_offset() + inner_len, tag_length_);
  const auto n = nonce(sequence_);
  bool sealed = false;
  if (inner_type()) {
    inner[content_len] = static_cast<uint8_t>(type);
    std::fill(inner.begin() + static_cast<std::ptrdiff_t>(content_len) + 1, inner.end(), 0);
    write_header(record.first(kHeaderLength), kOpaqueType, inner_len + tag_length_);
    sealed = aead_->seal(n, record.first(kHeaderLength), inner, tag);
  } else {
    const size_t fragment = explicit_nonce_ + content_len + tag_length_;
    write_header(record.first(kHeaderLength), static_cast<uint8_t>(type), fragment);
    if (explicit_nonce_ > 0) put_u64(record.subspan(kHeaderLength, 8), sequence_);
    const auto aad = aad12(sequence_, static_cast<uint8_t>(type), 0x03, 0x03, content_len);
    sealed = aead_->seal(n, aad, inner, tag);
  }
  if (!sealed) return Error{ErrorCode::crypto_failure, "AEAD seal failed"};
  ++sequence_;
  return {};
}

Result<void> RecordProtector::seal(ContentType type, crypto::Bytes content, size_t padding_len,
                                   std::vector<uint8_t>& out) {
  if (content.size() > limit_ || padding_len > limit_) {
    return Error{ErrorCode::record_overflow, "record content and padding too long"};
  }
  const size_t start = out.size();
  const size_t end = start + sealed_size(content.size(), padding_len);
  if (out.capacity() < end) out.reserve(std::max(end, 2 * out.capacity()));
  // Appending the content, rather than resizing first and copying, spares zeroing the record:
  // only the header room and the trailing type, padding and tag bytes are value-initialised.
  out.resize(start + content_offset());
  out.insert(out.end(), content.begin(), content.end());
  out.resize(end);
  std::span<uint8_t> record = std::span<uint8_t>(out).subspan(start);
  Result<void> r = seal_in_place(type, record, content.size(), padding_len);
  if (!r) out.resize(start);
  return r;
}

Result<OpenedRecord> RecordProtector::open(std::span<uint8_t> record) {
  if (direction_ != Direction::open) {
    return Error{ErrorCode::internal_error, "cannot open with a sealing key"};
  }
  if (record.size() < kHeaderLength) return Error{ErrorCode::decode_error, "short record"};
  const size_t length = static_cast<size_t>(record[3]) << 8 | record[4];
  if (length != record.size() - kHeaderLength) {
    return Error{ErrorCode::decode_error, "record length does not match its header"};
  }
  if (exhausted()) return Error{ErrorCode::sequence_exhausted, "key used for too many records"};
  return inner_type() ? open13(record, length) : open12(record, length);
}

Result<OpenedRecord> RecordProtector::open13(std::span<uint8_t> record, size_t length) {
  // RFC 8446 §5.2: the outer opaque_type of a protected record is always application_data.
  if (record[0] != kOpaqueType) {
    return Error{ErrorCode::unexpected_record, "protected record of a type other than 23"};
  }
  // RFC 8446 §5.2: a TLSCiphertext.length over 2^14 + 256 MUST get record_overflow.
  if (length > limits::kMaxCiphertext13) {
    return Error{ErrorCode::record_overflow, "protected record too long"};
  }
  if (length < tag_length_) return Error{ErrorCode::bad_record_mac, "record shorter than the tag"};
  const size_t inner_len = length - tag_length_;
  // RFC 8446 §5.4 (and RFC 8449 §4): TLSInnerPlaintext is at most 2^14 + 1 octets.
  if (inner_len > limit_) return Error{ErrorCode::record_overflow, "record plaintext too long"};

  std::span<uint8_t> inner = record.subspan(kHeaderLength, inner_len);
  // RFC 8446 §5.2: if the decryption fails, the receiver MUST send bad_record_mac.
  if (!aead_->open(nonce(sequence_), record.first(kHeaderLength), inner,
                   record.subspan(kHeaderLength + inner_len, tag_length_))) {
    return Error{ErrorCode::bad_record_mac, "record does not authenticate"};
  }
  ++sequence_;

  // RFC 8446 §5.4: the content type is the last non-zero octet; if there is none, the
  // receiver MUST send unexpected_message.
  size_t end = inner.size();
  while (end > 0 && inner[end - 1] == 0) --end;
  if (end == 0) return Error{ErrorCode::unexpected_message, "record has no content type"};
  const auto type = static_cast<ContentType>(inner[end - 1]);
  // RFC 8446 §5: a protected change_cipher_spec MUST get unexpected_message, as must a type
  // TLS 1.3 does not know.
  if (!is_protectable(type)) {
    return Error{ErrorCode::bad_content_type, "unexpected inner content type"};
  }
  // RFC 8446 §5.4: a zero-length Handshake or Alert content MUST get unexpected_message.
  if (end == 1 && type != ContentType::application_data) {
    return Error{ErrorCode::empty_record, "empty handshake or alert record"};
  }
  return OpenedRecord{type, inner.first(end - 1)};
}

Result<OpenedRecord> RecordProtector::open12(std::span<uint8_t> record, size_t length) {
  const auto type = static_cast<ContentType>(record[0]);
  // Change_cipher_spec is never protected: renegotiation is refused.
  if (!is_protectable(type)) {
    return Error{ErrorCode::unexpected_record, "protected record of an unexpected type"};
  }
  // RFC 5246 §6.2.3: TLSCiphertext.length MUST NOT exceed 2^14 + 2048 (record_overflow).
  if (length > limits::kMaxCiphertext12) {
    return Error{ErrorCode::record_overflow, "protected record too long"};
  }
  if (length < explicit_nonce_ + tag_length_) {
    return Error{ErrorCode::bad_record_mac, "record shorter than its nonce and tag"};
  }
  const size_t content_len = length - explicit_nonce_ - tag_length_;
  // RFC 5246 §6.2.3: a TLSCompressed (here: plaintext) over 2^14 gets record_overflow.
  if (content_len > limit_) return Error{ErrorCode::record_overflow, "record plaintext too long"};

  Nonce n = nonce(sequence_);
  if (explicit_nonce_ > 0) {
    // RFC 5288 §3: the nonce is the salt and the explicit part the sender chose.
    std::copy_n(record.begin() + kHeaderLength, 8, n.begin() + 4);
  }
  const auto aad = aad12(sequence_, record[0], record[1], record[2], content_len);
  std::span<uint8_t> content = record.subspan(content_offset(), content_len);
  // RFC 5246 §7.2.2: a record that does not authenticate gets bad_record_mac.
  if (!aead_->open(n, aad, content, record.subspan(content_offset() + content_len, tag_length_))) {
    return Error{ErrorCode::bad_record_mac, "record does not authenticate"};
  }
  ++sequence_;
  // RFC 5246 §6.2.1: zero-length fragments of handshake and alert MUST NOT be sent.
  if (content_len == 0 && type != ContentType::application_data) {
    return Error{ErrorCode::empty_record, "empty handshake or alert record"};
  }
  return OpenedRecord{type, content};
}

void RecordProtector::set_plaintext_limit(size_t limit) {
  limit_ = std::clamp<size_t>(limit, 64, inner_type() ? kMaxInnerPlaintext : limits::kMaxPlaintext);
}

}  // namespace bastion::record
