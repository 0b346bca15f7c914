// TLS 1.2 record protection: RFC 5246 §6.2.3.3 additional data, RFC 5288 explicit nonces for
// AES-GCM and RFC 7905 nonces for ChaCha20-Poly1305, checked against the AEAD used directly.
#include <gtest/gtest.h>

#include <vector>

#include "record/protector.hpp"

namespace bastion::record {
namespace {

using Bytes = std::vector<uint8_t>;

Protection tls12_keys(crypto::AeadAlg aead, uint8_t fill = 0x17) {
  Protection p;
  p.aead = aead;
  p.version = RecordVersion::tls12;
  p.nonce = aead == crypto::AeadAlg::chacha20_poly1305 ? NonceRule::xor_sequence
                                                       : NonceRule::explicit_sequence;
  p.key = Secret(Bytes(crypto::aead_key_length(aead), fill));
  p.iv = Secret(Bytes(iv_length(p.nonce), static_cast<uint8_t>(fill + 1)));
  return p;
}

class Protector12 : public ::testing::Test {
 protected:
  RecordProtector make(Direction dir, crypto::AeadAlg aead = crypto::AeadAlg::aes_128_gcm) {
    auto p = RecordProtector::create(*provider_, dir, tls12_keys(aead));
    EXPECT_TRUE(p) << p.error().message();
    return std::move(p).value();
  }
  // The plaintext of a sealed record, opened with the AEAD alone: nonce and additional data
  // built here from the RFCs.
  Bytes open_by_hand(crypto::AeadAlg aead, Bytes record, uint64_t seq) {
    const Protection k = tls12_keys(aead);
    const bool explicit_nonce = k.nonce == NonceRule::explicit_sequence;
    const size_t prefix = explicit_nonce ? 8 : 0;
    const size_t tag = crypto::aead_tag_length(aead);
    const size_t content = record.size() - 5 - prefix - tag;
    Bytes nonce(k.iv.span().begin(), k.iv.span().end());
    if (explicit_nonce) {
      nonce.insert(nonce.end(), record.begin() + 5, record.begin() + 13);
    } else {
      for (size_t i = 0; i < 8; ++i) nonce[11 - i] ^= static_cast<uint8_t>(seq >> (8 * i));
    }
    Bytes aad(8);
    for (size_t i = 0; i < 8; ++i) aad[7 - i] = static_cast<uint8_t>(seq >> (8 * i));
    aad.insert(aad.end(), {record[0], record[1], record[2], static_cast<uint8_t>(content >> 8),
                           static_cast<uint8_t>(content)});
    auto cipher = provider_->new_aead(aead, k.key.span());
    EXPECT_TRUE(cipher);
    std::span<uint8_t> all(record);
    EXPECT_TRUE((*cipher)->open(nonce, aad, all.subspan(5 + prefix, content),
                                all.subspan(5 + prefix + content, tag)));
    return Bytes(record.begin() + 5 + static_cast<std::ptrdiff_t>(prefix),
                 record.begin() + 5 + static_cast<std::ptrdiff_t>(prefix + content));
  }
  static Result<OpenedRecord> open(RecordProtector& p, Bytes& record) { return p.open(record); }

