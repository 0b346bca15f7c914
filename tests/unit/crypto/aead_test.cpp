#include <gtest/gtest.h>

#include "crypto/provider.hpp"
#include "unit/crypto/hex.hpp"

namespace bastion::crypto {
namespace {

struct AeadVector {
  AeadAlg alg;
  const char* key;
  const char* nonce;
  const char* aad;
  const char* plaintext;
  const char* ciphertext;
  const char* tag;
};

// AES-128-GCM: McGrew & Viega, "The Galois/Counter Mode of Operation", test case 4.
// ChaCha20-Poly1305: RFC 8439 §2.8.2. AES-128-CCM with an 8-byte tag: NIST SP 800-38C, C.3
// (a 12-byte nonce, as TLS uses).
const AeadVector kVectors[] = {
    {AeadAlg::aes_128_ccm_8, "404142434445464748494a4b4c4d4e4f", "101112131415161718191a1b",
     "000102030405060708090a0b0c0d0e0f10111213", "202122232425262728292a2b2c2d2e2f3031323334353637",
     "e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5", "484392fbc1b09951"},
    {AeadAlg::aes_128_gcm, "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "feedfacedeadbeeffeedfacedeadbeefabaddad2",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6"
     "b525b16aedf5aa0de657ba637b39",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84"
     "aa051ba30b396a0aac973d58e091",
     "5bc94fbc3221a5db94fae95ae7121a47"},
    {AeadAlg::chacha20_poly1305, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
     "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
     // "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the
     // future, sunscreen would be it."
     "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a20496620492"
     "0"
     "636f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572652c20737"
     "5"
     "6e73637265656e20776f756c642062652069742e",
     "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da927"
     "2"
     "8b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b483"
     "1"
     "d7bc3ff4def08e4b7a9de576d26586cec64b6116",
     "1ae10b594f09e26a7e902ecbd0600691"},
};

class AeadTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Provider> provider_ = openssl_provider();

