// Handshake framing and reassembly.
#include <gtest/gtest.h>

#include "msgs/handshake.hpp"
#include "unit/msgs/rfc8448_vectors.hpp"
#include "unit/msgs/test_util.hpp"

namespace bastion::msgs {
namespace {

using testing::bytes;
using testing::from_hex;

std::vector<uint8_t> flight() {
  std::vector<uint8_t> out;
  for (std::string_view hex : {rfc8448::kEncryptedExtensions, rfc8448::kCertificate,
                               rfc8448::kCertificateVerify, rfc8448::kServerFinished}) {
    std::vector<uint8_t> m = from_hex(hex);
    out.insert(out.end(), m.begin(), m.end());
  }
  return out;
}

std::vector<HandshakeMessage> drain(HandshakeReassembler& r) {
  std::vector<HandshakeMessage> out;
  while (auto m = r.next()) out.push_back(std::move(*m));
  return out;
}

void expect_flight(const std::vector<HandshakeMessage>& messages) {
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[0].type, HandshakeType::encrypted_extensions);
  EXPECT_EQ(messages[1].type, HandshakeType::certificate);
  EXPECT_EQ(messages[2].type, HandshakeType::certificate_verify);
  EXPECT_EQ(messages[3].type, HandshakeType::finished);
  EXPECT_EQ(messages[1].raw, from_hex(rfc8448::kCertificate));
  EXPECT_EQ(messages[3].body().size(), 32u);
}

TEST(HandshakeFraming, EncodeWritesTypeAndLength) {
  const std::vector<uint8_t> body = bytes({1, 2, 3});
  EXPECT_EQ(encode_handshake(HandshakeType::finished, body).value(), bytes({20, 0, 0, 3, 1, 2, 3}));
  EXPECT_EQ(encode_handshake(HandshakeType::end_of_early_data, {}).value(), bytes({5, 0, 0, 0}));
}

TEST(HandshakeFraming, DecodeChecksLength) {
  auto ok = decode_handshake(bytes({20, 0, 0, 2, 9, 9}));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->type, HandshakeType::finished);
  EXPECT_EQ(std::vector<uint8_t>(ok->body().begin(), ok->body().end()), bytes({9, 9}));
  EXPECT_EQ(decode_handshake(bytes({20, 0, 0})).error().code, ErrorCode::decode_error);
  EXPECT_EQ(decode_handshake(bytes({20, 0, 0, 3, 9, 9})).error().code, ErrorCode::decode_error);
  EXPECT_EQ(decode_handshake(bytes({20, 0, 0, 1, 9, 9})).error().code, ErrorCode::trailing_data);
  EXPECT_EQ(decode_handshake(bytes({20, 0, 0, 3, 9, 9, 9}), 2).error().code,
            ErrorCode::message_too_large);
}

TEST(HandshakeReassembler, WholeFlightInOneRecord) {
  HandshakeReassembler r;
  ASSERT_TRUE(r.push(flight()).ok());
  EXPECT_FALSE(r.has_partial());
  EXPECT_TRUE(r.has_buffered());
  expect_flight(drain(r));
  EXPECT_FALSE(r.has_buffered());
  EXPECT_FALSE(r.next().has_value());
}

TEST(HandshakeReassembler, OneByteFragments) {
  const std::vector<uint8_t> all = flight();
  HandshakeReassembler r;
  std::vector<HandshakeMessage> messages;
  for (size_t i = 0; i < all.size(); ++i) {
    ASSERT_TRUE(r.push(Bytes(all).subspan(i, 1)).ok());
    auto got = drain(r);
    // Each message completes exactly at its last byte and nothing is left over.
    for (auto& m : got) messages.push_back(std::move(m));
    EXPECT_EQ(r.has_partial(), i + 1 != all.size() && r.has_buffered());
  }
  EXPECT_FALSE(r.has_buffered());
  expect_flight(messages);
}

TEST(HandshakeReassembler, EverySplitPoint) {
  const std::vector<uint8_t> all = flight();
  for (size_t cut = 1; cut < all.size(); ++cut) {
    HandshakeReassembler r;
    ASSERT_TRUE(r.push(Bytes(all).first(cut)).ok());
    std::vector<HandshakeMessage> messages = drain(r);
    ASSERT_TRUE(r.push(Bytes(all).subspan(cut)).ok());
    for (auto& m : drain(r)) messages.push_back(std::move(m));
    expect_flight(messages);
  }
}

