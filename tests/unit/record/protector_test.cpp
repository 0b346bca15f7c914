#include "record/protector.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <deque>
#include <new>
#include <vector>

// Counts heap allocations while `g_counting` is set, to show that steady-state records
// allocate nothing in the record layer.
namespace {
std::atomic<bool> g_counting{false};
std::atomic<size_t> g_allocations{0};
}  // namespace

void* operator new(size_t n) {
  if (g_counting) ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
// Not inlined: GCC 12 at -O2 takes an inlined free() after operator new for a mismatch.
[[gnu::noinline]] void operator delete(void* p) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete(void* p, size_t) noexcept {
  std::free(p);
}

namespace bastion::record {
namespace {

constexpr auto kAes128 = crypto::AeadAlg::aes_128_gcm;
constexpr auto kSha256 = crypto::HashAlg::sha256;

struct Suite {
  crypto::AeadAlg aead;
  crypto::HashAlg hash;
};
constexpr Suite kSuites[] = {{crypto::AeadAlg::aes_128_gcm, crypto::HashAlg::sha256},
                             {crypto::AeadAlg::aes_256_gcm, crypto::HashAlg::sha384},
                             {crypto::AeadAlg::chacha20_poly1305, crypto::HashAlg::sha256},
                             {crypto::AeadAlg::aes_128_ccm, crypto::HashAlg::sha256},
                             {crypto::AeadAlg::aes_128_ccm_8, crypto::HashAlg::sha256}};

class Protector : public ::testing::Test {
 protected:
  // Keys as the handshake hands them over; `fill` tells key sets apart.
  static Protection keys(Suite s = {kAes128, kSha256}, uint8_t fill = 0x42) {
    Protection p;
    p.aead = s.aead;
    p.key = Secret(std::vector<uint8_t>(crypto::aead_key_length(s.aead), fill));
    p.iv = Secret(std::vector<uint8_t>(crypto::kAeadNonceLength, fill ^ 0xff));
    return p;
  }
  // The keys after a KeyUpdate.
  static Protection next_keys() { return keys({kAes128, kSha256}, 0x43); }
  RecordProtector make(Direction dir, Suite s = {kAes128, kSha256},
                       std::optional<RecordLimits> limits = std::nullopt) const {
    auto p = RecordProtector::create(*provider_, dir, keys(s), limits);
    EXPECT_TRUE(p) << p.error().message();
    return std::move(p).value();
  }
  // Seals an arbitrary TLSInnerPlaintext, bypassing the checks of RecordProtector::seal.
  std::vector<uint8_t> raw_seal(std::vector<uint8_t> inner, uint64_t seq = 0) const {
    const Protection k = keys();
    auto aead = provider_->new_aead(kAes128, k.key.span());
    EXPECT_TRUE(aead);
    std::vector<uint8_t> nonce(k.iv.span().begin(), k.iv.span().end());
    for (size_t i = 0; i < 8; ++i) nonce[11 - i] ^= static_cast<uint8_t>(seq >> (8 * i));
    const size_t len = inner.size() + crypto::kAeadTagLength;
    std::vector<uint8_t> record;
    record.reserve(5 + len);  // also keeps GCC 12's -Warray-bounds quiet at -O2
    record.assign({23, 3, 3, static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len)});
    record.insert(record.end(), inner.begin(), inner.end());
    record.resize(record.size() + crypto::kAeadTagLength);
    std::span<uint8_t> all(record);
    EXPECT_TRUE((*aead)->seal(nonce, all.first(5), all.subspan(5, inner.size()),
                              all.subspan(5 + inner.size())));
    return record;
  }

  // Opens a temporary record, kept alive with the fixture so that the content span stays valid.
  Result<OpenedRecord> open(RecordProtector& p, std::vector<uint8_t> record) {
    kept_.push_back(std::move(record));
    return p.open(kept_.back());
  }

  std::shared_ptr<const crypto::Provider> provider_ = crypto::openssl_provider();
  std::deque<std::vector<uint8_t>> kept_;
};

TEST_F(Protector, RoundTripsEverySuiteWithPadding) {
  for (const Suite& s : kSuites) {
    RecordProtector sealer = make(Direction::seal, s);
    RecordProtector opener = make(Direction::open, s);
    for (size_t padding : {size_t{0}, size_t{1}, size_t{100}, size_t{1000}}) {
      const std::vector<uint8_t> content(300, 0x5a);
      std::vector<uint8_t> record;
      ASSERT_TRUE(sealer.seal(ContentType::application_data, content, padding, record));
      EXPECT_EQ(record.size(), sealer.sealed_size(content.size(), padding));
      auto opened = opener.open(record);
      ASSERT_TRUE(opened) << opened.error().message();
      EXPECT_EQ(opened->type, ContentType::application_data);
      EXPECT_EQ(std::vector<uint8_t>(opened->content.begin(), opened->content.end()), content);
    }
  }
}

TEST_F(Protector, RemovesPaddingAfterAZeroInsideTheContent) {
  RecordProtector opener = make(Direction::open);
  // content 01 00 02 00, type handshake, then zeros: the type is the last non-zero byte.
  auto record = raw_seal({1, 0, 2, 0, 22, 0, 0, 0, 0, 0});
  auto opened = opener.open(record);
  ASSERT_TRUE(opened) << opened.error().message();
  EXPECT_EQ(opened->type, ContentType::handshake);
  EXPECT_EQ(std::vector<uint8_t>(opened->content.begin(), opened->content.end()),
            (std::vector<uint8_t>{1, 0, 2, 0}));
}

TEST_F(Protector, RejectsBadTag) {
  RecordProtector sealer = make(Direction::seal);
  RecordProtector opener = make(Direction::open);
  std::vector<uint8_t> record;
  ASSERT_TRUE(sealer.seal(ContentType::application_data, std::vector<uint8_t>(10, 1), 0, record));
  record.back() ^= 1;
  auto opened = opener.open(record);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::bad_record_mac);
  EXPECT_EQ(opened.error().alert(), Alert::bad_record_mac);
  EXPECT_EQ(opener.sequence(), 0u);
}

TEST_F(Protector, RejectsFlippedCiphertextAndHeader) {
  RecordProtector sealer = make(Direction::seal);
  std::vector<uint8_t> good;
  ASSERT_TRUE(sealer.seal(ContentType::handshake, std::vector<uint8_t>(10, 1), 0, good));
  // The legacy_record_version bytes are not checked but are additional data (RFC 8446 §5.2).
  for (size_t i : {size_t{1}, size_t{2}, size_t{5}, size_t{10}}) {
    RecordProtector opener = make(Direction::open);
    std::vector<uint8_t> record = good;
    record[i] ^= 0x01;
    auto opened = opener.open(record);
    ASSERT_FALSE(opened) << i;
    EXPECT_EQ(opened.error().code, ErrorCode::bad_record_mac) << i;
  }
  {
    RecordProtector opener = make(Direction::open);
    std::vector<uint8_t> record = good;
    record[0] = 22;
    auto opened = opener.open(record);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::unexpected_record);
  }
  {
    RecordProtector opener = make(Direction::open);
    std::vector<uint8_t> record = good;
    record[4] ^= 1;  // length no longer matches the record
    auto opened = opener.open(record);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::decode_error);
  }
}