  std::unique_ptr<Aead> make(AeadAlg alg, std::span<const uint8_t> key) {
    auto aead = provider_->new_aead(alg, key);
    EXPECT_TRUE(aead.ok());
    return aead.ok() ? std::move(*aead) : nullptr;
  }
};

TEST_F(AeadTest, KnownAnswers) {
  for (const auto& v : kVectors) {
    SCOPED_TRACE(static_cast<int>(v.alg));
    auto aead = make(v.alg, from_hex(v.key));
    ASSERT_NE(aead, nullptr);
    const auto nonce = from_hex(v.nonce);
    const auto aad = from_hex(v.aad);
    auto data = from_hex(v.plaintext);
    std::vector<uint8_t> tag(aead_tag_length(v.alg));
    ASSERT_TRUE(aead->seal(nonce, aad, data, tag));
    EXPECT_EQ(to_hex(data), v.ciphertext);
    EXPECT_EQ(to_hex(tag), v.tag);

    // A separate object opens it, as the peer would.
    auto opener = make(v.alg, from_hex(v.key));
    ASSERT_TRUE(opener->open(nonce, aad, data, tag));
    EXPECT_EQ(to_hex(data), v.plaintext);
  }
}

TEST_F(AeadTest, RoundTripTamperAndReuse) {
  for (AeadAlg alg : {AeadAlg::aes_128_gcm, AeadAlg::aes_256_gcm, AeadAlg::chacha20_poly1305,
                      AeadAlg::aes_128_ccm, AeadAlg::aes_128_ccm_8}) {
    SCOPED_TRACE(static_cast<int>(alg));
    std::vector<uint8_t> key(aead_key_length(alg));
    provider_->random(key);
    auto aead = make(alg, key);
    ASSERT_NE(aead, nullptr);
    std::vector<uint8_t> nonce(kAeadNonceLength, 7);
    const auto aad = as_bytes("header");
    const auto message = as_bytes("a record of application data");

    std::vector<uint8_t> data(message.begin(), message.end());
    std::vector<uint8_t> tag(aead_tag_length(alg));
    ASSERT_TRUE(aead->seal(nonce, aad, data, tag));
    EXPECT_NE(to_hex(data), to_hex(message));

    auto try_open = [&](std::vector<uint8_t> ct, std::vector<uint8_t> t, std::span<const uint8_t> a,
                        std::span<const uint8_t> n) { return aead->open(n, a, ct, t); };
    EXPECT_TRUE(try_open(data, tag, aad, nonce));
    auto bad_tag = tag;
    bad_tag[0] ^= 1;
    EXPECT_FALSE(try_open(data, bad_tag, aad, nonce));
    auto bad_ct = data;
    bad_ct[5] ^= 0x80;
    EXPECT_FALSE(try_open(bad_ct, tag, aad, nonce));
    std::vector<uint8_t> bad_aad(aad.begin(), aad.end());
    bad_aad.back() ^= 1;
    EXPECT_FALSE(try_open(data, tag, bad_aad, nonce));
    auto bad_nonce = nonce;
    bad_nonce[11] ^= 1;
    EXPECT_FALSE(try_open(data, tag, aad, bad_nonce));

    // The same object still works after failures, with a fresh nonce, in place.
    nonce[0] = 8;
    std::vector<uint8_t> again(message.begin(), message.end());
    ASSERT_TRUE(aead->seal(nonce, aad, again, tag));
    ASSERT_TRUE(aead->open(nonce, aad, again, tag));
    EXPECT_EQ(to_hex(again), to_hex(message));
  }
}

TEST_F(AeadTest, EmptyPlaintextAndEmptyAad) {
  for (AeadAlg alg : {AeadAlg::aes_128_gcm, AeadAlg::aes_128_ccm, AeadAlg::aes_128_ccm_8}) {
    SCOPED_TRACE(static_cast<int>(alg));
    std::vector<uint8_t> key(16, 1);
    auto aead = make(alg, key);
    ASSERT_NE(aead, nullptr);
    std::vector<uint8_t> nonce(12, 0), tag(aead_tag_length(alg));
    ASSERT_TRUE(aead->seal(nonce, {}, {}, tag));
    EXPECT_TRUE(aead->open(nonce, {}, {}, tag));
    tag.back() ^= 1;
    EXPECT_FALSE(aead->open(nonce, {}, {}, tag));
  }
}

TEST_F(AeadTest, CcmTagLengthsDiffer) {
  std::vector<uint8_t> key(16, 5), nonce(12, 6);
  auto ccm = make(AeadAlg::aes_128_ccm, key);
  auto ccm8 = make(AeadAlg::aes_128_ccm_8, key);
  std::vector<uint8_t> data(20, 7), data8(20, 7), tag(16), tag8(8);
  ASSERT_TRUE(ccm->seal(nonce, {}, data, tag));
  ASSERT_TRUE(ccm8->seal(nonce, {}, data8, tag8));
  EXPECT_EQ(to_hex(data), to_hex(data8)) << "the same CTR keystream";
  EXPECT_NE(to_hex(std::span(tag).first(8)), to_hex(tag8)) << "M enters the first block";
  EXPECT_FALSE(ccm8->open(nonce, {}, data, tag));  // a 16-byte tag is not CCM_8's
}

TEST_F(AeadTest, RejectsBadSizes) {
  EXPECT_FALSE(provider_->new_aead(AeadAlg::aes_128_gcm, std::vector<uint8_t>(32)).ok());
  EXPECT_FALSE(provider_->new_aead(AeadAlg::chacha20_poly1305, std::vector<uint8_t>(16)).ok());
  auto aead = make(AeadAlg::aes_256_gcm, std::vector<uint8_t>(32, 3));
  ASSERT_NE(aead, nullptr);
  std::vector<uint8_t> data(10), tag(16), short_tag(12), short_nonce(8), nonce(12);
  EXPECT_FALSE(aead->seal(short_nonce, {}, data, tag));
  EXPECT_FALSE(aead->seal(nonce, {}, data, short_tag));
  EXPECT_FALSE(aead->open(nonce, {}, data, short_tag));
}

}  // namespace
}  // namespace bastion::crypto