TEST(HandshakeReassembler, ReportsPartialMessage) {
  HandshakeReassembler r;
  ASSERT_TRUE(r.push(bytes({20, 0})).ok());  // half a header
  EXPECT_TRUE(r.has_partial());
  EXPECT_FALSE(r.next().has_value());
  ASSERT_TRUE(r.push(bytes({0, 2, 1})).ok());  // header done, body short
  EXPECT_TRUE(r.has_partial());
  EXPECT_FALSE(r.next().has_value());
  ASSERT_TRUE(r.push(bytes({2, 5, 0, 0, 0})).ok());  // finishes it, then a whole empty message
  EXPECT_FALSE(r.has_partial());
  EXPECT_EQ(r.buffered_size(), 10u);
  auto first = r.next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->raw, bytes({20, 0, 0, 2, 1, 2}));
  EXPECT_TRUE(r.has_buffered());  // a complete message is still waiting
  auto second = r.next();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->type, HandshakeType::end_of_early_data);
  EXPECT_TRUE(second->body().empty());
  EXPECT_FALSE(r.has_buffered());
}

TEST(HandshakeReassembler, RejectsOversizeAsSoonAsTheHeaderArrives) {
  HandshakeReassembler r(100);
  ASSERT_TRUE(r.push(bytes({11, 0})).ok());
  auto pushed = r.push(bytes({0, 101}));
  ASSERT_FALSE(pushed.ok());
  EXPECT_EQ(pushed.error().code, ErrorCode::message_too_large);
  // It stays failed.
  EXPECT_FALSE(r.push(bytes({1})).ok());
  EXPECT_FALSE(r.next().has_value());
}

TEST(HandshakeReassembler, DefaultLimitIsTheConfiguredMaximum) {
  HandshakeReassembler r;
  const uint32_t too_big = static_cast<uint32_t>(limits::kMaxHandshakeMessage + 1);
  auto pushed =
      r.push(bytes({11, static_cast<int>(too_big >> 16), static_cast<int>((too_big >> 8) & 0xff),
                    static_cast<int>(too_big & 0xff)}));
  EXPECT_EQ(pushed.error().code, ErrorCode::message_too_large);

  HandshakeReassembler at_limit;
  const uint32_t max = static_cast<uint32_t>(limits::kMaxHandshakeMessage);
  std::vector<uint8_t> message = {11, static_cast<uint8_t>(max >> 16),
                                  static_cast<uint8_t>(max >> 8), static_cast<uint8_t>(max)};
  message.resize(4 + max, 0xaa);
  ASSERT_TRUE(at_limit.push(message).ok());
  auto got = at_limit.next();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->body().size(), max);
}

TEST(HandshakeReassembler, OversizeMessageAfterACompleteOneInTheSameRecord) {
  HandshakeReassembler r(10);
  auto pushed = r.push(bytes({20, 0, 0, 1, 7, 11, 0, 0, 11}));
  EXPECT_EQ(pushed.error().code, ErrorCode::message_too_large);
}

TEST(HandshakeReassembler, RejectsEmptyFragment) {
  HandshakeReassembler r;
  auto pushed = r.push({});
  ASSERT_FALSE(pushed.ok());
  EXPECT_EQ(pushed.error().code, ErrorCode::empty_record);
}

TEST(HandshakeReassembler, KeepsWorkingAcrossManyFlights) {
  HandshakeReassembler r;
  const std::vector<uint8_t> all = flight();
  for (int round = 0; round < 50; ++round) {
    // Odd split so that a partial message is always carried over to the next push.
    size_t cut = 7 + static_cast<size_t>(round) * 11 % (all.size() - 8);
    ASSERT_TRUE(r.push(Bytes(all).first(cut)).ok());
    std::vector<HandshakeMessage> messages = drain(r);
    ASSERT_TRUE(r.push(Bytes(all).subspan(cut)).ok());
    for (auto& m : drain(r)) messages.push_back(std::move(m));
    expect_flight(messages);
  }
  EXPECT_FALSE(r.has_buffered());
}

}  // namespace
}  // namespace bastion::msgs