  std::shared_ptr<const crypto::Provider> provider_ = crypto::openssl_provider();
};

TEST_F(Protector12, GcmRecordsCarryTheSequenceAsExplicitNonce) {
  RecordProtector sealer = make(Direction::seal);
  EXPECT_EQ(sealer.content_offset(), 13u);
  EXPECT_EQ(sealer.sealed_size(5, 0), 5u + 8 + 5 + 16);
  EXPECT_EQ(sealer.max_content(0), limits::kMaxPlaintext);
  for (uint64_t seq = 0; seq < 3; ++seq) {
    Bytes out;
    const Bytes hello = {'h', 'e', 'l', 'l', 'o'};
    ASSERT_TRUE(sealer.seal(ContentType::application_data, hello, 0, out));
    ASSERT_EQ(out.size(), 5u + 8 + 5 + 16);
    // RFC 5246 §6.2.1: the real type and version 3.3 in the clear.
    EXPECT_EQ(Bytes(out.begin(), out.begin() + 5), (Bytes{23, 3, 3, 0, 29}));
    EXPECT_EQ(Bytes(out.begin() + 5, out.begin() + 13),
              (Bytes{0, 0, 0, 0, 0, 0, 0, static_cast<uint8_t>(seq)}));
    EXPECT_EQ(open_by_hand(crypto::AeadAlg::aes_128_gcm, out, seq), hello);
  }
  Bytes handshake;
  ASSERT_TRUE(sealer.seal(ContentType::handshake, Bytes{20, 0, 0, 0}, 0, handshake));
  EXPECT_EQ(handshake[0], 22);
}

TEST_F(Protector12, ChaChaRecordsHaveNoExplicitNonce) {
  RecordProtector sealer = make(Direction::seal, crypto::AeadAlg::chacha20_poly1305);
  RecordProtector opener = make(Direction::open, crypto::AeadAlg::chacha20_poly1305);
  for (uint64_t seq = 0; seq < 3; ++seq) {
    Bytes out;
    ASSERT_TRUE(sealer.seal(ContentType::alert, Bytes{1, 0}, 0, out));
    ASSERT_EQ(out.size(), 5u + 2 + 16);
    EXPECT_EQ(open_by_hand(crypto::AeadAlg::chacha20_poly1305, out, seq), (Bytes{1, 0}));
    auto opened = opener.open(out);
    ASSERT_TRUE(opened) << opened.error().message();
    EXPECT_EQ(opened->type, ContentType::alert);
    EXPECT_EQ(Bytes(opened->content.begin(), opened->content.end()), (Bytes{1, 0}));
  }
}

TEST_F(Protector12, EverySuiteRoundTripsInPlace) {
  for (auto aead : {crypto::AeadAlg::aes_128_gcm, crypto::AeadAlg::aes_256_gcm,
                    crypto::AeadAlg::chacha20_poly1305}) {
    RecordProtector sealer = make(Direction::seal, aead);
    RecordProtector opener = make(Direction::open, aead);
    Bytes out;
    const Bytes content(limits::kMaxPlaintext, 0x5a);
    ASSERT_TRUE(sealer.seal(ContentType::application_data, content, 0, out));
    auto opened = opener.open(out);
    ASSERT_TRUE(opened) << opened.error().message();
    EXPECT_EQ(opened->content.data(), out.data() + sealer.content_offset());
    EXPECT_EQ(Bytes(opened->content.begin(), opened->content.end()), content);
  }
}

TEST_F(Protector12, TamperingIsBadRecordMac) {
  RecordProtector sealer = make(Direction::seal);
  Bytes good;
  ASSERT_TRUE(sealer.seal(ContentType::application_data, Bytes{1, 2, 3}, 0, good));
  // The type is in the additional data, and so is the explicit nonce's effect on the nonce.
  for (size_t at : {size_t{0}, size_t{7}, size_t{13}, good.size() - 1}) {
    SCOPED_TRACE(at);
    RecordProtector opener = make(Direction::open);
    Bytes bad = good;
    bad[at] ^= (at == 0 ? 0x01 : 0x80);  // 23 -> 22: still a protectable type
    auto opened = open(opener, bad);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::bad_record_mac);
  }
  // The sequence number is in the additional data: a replay fails.
  RecordProtector opener = make(Direction::open);
  Bytes first = good;
  ASSERT_TRUE(opener.open(first));
  Bytes replay = good;
  auto replayed = open(opener, replay);
  ASSERT_FALSE(replayed);
  EXPECT_EQ(replayed.error().code, ErrorCode::bad_record_mac);
}

TEST_F(Protector12, BadRecordsGetTheirAlerts) {
  RecordProtector opener = make(Direction::open);
  // Shorter than explicit nonce and tag.
  Bytes short_record = {23, 3, 3, 0, 23};
  short_record.resize(5 + 23);
  auto r = open(opener, short_record);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::bad_record_mac);
  // change_cipher_spec is never protected.
  Bytes ccs = {20, 3, 3, 0, 25};
  ccs.resize(5 + 25);
  r = open(opener, ccs);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::unexpected_record);
  // RFC 5246 §6.2.3: over 2^14 + 2048 is record_overflow, and so is a plaintext over 2^14.
  for (size_t length : {limits::kMaxCiphertext12 + 1, limits::kMaxPlaintext + 1 + 8 + 16}) {
    Bytes big = {23, 3, 3, static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)};
    big.resize(5 + length);
    r = open(opener, big);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::record_overflow);
  }
  // RFC 5246 §6.2.1: no empty handshake or alert fragments.
  RecordProtector sealer = make(Direction::seal);
  Bytes resealed;
  auto refused = sealer.seal(ContentType::handshake, {}, 0, resealed);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::empty_record);
  // Padding does not exist in TLS 1.2.
  auto padded = sealer.seal(ContentType::application_data, Bytes{1}, 1, resealed);
  ASSERT_FALSE(padded);
  EXPECT_EQ(padded.error().code, ErrorCode::internal_error);
}

TEST_F(Protector12, PlaintextLimitCountsTheContentAlone) {
  // RFC 8449 §4: in TLS 1.2 the limit is on the plaintext, without a content type.
  RecordProtector sealer = make(Direction::seal);
  RecordProtector opener = make(Direction::open);
  sealer.set_plaintext_limit(100);
  opener.set_plaintext_limit(100);
  EXPECT_EQ(sealer.max_content(0), 100u);
  Bytes out;
  ASSERT_TRUE(sealer.seal(ContentType::application_data, Bytes(100, 1), 0, out));
  ASSERT_TRUE(opener.open(out));
  auto r = sealer.seal(ContentType::application_data, Bytes(101, 1), 0, out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::record_overflow);
  sealer.set_plaintext_limit(1 << 20);
  EXPECT_EQ(sealer.plaintext_limit(), limits::kMaxPlaintext);
}

}  // namespace
}  // namespace bastion::record