TEST_F(Protector, RejectsRecordsShorterThanATag) {
  RecordProtector opener = make(Direction::open);
  std::vector<uint8_t> record = {23, 3, 3, 0, 15};
  record.resize(5 + 15);
  auto opened = opener.open(record);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::bad_record_mac);
}

TEST_F(Protector, RejectsAllZeroInnerPlaintext) {
  for (size_t len : {size_t{0}, size_t{1}, size_t{50}}) {
    RecordProtector opener = make(Direction::open);
    auto record = raw_seal(std::vector<uint8_t>(len, 0));
    auto opened = opener.open(record);
    ASSERT_FALSE(opened);
    // RFC 8446 §5.4: no non-zero octet -> unexpected_message.
    EXPECT_EQ(opened.error().code, ErrorCode::unexpected_message);
    EXPECT_EQ(opened.error().alert(), Alert::unexpected_message);
  }
}

TEST_F(Protector, RejectsForbiddenInnerTypes) {
  for (uint8_t type : {uint8_t{20}, uint8_t{24}, uint8_t{0xff}}) {
    RecordProtector opener = make(Direction::open);
    auto opened = open(opener, raw_seal({1, 2, 3, type}));
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::bad_content_type);
    EXPECT_EQ(opened.error().alert(), Alert::unexpected_message);
  }
}

