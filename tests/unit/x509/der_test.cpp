#include "x509/der.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "unit/x509/test_support.hpp"
#include "x509/certificate.hpp"

namespace bastion::x509 {
namespace {

using testing::der_of;

bool reads(std::vector<uint8_t> bytes) {
  der::Reader r(bytes);
  uint8_t tag = 0;
  der::Bytes contents;
  return r.read_any(tag, contents) && r.empty();
}

TEST(DerReader, AcceptsShortAndLongDefiniteLengths) {
  EXPECT_TRUE(reads({0x04, 0x01, 0xaa}));
  std::vector<uint8_t> long_form{0x04, 0x81, 0x80};
  long_form.resize(3 + 0x80, 0x00);
  EXPECT_TRUE(reads(long_form));
}

TEST(DerReader, RejectsIndefiniteLength) {
  EXPECT_FALSE(reads({0x30, 0x80, 0x00, 0x00}));
}

TEST(DerReader, RejectsNonMinimalLengths) {
  EXPECT_FALSE(reads({0x04, 0x81, 0x01, 0xaa}));        // long form for a short length
  std::vector<uint8_t> padded{0x04, 0x82, 0x00, 0x80};  // leading zero length octet
  padded.resize(4 + 0x80);
  EXPECT_FALSE(reads(padded));
}

TEST(DerReader, RejectsOversizeAndTruncatedLengths) {
  EXPECT_FALSE(reads({0x04, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00}));  // 5 length octets
  EXPECT_FALSE(reads({0x04, 0x84, 0xff, 0xff, 0xff, 0xff}));        // longer than the input
  EXPECT_FALSE(reads({0x04, 0x02, 0xaa}));                          // truncated contents
  EXPECT_FALSE(reads({0x04}));                                      // no length
  EXPECT_FALSE(reads({0x04, 0x82, 0x01}));                          // truncated length
}

TEST(DerReader, RejectsHighTagNumbers) {
  EXPECT_FALSE(reads({0x1f, 0x81, 0x00, 0x00}));
}

TEST(DerReader, FailedReadLeavesReaderUnchanged) {
  const std::vector<uint8_t> bytes{0x02, 0x01, 0x05};
  der::Reader r(bytes);
  der::Bytes contents;
  EXPECT_FALSE(r.read(0x04, contents));
  EXPECT_TRUE(r.read(0x02, contents));
  EXPECT_EQ(contents.size(), 1u);
}

TEST(DerReader, BoundsNestingDepth) {
  // SEQUENCE { SEQUENCE { ... } } nested deeper than kMaxDepth.
  std::vector<uint8_t> nested{0x05, 0x00};
  for (int i = 0; i < der::kMaxDepth + 2; ++i) nested = testing::tlv(0x30, nested);
  der::Reader r(nested);
  int depth = 0;
  while (true) {
    der::Reader inner(der::Bytes{});
    if (!r.enter(0x30, inner)) break;
    r = inner;
    ++depth;
  }
  EXPECT_EQ(depth, der::kMaxDepth);
}

TEST(DerValues, Boolean) {
  const std::vector<uint8_t> t{0xff}, f{0x00}, bad{0x01}, two{0xff, 0xff};
  EXPECT_EQ(der::decode_boolean(t), true);
  EXPECT_EQ(der::decode_boolean(f), false);
  EXPECT_FALSE(der::decode_boolean(bad));
  EXPECT_FALSE(der::decode_boolean(two));
}

TEST(DerValues, IntegersMustBeMinimal) {
  const std::vector<uint8_t> ok{0x00, 0x80}, pad{0x00, 0x7f}, neg_pad{0xff, 0x80}, empty{};
  EXPECT_TRUE(der::is_valid_integer(ok));
  EXPECT_FALSE(der::is_valid_integer(pad));
  EXPECT_FALSE(der::is_valid_integer(neg_pad));
  EXPECT_FALSE(der::is_valid_integer(empty));
  EXPECT_EQ(der::decode_uint(ok), 128u);
  const std::vector<uint8_t> negative{0x80};
  EXPECT_FALSE(der::decode_uint(negative));
}

TEST(DerValues, BitStringUnusedBitsMustBeZero) {
  const std::vector<uint8_t> ok{0x01, 0x86}, dirty{0x01, 0x87}, too_many{0x08, 0x00},
      empty_with_unused{0x03};
  EXPECT_TRUE(der::decode_bit_string(ok));
  EXPECT_FALSE(der::decode_bit_string(dirty));
  EXPECT_FALSE(der::decode_bit_string(too_many));
  EXPECT_FALSE(der::decode_bit_string(empty_with_unused));
}

TEST(DerValues, Oids) {
  const std::vector<uint8_t> cn{0x55, 0x04, 0x03}, padded{0x55, 0x80, 0x01}, open{0x55, 0x84};
  EXPECT_TRUE(der::is_valid_oid(cn));
  EXPECT_FALSE(der::is_valid_oid(padded));
  EXPECT_FALSE(der::is_valid_oid(open));
}

std::optional<int64_t> time_of(uint8_t tag, const char* text) {
  const std::string s(text);
  const std::vector<uint8_t> bytes(s.begin(), s.end());
  return der::decode_time(tag, bytes);
}

TEST(DerValues, UtcTimeCenturyWindow) {
  // RFC 5280 §4.1.2.5.1: YY >= 50 is 19YY, below 50 is 20YY.
  EXPECT_EQ(time_of(der::kUtcTime, "500101000000Z"), -631152000);
  EXPECT_EQ(time_of(der::kUtcTime, "491231235959Z"), 2524607999);
  EXPECT_EQ(time_of(der::kUtcTime, "700101000000Z"), 0);
}

TEST(DerValues, TimesAreStrict) {
  EXPECT_EQ(time_of(der::kGeneralizedTime, "20500101000000Z"), 2524608000);
  EXPECT_EQ(time_of(der::kGeneralizedTime, "20240229120000Z"), 1709208000);
  EXPECT_FALSE(time_of(der::kGeneralizedTime, "20230229120000Z"));    // not a leap year
  EXPECT_FALSE(time_of(der::kUtcTime, "2401010000Z"));                // no seconds
  EXPECT_FALSE(time_of(der::kUtcTime, "240101000000+0100"));          // offset
  EXPECT_FALSE(time_of(der::kGeneralizedTime, "20240101000000.5Z"));  // fraction
  EXPECT_FALSE(time_of(der::kUtcTime, "241301000000Z"));              // month 13
  EXPECT_FALSE(time_of(der::kUtcTime, "240101240000Z"));              // hour 24
  EXPECT_FALSE(time_of(der::kOctetString, "240101000000Z"));
}

TEST(DerValues, FormatTime) {
  EXPECT_EQ(der::format_time(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(der::format_time(1709208000), "2024-02-29T12:00:00Z");
  EXPECT_EQ(der::format_time(2524608000), "2050-01-01T00:00:00Z");
  EXPECT_EQ(der::format_time(-631152000), "1950-01-01T00:00:00Z");
}

TEST(CertificateDer, EveryTruncationIsRejected) {
  const Der der = der_of(testing::k_leaf_rsa);
  ASSERT_TRUE(Certificate::parse(der).ok());
  for (size_t n = 0; n < der.size(); ++n) {
    EXPECT_FALSE(Certificate::parse(Der(der.begin(), der.begin() + static_cast<ptrdiff_t>(n))).ok())
        << "prefix of " << n << " bytes";
  }
}

TEST(CertificateDer, TrailingBytesAreRejected) {
  Der der = der_of(testing::k_leaf_ec);
  der.push_back(0x00);
  EXPECT_FALSE(Certificate::parse(der).ok());
}

TEST(CertificateDer, EveryByteFlipIsHandled) {
  // No crash, no exception, whatever the result (run under the sanitizers in CI).
  const Der der = der_of(testing::k_leaf_ec);
  for (size_t i = 0; i < der.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      Der mutated = der;
      mutated[i] ^= mask;
      (void)Certificate::parse(mutated);
    }
  }
}

TEST(CertificateDer, OversizeIsRejected) {
  Der huge = testing::tlv(0x30, std::vector<uint8_t>(512 * 1024, 0x00));
  const auto r = Certificate::parse(huge);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::unsupported_certificate);
}

}  // namespace
}  // namespace bastion::x509
