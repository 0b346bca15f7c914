#include "record/deframer.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "record/fragmenter.hpp"
#include "vectors/rfc8448.hpp"

namespace bastion::record {
namespace {

using test::Rfc8448;

std::vector<uint8_t> trace(std::string_view step, int n = 0) {
  return Rfc8448::instance().get(Rfc8448::kSimple, step, "complete record", n);
}

// The first records of RFC 8448 §3, as a server receives them and a client does.
std::vector<std::vector<uint8_t>> trace_records() {
  return {
      trace("{client}  send handshake record", 0),     trace("{server}  send handshake record", 0),
      trace("{server}  send handshake record", 1),     trace("{client}  send handshake record", 1),
      trace("{client}  send application_data record"), trace("{client}  send alert record")};
}

// Feeds `stream` in the given chunks to a receive buffer, taking records out as they complete,
// as a connection would.
std::vector<std::vector<uint8_t>> deframe_in_chunks(const std::vector<uint8_t>& stream,
                                                    const std::vector<size_t>& cuts) {
  const Deframer deframer;
  std::vector<std::vector<uint8_t>> out;
  std::vector<uint8_t> buffer;
  size_t fed = 0;
  std::vector<size_t> ends = cuts;
  ends.push_back(stream.size());
  for (size_t end : ends) {
    buffer.insert(buffer.end(), stream.begin() + static_cast<std::ptrdiff_t>(fed),
                  stream.begin() + static_cast<std::ptrdiff_t>(end));
    fed = end;
    for (;;) {
      auto r = deframer.next(buffer);
      EXPECT_TRUE(r);
      if (!r) return out;
      if (!r->record) {
        EXPECT_GE(r->bytes_needed, 1u);
        break;
      }
      EXPECT_EQ(r->bytes_needed, 0u);
      out.emplace_back(r->record->bytes.begin(), r->record->bytes.end());
      buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(r->record->size()));
    }
  }
  EXPECT_TRUE(buffer.empty());
  return out;
}

TEST(Deframer, EverySplitOfARecordStream) {
  const auto records = trace_records();
  std::vector<uint8_t> stream;
  for (const auto& r : records) stream.insert(stream.end(), r.begin(), r.end());
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    EXPECT_EQ(deframe_in_chunks(stream, {cut}), records) << "cut at " << cut;
  }
  // Two cuts around every record boundary and header.
  for (size_t a = 0; a <= 220; ++a) {
    for (size_t b = a; b <= 320; b += 7) {
      ASSERT_EQ(deframe_in_chunks(stream, {a, b}), records) << a << " " << b;
    }
  }
  std::vector<size_t> bytewise;
  for (size_t i = 1; i < stream.size(); ++i) bytewise.push_back(i);
  EXPECT_EQ(deframe_in_chunks(stream, bytewise), records);
}

TEST(Deframer, SaysHowManyBytesItNeeds) {
  const Deframer deframer;
  std::vector<uint8_t> record = trace("{server}  send handshake record", 0);  // 95 bytes
  for (size_t have = 0; have < record.size(); ++have) {
    auto r = deframer.next(std::span<uint8_t>(record).first(have));
    ASSERT_TRUE(r);
    ASSERT_FALSE(r->record);
    EXPECT_EQ(r->bytes_needed, have < 5 ? 5 - have : record.size() - have) << have;
  }
  auto r = deframer.next(record);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->record);
  EXPECT_EQ(r->record->type, ContentType::handshake);
  EXPECT_EQ(r->record->legacy_version, 0x0303);
  EXPECT_EQ(r->record->fragment.size(), 90u);
  EXPECT_EQ(r->record->fragment.data(), record.data() + 5);
}

TEST(Deframer, RejectsUnknownContentTypesFromTheHeader) {
  const Deframer deframer;
  for (int type = 0; type < 256; ++type) {
    std::vector<uint8_t> header = {static_cast<uint8_t>(type), 3, 3, 0, 1};
    auto r = deframer.next(header);
    if (type >= 20 && type <= 23) {
      ASSERT_TRUE(r) << type;
      EXPECT_EQ(r->bytes_needed, 1u);
    } else {
      ASSERT_FALSE(r) << type;
      EXPECT_EQ(r.error().code, ErrorCode::bad_content_type);
      EXPECT_EQ(r.error().alert(), Alert::unexpected_message);
    }
  }
}

TEST(Deframer, RejectsOversizedRecordsFromTheHeader) {
  const Deframer deframer;
  auto header = [](uint8_t type, size_t len) {
    return std::vector<uint8_t>{type, 3, 3, static_cast<uint8_t>(len >> 8),
                                static_cast<uint8_t>(len)};
  };
  // RFC 8446 §5.1: plaintext fragments up to 2^14.
  for (uint8_t type : {uint8_t{20}, uint8_t{21}, uint8_t{22}}) {
    auto ok = header(type, 1 << 14);
    EXPECT_TRUE(deframer.next(ok));
    auto big = header(type, (1 << 14) + 1);
    auto r = deframer.next(big);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::record_overflow);
    EXPECT_EQ(r.error().alert(), Alert::record_overflow);
  }
  // RFC 8446 §5.2: protected records up to 2^14 + 256.
  auto ok = header(23, (1 << 14) + 256);
  EXPECT_TRUE(deframer.next(ok));
  auto big = header(23, (1 << 14) + 257);
  auto r = deframer.next(big);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::record_overflow);
  auto max = header(23, 0xffff);
  EXPECT_FALSE(deframer.next(max));

  const Deframer small(DeframerLimits{100, 200});
  auto h = header(22, 101);
  EXPECT_FALSE(small.next(h));
  h = header(23, 201);
  EXPECT_FALSE(small.next(h));
}

TEST(Deframer, EmptyFragments) {
  const Deframer deframer;
  for (uint8_t type : {uint8_t{21}, uint8_t{22}}) {
    std::vector<uint8_t> empty = {type, 3, 3, 0, 0};
    auto r = deframer.next(empty);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::empty_record);
  }
  std::vector<uint8_t> empty = {23, 3, 3, 0, 0};
  auto r = deframer.next(empty);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->record);
  EXPECT_EQ(r->record->size(), 5u);
}

TEST(Fragmenter, InitialClientHelloRecordMatchesRfc8448) {
  const auto payload =
      Rfc8448::instance().get(Rfc8448::kSimple, "{client}  send handshake record", "payload");
  std::vector<uint8_t> out;
  append_plaintext_records(ContentType::handshake, payload, out, 0x0301);
  EXPECT_EQ(out, trace("{client}  send handshake record"));
}

TEST(Fragmenter, SplitsAtTheFragmentLimit) {
  const std::vector<uint8_t> data(40000, 0x11);
  std::vector<uint8_t> out;
  append_plaintext_records(ContentType::handshake, data, out);
  EXPECT_EQ(out.size(), data.size() + 3 * 5);
  const Deframer deframer;
  std::span<uint8_t> rest(out);
  std::vector<size_t> sizes;
  while (!rest.empty()) {
    auto r = deframer.next(rest);
    ASSERT_TRUE(r);
    ASSERT_TRUE(r->record);
    sizes.push_back(r->record->fragment.size());
    rest = rest.subspan(r->record->size());
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{16384, 16384, 7232}));
  out.clear();
  append_plaintext_records(ContentType::handshake, {}, out);
  EXPECT_TRUE(out.empty());
  append_plaintext_records(ContentType::alert, std::vector<uint8_t>(5, 1), out, 0x0303, 2);
  EXPECT_EQ(out.size(), 3 * 5 + 5u);
}

}  // namespace
}  // namespace bastion::record
