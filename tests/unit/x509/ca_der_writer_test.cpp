#include "x509/der_writer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "x509/der.hpp"
#include "x509/name.hpp"
#include "x509/oids.hpp"

namespace bastion::x509::der {
namespace {

using Bytes = std::vector<uint8_t>;

template <class Body>
Bytes written(Body&& body) {
  Bytes out;
  Writer w(out);
  body(w);
  return out;
}

Bytes integer(uint64_t value) {
  return written([&](Writer& w) { w.integer(value); });
}

Bytes unsigned_integer(const Bytes& magnitude) {
  return written([&](Writer& w) { w.unsigned_integer(magnitude); });
}

Bytes ascii(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

Bytes with_header(std::initializer_list<uint8_t> header, const Bytes& contents) {
  Bytes out(header);
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

int64_t at(int64_t y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

TEST(CaDerWriter, IntegerEdgeCases) {
  EXPECT_EQ(integer(0), (Bytes{0x02, 0x01, 0x00}));
  EXPECT_EQ(integer(1), (Bytes{0x02, 0x01, 0x01}));
  EXPECT_EQ(integer(127), (Bytes{0x02, 0x01, 0x7f}));
  // X.690 §8.3.2: 128 needs a leading zero octet, or it would read as -128.
  EXPECT_EQ(integer(128), (Bytes{0x02, 0x02, 0x00, 0x80}));
  EXPECT_EQ(integer(255), (Bytes{0x02, 0x02, 0x00, 0xff}));
  EXPECT_EQ(integer(256), (Bytes{0x02, 0x02, 0x01, 0x00}));
  EXPECT_EQ(integer(0x7fff), (Bytes{0x02, 0x02, 0x7f, 0xff}));
  EXPECT_EQ(integer(0x8000), (Bytes{0x02, 0x03, 0x00, 0x80, 0x00}));
  EXPECT_EQ(integer(std::numeric_limits<uint64_t>::max()),
            (Bytes{0x02, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));
}

TEST(CaDerWriter, UnsignedIntegerFromMagnitude) {
  EXPECT_EQ(unsigned_integer({}), (Bytes{0x02, 0x01, 0x00}));
  EXPECT_EQ(unsigned_integer({0x00}), (Bytes{0x02, 0x01, 0x00}));
  EXPECT_EQ(unsigned_integer({0x00, 0x00, 0x01}), (Bytes{0x02, 0x01, 0x01}));
  EXPECT_EQ(unsigned_integer({0x00, 0x00, 0x80}), (Bytes{0x02, 0x02, 0x00, 0x80}));
  // A high bit that would look negative gets the 0x00 prefix (RSA moduli always do).
  EXPECT_EQ(unsigned_integer({0xc3, 0x01}), (Bytes{0x02, 0x03, 0x00, 0xc3, 0x01}));
  EXPECT_EQ(unsigned_integer({0x40, 0x01}), (Bytes{0x02, 0x02, 0x40, 0x01}));
  // Whatever we write, the reader accepts as a minimal INTEGER.
  for (const Bytes& m : {Bytes{}, Bytes{0x80}, Bytes{0x00, 0x7f}, Bytes{0xff, 0xff}}) {
    const Bytes tlv = unsigned_integer(m);
    EXPECT_TRUE(is_valid_integer(std::span(tlv).subspan(2)));
  }
}

TEST(CaDerWriter, LengthsAtTheFormBoundaries) {
  EXPECT_EQ(encode_length(0), (Bytes{0x00}));
  EXPECT_EQ(encode_length(127), (Bytes{0x7f}));
  EXPECT_EQ(encode_length(128), (Bytes{0x81, 0x80}));
  EXPECT_EQ(encode_length(255), (Bytes{0x81, 0xff}));
  EXPECT_EQ(encode_length(256), (Bytes{0x82, 0x01, 0x00}));
  EXPECT_EQ(encode_length(65535), (Bytes{0x82, 0xff, 0xff}));
  EXPECT_EQ(encode_length(65536), (Bytes{0x83, 0x01, 0x00, 0x00}));

  for (size_t n : {size_t{127}, size_t{128}, size_t{256}}) {
    const Bytes contents(n, 0xab);
    const Bytes tlv = written([&](Writer& w) { w.octet_string(contents); });
    Bytes expected{0x04};
    const Bytes length = encode_length(n);
    expected.insert(expected.end(), length.begin(), length.end());
    expected.insert(expected.end(), contents.begin(), contents.end());
    EXPECT_EQ(tlv, expected) << n;
    // The reader (strict about minimal lengths) reads it back.
    Reader r(tlv);
    std::span<const uint8_t> read_back;
    ASSERT_TRUE(r.read(kOctetString, read_back)) << n;
    EXPECT_EQ(read_back.size(), n);
  }
}

TEST(CaDerWriter, NestedLengthsAreFilledInAfterTheContents) {
  const Bytes nested = written([](Writer& w) {
    w.sequence([&] {
      w.integer(1);
      w.set([&] { w.null(); });
    });
  });
  EXPECT_EQ(nested, (Bytes{0x30, 0x07, 0x02, 0x01, 0x01, 0x31, 0x02, 0x05, 0x00}));

  // A constructed element whose contents cross 127 bytes gets a long-form length.
  const Bytes long_sequence = written([](Writer& w) {
    w.sequence([&] { w.octet_string(Bytes(126, 0x00)); });  // 128 bytes of contents
  });
  ASSERT_EQ(long_sequence.size(), 3u + 128u);
  EXPECT_EQ(Bytes(long_sequence.begin(), long_sequence.begin() + 5),
            (Bytes{0x30, 0x81, 0x80, 0x04, 0x7e}));
}

TEST(CaDerWriter, BooleanNullAndStrings) {
  EXPECT_EQ(written([](Writer& w) { w.boolean(true); }), (Bytes{0x01, 0x01, 0xff}));
  EXPECT_EQ(written([](Writer& w) { w.boolean(false); }), (Bytes{0x01, 0x01, 0x00}));
  EXPECT_EQ(written([](Writer& w) { w.null(); }), (Bytes{0x05, 0x00}));
  EXPECT_EQ(written([](Writer& w) {
              w.octet_string(Bytes{0x01, 0x02});
            }),
            (Bytes{0x04, 0x02, 0x01, 0x02}));
  EXPECT_EQ(written([](Writer& w) { w.utf8_string("h\xc3\xa9"); }),
            (Bytes{0x0c, 0x03, 'h', 0xc3, 0xa9}));

  Bytes out;
  Writer w(out);
  EXPECT_TRUE(w.printable_string("Bastion (Test) 1.0, a=b?"));
  EXPECT_EQ(out, with_header({0x13, 24}, ascii("Bastion (Test) 1.0, a=b?")));
  out.clear();
  EXPECT_FALSE(w.printable_string("a@b"));
  EXPECT_FALSE(w.printable_string("under_score"));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(w.ia5_string("dev@example.test"));
  EXPECT_EQ(out, with_header({0x16, 16}, ascii("dev@example.test")));
  out.clear();
  EXPECT_FALSE(w.ia5_string("caf\xc3\xa9"));
  EXPECT_TRUE(out.empty());
}

TEST(CaDerWriter, BitStrings) {
  EXPECT_EQ(written([](Writer& w) {
              w.bit_string(Bytes{0xab, 0xcd});
            }),
            (Bytes{0x03, 0x03, 0x00, 0xab, 0xcd}));
  // X.690 §11.2.2: named bit lists drop their trailing zero bits.
  auto named = [](uint32_t mask) { return written([&](Writer& w) { w.named_bits(mask); }); };
  EXPECT_EQ(named(0), (Bytes{0x03, 0x01, 0x00}));
  EXPECT_EQ(named(1u << 0), (Bytes{0x03, 0x02, 0x07, 0x80}));            // digitalSignature
  EXPECT_EQ(named(1u << 0 | 1u << 2), (Bytes{0x03, 0x02, 0x05, 0xa0}));  // + keyEncipherment
  EXPECT_EQ(named(1u << 5 | 1u << 6), (Bytes{0x03, 0x02, 0x01, 0x06}));  // keyCertSign, cRLSign
  EXPECT_EQ(named(1u << 7), (Bytes{0x03, 0x02, 0x00, 0x01}));            // encipherOnly
  EXPECT_EQ(named(1u << 8), (Bytes{0x03, 0x03, 0x07, 0x00, 0x80}));      // decipherOnly
  for (uint32_t mask : {1u, 5u, 96u, 128u, 256u, 0x1ffu}) {
    const Bytes tlv = named(mask);
    const auto bits = decode_bit_string(std::span(tlv).subspan(2));
    ASSERT_TRUE(bits) << mask;
  }
}

TEST(CaDerWriter, OidsFromArcsAndDottedText) {
  const auto sha256_rsa = encode_oid("1.2.840.113549.1.1.11");
  ASSERT_TRUE(sha256_rsa);
  EXPECT_TRUE(oid::kSha256WithRsa == *sha256_rsa);
  EXPECT_TRUE(oid::kBasicConstraints == encode_oid("2.5.29.19").value());
  EXPECT_TRUE(oid::kEcPublicKey == encode_oid("1.2.840.10045.2.1").value());
  EXPECT_TRUE(oid::kSecp384r1 == encode_oid("1.3.132.0.34").value());
  EXPECT_TRUE(oid::kEd25519 == encode_oid("1.3.101.112").value());
  EXPECT_TRUE(oid::kAnyExtendedKeyUsage == encode_oid("2.5.29.37.0").value());
  // X.690 §8.19.5: 2.999.3 joins its first two arcs into 1079 = 0x88 0x37.
  const uint64_t arcs[] = {2, 999, 3};
  EXPECT_EQ(encode_oid(arcs), (Bytes{0x88, 0x37, 0x03}));
  EXPECT_EQ(encode_oid("0.0"), (Bytes{0x00}));
  EXPECT_EQ(encode_oid("1.39"), (Bytes{0x4f}));
  const auto big = encode_oid("1.2.18446744073709551615");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->size(), 1u + 10u);
  EXPECT_TRUE(is_valid_oid(*big));
  EXPECT_EQ(oid_to_string(*big), "1.2.18446744073709551615");

  for (const char* bad : {"", "1", "3.1", "1.40", "0.40", "1..2", "1.2.", ".1.2", "01.2", "1.02",
                          "a.b", "1.2.-3", "1.2.18446744073709551616"}) {
    EXPECT_FALSE(encode_oid(std::string_view(bad))) << bad;
  }

  EXPECT_EQ(written([](Writer& w) { w.oid(oid::kKeyUsage); }),
            (Bytes{0x06, 0x03, 0x55, 0x1d, 0x0f}));
}

TEST(CaDerWriter, ContextTags) {
  EXPECT_EQ(written([](Writer& w) { w.explicit_tag(0, [&] { w.integer(2); }); }),
            (Bytes{0xa0, 0x03, 0x02, 0x01, 0x02}));
  EXPECT_EQ(written([](Writer& w) { w.explicit_tag(3, [&] { w.sequence([] {}); }); }),
            (Bytes{0xa3, 0x02, 0x30, 0x00}));
  EXPECT_EQ(written([](Writer& w) { w.implicit_tag(2, ascii("a.test")); }),
            with_header({0x82, 0x06}, ascii("a.test")));
  EXPECT_EQ(written([](Writer& w) {
              w.implicit_tag(7, Bytes{127, 0, 0, 1});
            }),
            (Bytes{0x87, 0x04, 127, 0, 0, 1}));
  // An OCTET STRING that wraps DER, as an extension's extnValue does.
  EXPECT_EQ(written([](Writer& w) { w.element(kOctetString, [&] { w.sequence([] {}); }); }),
            (Bytes{0x04, 0x02, 0x30, 0x00}));
}

TEST(CaDerWriter, TimesAtThe2049And2050Boundary) {
  auto time = [](int64_t t) {
    Bytes out;
    Writer w(out);
    EXPECT_TRUE(w.time(t));
    return out;
  };
  // RFC 5280 §4.1.2.5: through 2049 UTCTime, from 2050 GeneralizedTime.
  EXPECT_EQ(time(at(2049, 12, 31, 23, 59, 59)), with_header({0x17, 13}, ascii("491231235959Z")));
  EXPECT_EQ(time(at(2050, 1, 1, 0, 0, 0)), with_header({0x18, 15}, ascii("20500101000000Z")));
  EXPECT_EQ(time(at(1950, 1, 1, 0, 0, 0)), with_header({0x17, 13}, ascii("500101000000Z")));
  EXPECT_EQ(time(at(1949, 12, 31, 23, 59, 59)), with_header({0x18, 15}, ascii("19491231235959Z")));
  EXPECT_EQ(time(at(2026, 11, 23, 18, 5, 9)), with_header({0x17, 13}, ascii("261123180509Z")));
  EXPECT_EQ(time(at(2000, 2, 29, 12, 0, 0)), with_header({0x17, 13}, ascii("000229120000Z")));
  EXPECT_EQ(time(at(9999, 12, 31, 23, 59, 59)), with_header({0x18, 15}, ascii("99991231235959Z")));

  Bytes out;
  Writer w(out);
  EXPECT_FALSE(w.utc_time(at(2050, 1, 1, 0, 0, 0)));
  EXPECT_FALSE(w.utc_time(at(1949, 12, 31, 23, 59, 59)));
  EXPECT_FALSE(w.time(at(10000, 1, 1, 0, 0, 0)));
  EXPECT_FALSE(w.time(at(-1, 12, 31, 23, 59, 59)));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(w.generalized_time(at(2049, 12, 31, 23, 59, 59)));
  EXPECT_EQ(out, with_header({0x18, 15}, ascii("20491231235959Z")));

  // The reader gives back the same moments.
  for (int64_t t : {at(2049, 12, 31, 23, 59, 59), at(2050, 1, 1, 0, 0, 0), at(1970, 1, 1, 0, 0, 0),
                    at(2106, 2, 7, 6, 28, 16)}) {
    const Bytes tlv = time(t);
    EXPECT_EQ(decode_time(tlv[0], std::span(tlv).subspan(2)), t);
  }
}

}  // namespace
}  // namespace bastion::x509::der
