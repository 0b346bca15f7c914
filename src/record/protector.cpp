#include "record/protector.hpp"

#include <algorithm>
#include <limits>

#include "record/hkdf.hpp"

namespace bastion::record {
namespace {

constexpr uint8_t kOpaqueType = static_cast<uint8_t>(ContentType::application_data);

bool is_protectable(ContentType type) {
  return type == ContentType::handshake || type == ContentType::alert ||
         type == ContentType::application_data;
}

void write_header(std::span<uint8_t> header, size_t fragment_length) {
  // RFC 8446 §5.2: opaque_type = application_data, legacy_record_version = 0x0303.
  header[0] = kOpaqueType;
  header[1] = 0x03;
  header[2] = 0x03;
  header[3] = static_cast<uint8_t>(fragment_length >> 8);
  header[4] = static_cast<uint8_t>(fragment_length);
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
                                                Direction direction, crypto::AeadAlg aead,
                                                crypto::HashAlg hash, const Secret& traffic_secret,
                                                std::optional<RecordLimits> limits) {
  RecordProtector p;
  p.provider_ = &provider;
  p.direction_ = direction;
  p.aead_alg_ = aead;
  p.tag_length_ = crypto::aead_tag_length(aead);
  p.hash_ = hash;
  p.limits_ = limits.value_or(default_record_limits(direction, aead));
  if (traffic_secret.size() != crypto::hash_length(hash)) {
    return Error{ErrorCode::internal_error, "traffic secret length does not match the hash"};
  }
  if (Result<void> r = p.install(traffic_secret); !r) return std::move(r).error();
  return p;
}

RecordProtector::~RecordProtector() = default;

Result<void> RecordProtector::install(const Secret& traffic_secret) {
  TrafficKeys keys = derive_traffic_keys(Hkdf(*provider_, hash_), aead_alg_, traffic_secret);
  Result<std::unique_ptr<crypto::Aead>> aead = provider_->new_aead(aead_alg_, keys.key.span());
  if (!aead) return std::move(aead).error();
  aead_ = std::move(aead).value();
  iv_ = std::move(keys.iv);
  traffic_secret_ = traffic_secret.clone();
  sequence_ = 0;
  return {};
}

std::array<uint8_t, crypto::kAeadNonceLength> RecordProtector::nonce() const {
  // RFC 8446 §5.3: the 64-bit sequence number in network byte order, left-padded with zeros
  // to iv_length, XORed with the static IV.
  std::array<uint8_t, crypto::kAeadNonceLength> n{};
  std::copy_n(iv_.span().begin(), n.size(), n.begin());
  for (size_t i = 0; i < 8; ++i) {
    n[n.size() - 1 - i] ^= static_cast<uint8_t>(sequence_ >> (8 * i));
  }
  return n;
}

Result<void> RecordProtector::seal_in_place(ContentType type, std::span<uint8_t> record,
                                            size_t content_len, size_t padding_len) {
  if (direction_ != Direction::seal || !is_protectable(type)) {
    return Error{ErrorCode::internal_error, "cannot seal this record"};
  }
  // RFC 8446 §5.4: the full encoded TLSInnerPlaintext MUST NOT exceed 2^14 + 1 octets (or the
  // record_size_limit, RFC 8449 §4).
  if (content_len > inner_limit_ || padding_len > inner_limit_ ||
      content_len + 1 + padding_len > inner_limit_) {
    return Error{ErrorCode::record_overflow, "record content and padding too long"};
  }
  // RFC 8446 §5.4: Handshake and Alert records MUST NOT have a zero-length content.
  if (content_len == 0 && type != ContentType::application_data) {
    return Error{ErrorCode::empty_record, "empty handshake or alert record"};
  }
  if (record.size() != sealed_size(content_len, padding_len)) {
    return Error{ErrorCode::internal_error, "record buffer has the wrong size"};
  }
  // RFC 8446 §5.3: the sequence number MUST NOT wrap; §5.5: nor exceed the AEAD's limits.
  if (exhausted()) return Error{ErrorCode::sequence_exhausted, "key used for too many records"};

  const size_t inner_len = content_len + 1 + padding_len;
  std::span<uint8_t> inner = record.subspan(kHeaderLength, inner_len);
  inner[content_len] = static_cast<uint8_t>(type);
  std::fill(inner.begin() + static_cast<std::ptrdiff_t>(content_len) + 1, inner.end(), 0);
  write_header(record.first(kHeaderLength), inner_len + tag_length_);

  const auto n = nonce();
  if (!aead_->seal(n, record.first(kHeaderLength), inner,
                   record.subspan(kHeaderLength + inner_len, tag_length_))) {
    return Error{ErrorCode::crypto_failure, "AEAD seal failed"};
  }
  ++sequence_;
  return {};
}

Result<void> RecordProtector::seal(ContentType type, crypto::Bytes content, size_t padding_len,
                                   std::vector<uint8_t>& out) {
  if (content.size() > inner_limit_ || padding_len > inner_limit_) {
    return Error{ErrorCode::record_overflow, "record content and padding too long"};
  }
  const size_t start = out.size();
  const size_t end = start + sealed_size(content.size(), padding_len);
  if (out.capacity() < end) out.reserve(std::max(end, 2 * out.capacity()));
  // Appending the content, rather than resizing first and copying, spares zeroing the record:
  // only the header room and the trailing type, padding and tag bytes are value-initialised.
  out.resize(start + kHeaderLength);
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
  if (inner_len > inner_limit_) {
    return Error{ErrorCode::record_overflow, "record plaintext too long"};
  }
  if (exhausted()) return Error{ErrorCode::sequence_exhausted, "key used for too many records"};

  std::span<uint8_t> inner = record.subspan(kHeaderLength, inner_len);
  const auto n = nonce();
  // RFC 8446 §5.2: if the decryption fails, the receiver MUST send bad_record_mac.
  if (!aead_->open(n, record.first(kHeaderLength), inner,
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

Result<void> RecordProtector::update_traffic_secret() {
  // RFC 8446 §7.2: application_traffic_secret_N+1 =
  //   HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length).
  const Hkdf hkdf(*provider_, hash_);
  Secret next = hkdf.expand_label(traffic_secret_, "traffic upd", {}, hkdf.hash_length());
  return install(next);
}

void RecordProtector::set_inner_plaintext_limit(size_t limit) {
  inner_limit_ = std::clamp<size_t>(limit, 64, kMaxInnerPlaintext);
}

}  // namespace bastion::record