TEST_F(Protector, EmptyContentOnlyForApplicationData) {
  for (uint8_t type : {uint8_t{21}, uint8_t{22}}) {
    RecordProtector opener = make(Direction::open);
    auto opened = open(opener, raw_seal({type, 0, 0}));
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::empty_record);
    EXPECT_EQ(opened.error().alert(), Alert::unexpected_message);
  }
  RecordProtector opener = make(Direction::open);
  auto opened = open(opener, raw_seal({23, 0}));
  ASSERT_TRUE(opened);
  EXPECT_TRUE(opened->content.empty());

  RecordProtector sealer = make(Direction::seal);
  std::vector<uint8_t> out;
  auto r = sealer.seal(ContentType::handshake, {}, 5, out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::empty_record);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(sealer.seal(ContentType::application_data, {}, 0, out));
}

TEST_F(Protector, InnerPlaintextLimit) {
  RecordProtector sealer = make(Direction::seal);
  RecordProtector opener = make(Direction::open);
  std::vector<uint8_t> out;
  // RFC 8446 §5.4: content + type + padding <= 2^14 + 1.
  const std::vector<uint8_t> full(limits::kMaxPlaintext, 7);
  ASSERT_TRUE(sealer.seal(ContentType::application_data, full, 0, out));
  EXPECT_EQ(out.size(), 5 + limits::kMaxPlaintext + 1 + 16);
  auto opened = opener.open(out);
  ASSERT_TRUE(opened) << opened.error().message();
  EXPECT_EQ(opened->content.size(), limits::kMaxPlaintext);

  out.clear();
  auto over = sealer.seal(ContentType::application_data, full, 1, out);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::record_overflow);
  EXPECT_TRUE(out.empty());
  over = sealer.seal(ContentType::application_data, {}, limits::kMaxPlaintext + 1, out);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::record_overflow);
  EXPECT_EQ(sealer.max_content(0), limits::kMaxPlaintext);
  EXPECT_EQ(sealer.max_content(100), limits::kMaxPlaintext - 100);
}

TEST_F(Protector, RejectsOversizedRecords) {
  {
    // Inner plaintext of 2^14 + 2 bytes, validly sealed.
    RecordProtector opener = make(Direction::open);
    std::vector<uint8_t> inner(limits::kMaxPlaintext + 2, 1);
    auto opened = open(opener, raw_seal(inner));
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::record_overflow);
    EXPECT_EQ(opened.error().alert(), Alert::record_overflow);
  }
  {
    // RFC 8446 §5.2: TLSCiphertext.length over 2^14 + 256.
    RecordProtector opener = make(Direction::open);
    const size_t len = limits::kMaxCiphertext13 + 1;
    std::vector<uint8_t> record = {23, 3, 3, static_cast<uint8_t>(len >> 8),
                                   static_cast<uint8_t>(len)};
    record.resize(5 + len);
    auto opened = opener.open(record);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, ErrorCode::record_overflow);
  }
}

