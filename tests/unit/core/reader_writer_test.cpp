#include <gtest/gtest.h>

#include <vector>

#include "core/reader.hpp"
#include "core/writer.hpp"

namespace bastion {
namespace {

TEST(Reader, ReadsIntegersBigEndian) {
  const std::vector<uint8_t> data{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a};
  Reader r(data);
  uint8_t a;
  uint16_t b;
  uint32_t c, d;
  ASSERT_TRUE(r.u8(a));
  ASSERT_TRUE(r.u16(b));
  ASSERT_TRUE(r.u24(c));
  ASSERT_TRUE(r.u32(d));
  EXPECT_EQ(a, 0x01);
  EXPECT_EQ(b, 0x0203);
  EXPECT_EQ(c, 0x040506u);
  EXPECT_EQ(d, 0x0708090au);
  EXPECT_TRUE(r.empty());
  EXPECT_FALSE(r.u8(a));
}

TEST(Reader, ShortReadLeavesReaderUnchanged) {
  const std::vector<uint8_t> data{0x01, 0x02};
  Reader r(data);
  uint32_t v;
  EXPECT_FALSE(r.u24(v));
  EXPECT_EQ(r.remaining(), 2u);
  uint16_t w;
  EXPECT_TRUE(r.u16(w));
  EXPECT_EQ(w, 0x0102);
}

TEST(Reader, VectorEnforcesBoundsAndLength) {
  const std::vector<uint8_t> data{0x00, 0x03, 0xaa, 0xbb, 0xcc, 0xdd};
  Reader r(data);
  Bytes body;
  EXPECT_FALSE(Reader(data).vec(2, 4, 10, body)) << "below minimum";
  EXPECT_FALSE(Reader(data).vec(2, 0, 2, body)) << "above maximum";
  ASSERT_TRUE(r.vec(2, 1, 10, body));
  EXPECT_EQ(body.size(), 3u);
  EXPECT_EQ(body[2], 0xcc);
  EXPECT_EQ(r.remaining(), 1u);
  const std::vector<uint8_t> overlong{0x05, 0x01};
  Reader o(overlong);
  EXPECT_FALSE(o.vec(1, 0, 255, body)) << "length past the end";
  EXPECT_EQ(o.remaining(), 2u);
}

TEST(Writer, FillsNestedLengthPrefixes) {
  std::vector<uint8_t> out;
  Writer w(out);
  w.vec(2, [&] {
    w.u8(0x01);
    w.vec(3, [&] { w.u16(0xbeef); });
  });
  const std::vector<uint8_t> expected{0x00, 0x06, 0x01, 0x00, 0x00, 0x02, 0xbe, 0xef};
  EXPECT_EQ(out, expected);
  Reader r(out);
  Reader outer, inner;
  uint8_t tag;
  uint16_t v;
  ASSERT_TRUE(r.sub(2, 0, 0xffff, outer));
  ASSERT_TRUE(outer.u8(tag));
  ASSERT_TRUE(outer.sub(3, 0, 0xffffff, inner));
  ASSERT_TRUE(inner.u16(v));
  EXPECT_EQ(v, 0xbeef);
  auto finished = w.finish();
  ASSERT_TRUE(finished.ok());
  EXPECT_EQ(*finished, expected);
}

TEST(Writer, BodyTooLongForItsLengthIsAnErrorNotATruncation) {
  for (size_t len_bytes : {1u, 2u}) {
    std::vector<uint8_t> out;
    Writer w(out);
    const std::vector<uint8_t> fits((size_t{1} << (8 * len_bytes)) - 1, 0x61);
    w.vec(len_bytes, fits);
    EXPECT_TRUE(w.ok());
    const std::vector<uint8_t> too_long(size_t{1} << (8 * len_bytes), 0x61);
    w.vec(len_bytes, too_long);
    EXPECT_FALSE(w.ok()) << len_bytes << "-byte length";
    auto finished = w.finish();
    ASSERT_FALSE(finished.ok());
    EXPECT_EQ(finished.error().code, ErrorCode::internal_error);
  }
}

}  // namespace
}  // namespace bastion
