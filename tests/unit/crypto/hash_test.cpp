#include <gtest/gtest.h>

#include "crypto/provider.hpp"
#include "unit/crypto/hex.hpp"

namespace bastion::crypto {
namespace {

class HashTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Provider> provider_ = openssl_provider();

  std::string hash_hex(HashAlg alg, std::string_view data) {
    std::vector<uint8_t> out(hash_length(alg));
    provider_->hash(alg, as_bytes(data), out);
    return to_hex(out);
  }
};

TEST(HashLengthTest, Lengths) {
  EXPECT_EQ(hash_length(HashAlg::sha256), 32u);
  EXPECT_EQ(hash_length(HashAlg::sha384), 48u);
  EXPECT_EQ(hash_length(HashAlg::sha512), 64u);
  EXPECT_EQ(aead_key_length(AeadAlg::aes_128_gcm), 16u);
  EXPECT_EQ(aead_key_length(AeadAlg::aes_256_gcm), 32u);
  EXPECT_EQ(aead_key_length(AeadAlg::chacha20_poly1305), 32u);
}

TEST_F(HashTest, ProviderIsCreated) {
  ASSERT_NE(provider_, nullptr);
}

// FIPS 180-2 appendix examples ("abc") and the empty string.
TEST_F(HashTest, KnownAnswers) {
  EXPECT_EQ(hash_hex(HashAlg::sha256, "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hash_hex(HashAlg::sha256, ""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(
      hash_hex(HashAlg::sha384, "abc"),
      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca1"
      "34c825a7");
  EXPECT_EQ(
      hash_hex(HashAlg::sha512, "abc"),
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23"
      "a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST_F(HashTest, DigestDoesNotFinalizeAndCloneSnapshots) {
  auto ctx = provider_->new_hash(HashAlg::sha256);
  EXPECT_EQ(ctx->alg(), HashAlg::sha256);
  ctx->update(as_bytes("a"));
  std::vector<uint8_t> out(32);
  ctx->digest(out);
  EXPECT_EQ(to_hex(out), hash_hex(HashAlg::sha256, "a"));

  auto snapshot = ctx->clone();
  ctx->update(as_bytes("bc"));
  ctx->digest(out);
  EXPECT_EQ(to_hex(out), hash_hex(HashAlg::sha256, "abc"));
  // Digest twice in a row gives the same answer.
  ctx->digest(out);
  EXPECT_EQ(to_hex(out), hash_hex(HashAlg::sha256, "abc"));

  snapshot->digest(out);
  EXPECT_EQ(to_hex(out), hash_hex(HashAlg::sha256, "a"));
  snapshot->update(as_bytes("b"));
  snapshot->digest(out);
  EXPECT_EQ(to_hex(out), hash_hex(HashAlg::sha256, "ab"));
}

// RFC 4231 test case 2.
TEST_F(HashTest, HmacRfc4231Case2) {
  const auto key = as_bytes("Jefe");
  const auto data = as_bytes("what do ya want for nothing?");
  std::vector<uint8_t> out256(32);
  provider_->hmac(HashAlg::sha256, key, data, out256);
  EXPECT_EQ(to_hex(out256), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  std::vector<uint8_t> out384(48);
  provider_->hmac(HashAlg::sha384, key, data, out384);
  EXPECT_EQ(
      to_hex(out384),
      "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ec"
      "fab21649");
}

// RFC 4231 test case 6: a key longer than the block size is hashed first.
TEST_F(HashTest, HmacRfc4231Case6LongKey) {
  const std::vector<uint8_t> key(131, 0xaa);
  const auto data = as_bytes("Test Using Larger Than Block-Size Key - Hash Key First");
  std::vector<uint8_t> out(32);
  provider_->hmac(HashAlg::sha256, key, data, out);
  EXPECT_EQ(to_hex(out), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

// RFC 5869 appendix A.1.
TEST_F(HashTest, HkdfRfc5869Case1) {
  const auto ikm = from_hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  const auto salt = from_hex("000102030405060708090a0b0c");
  const auto info = from_hex("f0f1f2f3f4f5f6f7f8f9");
  std::vector<uint8_t> prk(32);
  provider_->hkdf_extract(HashAlg::sha256, salt, ikm, prk);
  EXPECT_EQ(to_hex(prk), "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  std::vector<uint8_t> okm(42);
  provider_->hkdf_expand(HashAlg::sha256, prk, info, okm);
  EXPECT_EQ(to_hex(okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

// RFC 5869 appendix A.3: empty salt and info.
TEST_F(HashTest, HkdfRfc5869Case3) {
  const auto ikm = from_hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  std::vector<uint8_t> prk(32);
  provider_->hkdf_extract(HashAlg::sha256, {}, ikm, prk);
  EXPECT_EQ(to_hex(prk), "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04");
  std::vector<uint8_t> okm(42);
  provider_->hkdf_expand(HashAlg::sha256, prk, {}, okm);
  EXPECT_EQ(to_hex(okm),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST_F(HashTest, HkdfExpandPrefixesAgreeAndMaximumLength) {
  const std::vector<uint8_t> prk(48, 0x42);
  const auto info = as_bytes("label");
  std::vector<uint8_t> longest(255 * 48);
  provider_->hkdf_expand(HashAlg::sha384, prk, info, longest);
  std::vector<uint8_t> short_okm(20);
  provider_->hkdf_expand(HashAlg::sha384, prk, info, short_okm);
  EXPECT_TRUE(std::equal(short_okm.begin(), short_okm.end(), longest.begin()));
  // T(1) = HMAC(PRK, info | 0x01).
  std::vector<uint8_t> input(info.begin(), info.end());
  input.push_back(1);
  std::vector<uint8_t> t1(48);
  provider_->hmac(HashAlg::sha384, prk, input, t1);
  EXPECT_TRUE(std::equal(t1.begin(), t1.end(), longest.begin()));
}

TEST_F(HashTest, RandomFillsBuffer) {
  std::vector<uint8_t> a(32), b(32);
  provider_->random(a);
  provider_->random(b);
  EXPECT_NE(a, b);
  provider_->random({});
}

}  // namespace
}  // namespace bastion::crypto