TEST_F(Protector, RecordSizeLimit) {
  RecordProtector sealer = make(Direction::seal);
  RecordProtector opener = make(Direction::open);
  sealer.set_plaintext_limit(100);
  opener.set_plaintext_limit(100);
  EXPECT_EQ(sealer.max_content(0), 99u);
  std::vector<uint8_t> out;
  EXPECT_TRUE(sealer.seal(ContentType::application_data, std::vector<uint8_t>(99, 1), 0, out));
  EXPECT_TRUE(opener.open(out));
  out.clear();
  auto r = sealer.seal(ContentType::application_data, std::vector<uint8_t>(99, 1), 1, out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::record_overflow);

  RecordProtector opener2 = make(Direction::open);
  opener2.set_plaintext_limit(100);
  auto opened = open(opener2, raw_seal(std::vector<uint8_t>(101, 23)));
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::record_overflow);
}

TEST_F(Protector, SequenceNumbersAdvanceInStep) {
  RecordProtector sealer = make(Direction::seal);
  RecordProtector opener = make(Direction::open);
  std::vector<std::vector<uint8_t>> records(5);
  for (size_t i = 0; i < records.size(); ++i) {
    ASSERT_TRUE(
        sealer.seal(ContentType::application_data, std::vector<uint8_t>(i + 1, 9), 0, records[i]));
    EXPECT_EQ(sealer.sequence(), i + 1);
  }
  // The same content under another sequence number gives another ciphertext.
  EXPECT_NE(raw_seal({9, 23}, 0), raw_seal({9, 23}, 1));
  ASSERT_TRUE(opener.open(records[0]));
  // A skipped record (or a replayed one) breaks the nonce: bad_record_mac.
  auto skipped = open(opener, records[2]);
  ASSERT_FALSE(skipped);
  EXPECT_EQ(skipped.error().code, ErrorCode::bad_record_mac);
  ASSERT_TRUE(opener.open(records[1]));
  std::vector<uint8_t> replay = records[2];
  ASSERT_TRUE(opener.open(records[2]));
  auto replayed = opener.open(replay);
  ASSERT_FALSE(replayed);
  ASSERT_TRUE(opener.open(records[3]));
  EXPECT_EQ(opener.sequence(), 4u);
  // raw_seal with an explicit sequence number agrees with the protector's nonce.
  RecordProtector opener2 = make(Direction::open);
  ASSERT_TRUE(open(opener2, raw_seal({1, 23}, 0)));
  ASSERT_TRUE(open(opener2, raw_seal({1, 23}, 1)));
  EXPECT_FALSE(open(opener2, raw_seal({1, 23}, 3)));
}

TEST_F(Protector, LimitsAskForKeyUpdateThenRefuse) {
  RecordProtector sealer = make(Direction::seal, {kAes128, kSha256}, RecordLimits{2, 3});
  std::vector<uint8_t> out;
  EXPECT_FALSE(sealer.needs_key_update());
  ASSERT_TRUE(sealer.seal(ContentType::application_data, {}, 0, out));
  ASSERT_TRUE(sealer.seal(ContentType::application_data, {}, 0, out));
  EXPECT_TRUE(sealer.needs_key_update());
  EXPECT_FALSE(sealer.exhausted());
  ASSERT_TRUE(sealer.seal(ContentType::application_data, {}, 0, out));
  EXPECT_TRUE(sealer.exhausted());
  const size_t size = out.size();
  auto r = sealer.seal(ContentType::application_data, {}, 0, out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::sequence_exhausted);
  EXPECT_EQ(out.size(), size);

  // A KeyUpdate starts a new key at sequence number 0.
  ASSERT_TRUE(sealer.rekey(next_keys()));
  EXPECT_EQ(sealer.sequence(), 0u);
  EXPECT_FALSE(sealer.needs_key_update());
  EXPECT_TRUE(sealer.seal(ContentType::application_data, {}, 0, out));

  RecordProtector opener = make(Direction::open, {kAes128, kSha256}, RecordLimits{1, 1});
  ASSERT_TRUE(open(opener, raw_seal({23})));
  auto o = open(opener, raw_seal({23}, 1));
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::sequence_exhausted);
}

