#include "handshake/transcript.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace bastion::handshake {
namespace {

constexpr auto kSha256 = crypto::HashAlg::sha256;
constexpr auto kSha384 = crypto::HashAlg::sha384;

class TranscriptTest : public ::testing::Test {
 protected:
  std::vector<uint8_t> hash(crypto::HashAlg alg, const std::vector<uint8_t>& data) const {
    std::vector<uint8_t> out(crypto::hash_length(alg));
    provider_->hash(alg, data, out);
    return out;
  }
  static std::vector<uint8_t> v(const Digest& d) { return {d.span().begin(), d.span().end()}; }

  std::shared_ptr<const crypto::Provider> provider_ = crypto::openssl_provider();
  const std::vector<uint8_t> m1_ = {1, 0, 0, 2, 0xaa, 0xbb};
  const std::vector<uint8_t> m2_ = {2, 0, 0, 1, 0xcc};
  const std::vector<uint8_t> m3_ = {8, 0, 0, 0};
};

TEST_F(TranscriptTest, BufferedUntilTheHashIsKnown) {
  Transcript t(*provider_);
  t.add(m1_);
  t.add(m2_);
  EXPECT_FALSE(t.has_hash());
  EXPECT_TRUE(t.current_hash().empty());
  ASSERT_TRUE(t.set_hash(kSha384));
  EXPECT_EQ(t.hash(), kSha384);
  std::vector<uint8_t> all = m1_;
  all.insert(all.end(), m2_.begin(), m2_.end());
  EXPECT_EQ(v(t.current_hash()), hash(kSha384, all));
  t.add(m3_);
  all.insert(all.end(), m3_.begin(), m3_.end());
  EXPECT_EQ(v(t.current_hash()), hash(kSha384, all));
  EXPECT_EQ(t.message_count(), 3u);
}

TEST_F(TranscriptTest, HashIsFixedOnce) {
  Transcript t(*provider_, kSha256);
  EXPECT_TRUE(t.set_hash(kSha256));
  auto r = t.set_hash(kSha384);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal_error);
  EXPECT_EQ(v(t.current_hash()), hash(kSha256, {}));
}

TEST_F(TranscriptTest, HashWithDoesNotAdd) {
  Transcript t(*provider_);
  t.add(m1_);
  std::vector<uint8_t> all = m1_;
  all.insert(all.end(), m2_.begin(), m2_.end());
  // Before the hash is set (a client's PSK binder) and after.
  EXPECT_EQ(v(t.hash_with(kSha256, m2_)), hash(kSha256, all));
  ASSERT_TRUE(t.set_hash(kSha256));
  EXPECT_EQ(v(t.hash_with(kSha256, m2_)), hash(kSha256, all));
  EXPECT_EQ(v(t.current_hash()), hash(kSha256, m1_));
  EXPECT_TRUE(t.hash_with(kSha384, m2_).empty());
  EXPECT_EQ(t.message_count(), 1u);
}

TEST_F(TranscriptTest, MessageHashReplacesClientHello1) {
  Transcript t(*provider_);
  t.add(m1_);
  ASSERT_TRUE(t.set_hash(kSha384));
  ASSERT_TRUE(t.replace_client_hello_with_message_hash());
  t.add(m2_);
  // RFC 8446 §4.4.1: message_hash(254) 00 00 Hash.length Hash(ClientHello1).
  std::vector<uint8_t> expected = {254, 0, 0, 48};
  const auto h = hash(kSha384, m1_);
  expected.insert(expected.end(), h.begin(), h.end());
  expected.insert(expected.end(), m2_.begin(), m2_.end());
  EXPECT_EQ(v(t.current_hash()), hash(kSha384, expected));

  Transcript from_cookie(*provider_, kSha384);
  ASSERT_TRUE(from_cookie.start_with_client_hello_hash(h));
  from_cookie.add(m2_);
  EXPECT_EQ(v(from_cookie.current_hash()), v(t.current_hash()));
}

TEST_F(TranscriptTest, MessageHashPreconditions) {
  Transcript unhashed(*provider_);
  unhashed.add(m1_);
  EXPECT_FALSE(unhashed.replace_client_hello_with_message_hash());
  Transcript two(*provider_, kSha256);
  two.add(m1_);
  two.add(m2_);
  EXPECT_FALSE(two.replace_client_hello_with_message_hash());
  Transcript none(*provider_, kSha256);
  EXPECT_FALSE(none.replace_client_hello_with_message_hash());
  Transcript started(*provider_, kSha256);
  started.add(m1_);
  EXPECT_FALSE(started.start_with_client_hello_hash(hash(kSha256, m1_)));
  Transcript wrong_length(*provider_, kSha256);
  EXPECT_FALSE(wrong_length.start_with_client_hello_hash(hash(kSha384, m1_)));
}

TEST_F(TranscriptTest, Moves) {
  Transcript t(*provider_);
  t.add(m1_);
  Transcript moved = std::move(t);
  ASSERT_TRUE(moved.set_hash(kSha256));
  EXPECT_EQ(v(moved.current_hash()), hash(kSha256, m1_));
}

}  // namespace
}  // namespace bastion::handshake
