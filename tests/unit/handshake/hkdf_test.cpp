#include "handshake/hkdf.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "handshake/traffic_secret.hpp"

namespace bastion::handshake {
namespace {

std::vector<uint8_t> v(crypto::Bytes b) {
  return {b.begin(), b.end()};
}

class HkdfTest : public ::testing::Test {
 protected:
  std::shared_ptr<const crypto::Provider> provider_ = crypto::openssl_provider();
};

TEST_F(HkdfTest, ExpandLabelEncodesHkdfLabel) {
  // RFC 8446 §7.1: HkdfLabel = length || "tls13 " + label (1-byte length) || context.
  const Hkdf hkdf(*provider_, crypto::HashAlg::sha384);
  const std::vector<uint8_t> secret(48, 0x0b);
  const std::vector<uint8_t> context = {1, 2, 3};
  std::vector<uint8_t> info = {0x00, 0x07, 0x09, 't', 'l',  's', '1', '3',
                               ' ',  'a',  'b',  'c', 0x03, 1,   2,   3};
  std::vector<uint8_t> expected(7), actual(7);
  provider_->hkdf_expand(crypto::HashAlg::sha384, secret, info, expected);
  ASSERT_TRUE(hkdf.expand_label(secret, "abc", context, actual));
  EXPECT_EQ(actual, expected);
}

TEST_F(HkdfTest, ExpandLabelBounds) {
  const Hkdf hkdf(*provider_, crypto::HashAlg::sha256);
  const std::vector<uint8_t> secret(32, 1);
  std::vector<uint8_t> out(32);
  EXPECT_TRUE(hkdf.expand_label(secret, std::string(249, 'x'), {}, out));
  EXPECT_FALSE(hkdf.expand_label(secret, std::string(250, 'x'), {}, out));
  EXPECT_TRUE(hkdf.expand_label(secret, "l", std::vector<uint8_t>(255), out));
  EXPECT_FALSE(hkdf.expand_label(secret, "l", std::vector<uint8_t>(256), out));
  std::vector<uint8_t> longest(255 * 32), too_long(255 * 32 + 1);
  EXPECT_TRUE(hkdf.expand_label(secret, "l", {}, longest));
  EXPECT_FALSE(hkdf.expand_label(secret, "l", {}, too_long));
}

TEST_F(HkdfTest, TrafficKeyLengths) {
  const Secret secret(std::vector<uint8_t>(48, 2));
  const Hkdf hkdf(*provider_, crypto::HashAlg::sha384);
  record::Protection k = traffic_protection(hkdf, crypto::AeadAlg::aes_256_gcm, secret);
  EXPECT_EQ(k.key.size(), 32u);
  EXPECT_EQ(k.iv.size(), 12u);
  k = traffic_protection(Hkdf(*provider_, crypto::HashAlg::sha256), crypto::AeadAlg::aes_128_gcm,
                         Secret(std::vector<uint8_t>(32, 2)));
  EXPECT_EQ(k.key.size(), 16u);
}

// A prepared secret expands exactly as the one-shot Hkdf does, for every label and length it
// is used with, and stays usable after each expansion.
TEST_F(HkdfTest, PreparedSecretMatchesOneShot) {
  for (crypto::HashAlg alg :
       {crypto::HashAlg::sha256, crypto::HashAlg::sha384, crypto::HashAlg::sha512}) {
    const Hkdf hkdf(*provider_, alg);
    Secret secret(hkdf.hash_length());
    provider_->random(secret.mutable_span());
    const PreparedSecret prepared(hkdf, secret);
    const std::vector<uint8_t> transcript_hash(hkdf.hash_length(), 0x44);
    for (size_t length : {size_t{12}, size_t{16}, size_t{32}, hkdf.hash_length(), size_t{64}}) {
      for (std::string_view label : {"key", "iv", "finished", "c hs traffic", "derived"}) {
        EXPECT_EQ(v(prepared.expand_label(label, transcript_hash, length).span()),
                  v(hkdf.expand_label(secret, label, transcript_hash, length).span()))
            << label << " " << length;
      }
    }
    EXPECT_EQ(v(prepared.derive_secret("s ap traffic", transcript_hash).span()),
              v(hkdf.derive_secret(secret, "s ap traffic", transcript_hash).span()));
    const std::string longest_label(Hkdf::kMaxLabel, 'l');
    const std::vector<uint8_t> longest_context(Hkdf::kMaxContext, 0xcc);
    EXPECT_EQ(v(prepared.expand_label(longest_label, longest_context, 64).span()),
              v(hkdf.expand_label(secret, longest_label, longest_context, 64).span()));
  }
}

TEST_F(HkdfTest, TrafficKeysAreKeyAndIvLabels) {
  // RFC 8446 §7.3, with the one-shot expansion as reference.
  const Hkdf hkdf(*provider_, crypto::HashAlg::sha256);
  const Secret secret(std::vector<uint8_t>(32, 3));
  const record::Protection k = traffic_protection(hkdf, crypto::AeadAlg::chacha20_poly1305, secret);
  EXPECT_EQ(v(k.key.span()), v(hkdf.expand_label(secret, "key", {}, 32).span()));
  EXPECT_EQ(v(k.iv.span()), v(hkdf.expand_label(secret, "iv", {}, 12).span()));
}

}  // namespace
}  // namespace bastion::handshake