TEST_F(Protector, DefaultLimits) {
  // RFC 8446 §5.5: AES-GCM, at most 2^24.5 full-size records per key.
  const RecordLimits gcm = default_record_limits(Direction::seal, kAes128);
  EXPECT_EQ(gcm.key_update_after, uint64_t{1} << 23);
  EXPECT_EQ(gcm.max_records, uint64_t{1} << 24);
  EXPECT_EQ(default_record_limits(Direction::seal, crypto::AeadAlg::aes_256_gcm).max_records,
            uint64_t{1} << 24);
  // Opening: only the wrap of the 64-bit sequence number (RFC 8446 §5.3).
  EXPECT_EQ(default_record_limits(Direction::open, kAes128).max_records, ~uint64_t{0});
  EXPECT_EQ(default_record_limits(Direction::seal, crypto::AeadAlg::chacha20_poly1305).max_records,
            ~uint64_t{0});
}

TEST_F(Protector, RekeySwitchesKeysAndRestartsTheSequence) {
  RecordProtector sealer = make(Direction::seal);
  RecordProtector opener = make(Direction::open);
  std::vector<uint8_t> out;
  ASSERT_TRUE(sealer.seal(ContentType::application_data, std::vector<uint8_t>{1}, 0, out));
  ASSERT_TRUE(opener.open(out));
  ASSERT_TRUE(sealer.rekey(next_keys()));
  EXPECT_EQ(sealer.sequence(), 0u);
  out.clear();
  ASSERT_TRUE(sealer.seal(ContentType::application_data, std::vector<uint8_t>{1, 2, 3}, 0, out));
  std::vector<uint8_t> copy = out;
  // The old keys no longer open it; the new ones do, from sequence number 0.
  auto stale = opener.open(out);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::bad_record_mac);
  auto fresh = RecordProtector::create(*provider_, Direction::open, next_keys());
  ASSERT_TRUE(fresh);
  EXPECT_TRUE(fresh->open(copy));
}

TEST_F(Protector, DirectionAndTypeMisuse) {
  RecordProtector sealer = make(Direction::seal);
  RecordProtector opener = make(Direction::open);
  std::vector<uint8_t> out;
  auto r = opener.seal(ContentType::application_data, std::vector<uint8_t>{1}, 0, out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal_error);
  r = sealer.seal(ContentType::change_cipher_spec, std::vector<uint8_t>{1}, 0, out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal_error);
  ASSERT_TRUE(sealer.seal(ContentType::application_data, std::vector<uint8_t>{1}, 0, out));
  auto o = sealer.open(out);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::internal_error);
  std::vector<uint8_t> wrong(sealer.sealed_size(3, 0) + 1);
  r = sealer.seal_in_place(ContentType::application_data, wrong, 3, 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal_error);
  Protection short_key = keys();
  short_key.key = Secret(std::vector<uint8_t>(15, 1));
  EXPECT_FALSE(RecordProtector::create(*provider_, Direction::seal, std::move(short_key)));
  // New keys must be of the same kind.
  EXPECT_FALSE(sealer.rekey(keys({crypto::AeadAlg::chacha20_poly1305, kSha256})));
}

TEST_F(Protector, NoHeapAllocationPerRecord) {
  RecordProtector sealer = make(Direction::seal);
  RecordProtector opener = make(Direction::open);
  std::vector<uint8_t> send;
  send.reserve(2 * sealer.sealed_size(limits::kMaxPlaintext, 0));
  const std::vector<uint8_t> content(1000, 3);
  g_allocations = 0;
  g_counting = true;
  bool ok = true;
  for (int i = 0; i < 100; ++i) {
    send.clear();
    ok = ok && sealer.seal(ContentType::application_data, content, 16, send).ok();
    ok = ok && opener.open(send).ok();
  }
  g_counting = false;
  EXPECT_TRUE(ok);
  EXPECT_EQ(g_allocations, 0u);
}

}  // namespace
}  // namespace bastion::record
