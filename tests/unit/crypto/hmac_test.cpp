// The keyed HMAC (Provider::new_hmac) and HKDF-Expand over it, against RFC 4231 and RFC 5869
// and against the provider's one-shot hmac() and hkdf_expand().
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "crypto/insecure_deterministic_provider.hpp"
#include "crypto/provider.hpp"
#include "unit/crypto/hex.hpp"

namespace bastion::crypto {
namespace {

constexpr HashAlg kAllHashes[] = {HashAlg::sha256, HashAlg::sha384, HashAlg::sha512};

class HmacTest : public ::testing::Test {
 protected:
  std::string keyed_hex(HashAlg alg, Bytes key, Bytes data) const {
    std::vector<uint8_t> out(hash_length(alg));
    const Bytes parts[] = {data};
    provider_->new_hmac(alg, key)->mac(parts, out);
    return to_hex(out);
  }
  std::string one_shot_hex(HashAlg alg, Bytes key, Bytes data) const {
    std::vector<uint8_t> out(hash_length(alg));
    provider_->hmac(alg, key, data, out);
    return to_hex(out);
  }

  std::shared_ptr<const Provider> provider_ = openssl_provider();
};

struct Rfc4231Case {
  std::string key;
  std::string data;
  std::string sha256;
  std::string sha384;
  std::string sha512;
};

// RFC 4231 §4.2, §4.3, §4.7, §4.8: a 20-byte key, a short key, and keys longer than the
// SHA-256 and SHA-384/512 blocks (hashed first), with data shorter and longer than a block.
const Rfc4231Case kRfc4231[] = {
    {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
     "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9"
     "cb6",
     "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f"
     "4e4be9d914eeb61f1702e696c203a126854"},
    {"4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
     "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21"
     "649",
     "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e"
     "6fdcaeab1a34d4a6b4b636e070a38bce737"},
    {std::string(131 * 2, 'a'),
     "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6"
     "579204669727374",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
     "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44"
     "952",
     "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1"
     "e5295e64f73f63f0aec8b915a985d786598"},
    {std::string(131 * 2, 'a'),
     "5468697320697320612074657374207573696e672061206c6172676572207468616e20626c6f636b2d73697a65206"
     "b657920616e642061206c6172676572207468616e20626c6f636b2d73697a6520646174612e20546865206b657920"
     "6e6565647320746f20626520686173686564206265666f7265206265696e6720757365642062792074686520484d4"
     "14320616c676f726974686d2e",
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
     "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c465"
     "23e",
     "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4d"
     "e15134676fb6de0446065c97440fa8c6a58"},
};

TEST_F(HmacTest, Rfc4231) {
  for (const Rfc4231Case& c : kRfc4231) {
    const auto key = from_hex(c.key);
    const auto data = from_hex(c.data);
    EXPECT_EQ(keyed_hex(HashAlg::sha256, key, data), c.sha256);
    EXPECT_EQ(keyed_hex(HashAlg::sha384, key, data), c.sha384);
    EXPECT_EQ(keyed_hex(HashAlg::sha512, key, data), c.sha512);
  }
}

// Key lengths around each block size (64 for SHA-256, 128 for SHA-384/512) and data around
// the one-block boundary, against the one-shot HMAC.
TEST_F(HmacTest, MatchesOneShotForKeyAndDataLengths) {
  for (HashAlg alg : kAllHashes) {
    for (size_t key_len : {0, 1, 32, 48, 63, 64, 65, 127, 128, 129, 200}) {
      std::vector<uint8_t> key(key_len);
      provider_->random(key);
      for (size_t data_len : {0, 1, 55, 56, 64, 111, 112, 128, 300}) {
        std::vector<uint8_t> data(data_len);
        provider_->random(data);
        EXPECT_EQ(keyed_hex(alg, key, data), one_shot_hex(alg, key, data))
            << "key " << key_len << " data " << data_len;
      }
    }
  }
}

// Parts are concatenated, and the key states are reused: every MAC starts from the key alone.
TEST_F(HmacTest, PartsConcatenateAndMacsAreIndependent) {
  const std::vector<uint8_t> key(32, 0x42);
  const auto data = as_bytes("what do ya want for nothing?");
  const auto hmac = provider_->new_hmac(HashAlg::sha256, key);
  EXPECT_EQ(hmac->alg(), HashAlg::sha256);
  std::vector<uint8_t> split(32);
  const Bytes parts[] = {data.first(4), {}, data.subspan(4)};
  for (int i = 0; i < 3; ++i) {
    hmac->mac(parts, split);
    EXPECT_EQ(to_hex(split), one_shot_hex(HashAlg::sha256, key, data)) << "MAC number " << i;
  }
}

struct Rfc5869Case {
  std::string ikm;
  std::string salt;
  std::string info;
  size_t length;
  std::string okm;
};

// RFC 5869 appendix A.1 to A.3 (SHA-256): basic, long inputs and output, empty salt and info.
const Rfc5869Case kRfc5869[] = {
    {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
     "f0f1f2f3f4f5f6f7f8f9", 42,
     "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
    {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2"
     "e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
     "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8"
     "e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
     "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcddd"
     "edfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     82,
     "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590"
     "e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"},
    {"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "", 42,
     "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
};

TEST_F(HmacTest, HkdfExpandRfc5869) {
  for (const Rfc5869Case& c : kRfc5869) {
    std::vector<uint8_t> prk(32);
    provider_->hkdf_extract(HashAlg::sha256, from_hex(c.salt), from_hex(c.ikm), prk);
    std::vector<uint8_t> okm(c.length);
    hkdf_expand(*provider_->new_hmac(HashAlg::sha256, prk), from_hex(c.info), okm);
    EXPECT_EQ(to_hex(okm), c.okm);
  }
}

// Output lengths around block boundaries, up to the maximum, against the one-shot HKDF-Expand.
TEST_F(HmacTest, HkdfExpandMatchesOneShot) {
  const auto info = as_bytes("tls13 c hs traffic");
  for (HashAlg alg : kAllHashes) {
    const size_t len = hash_length(alg);
    std::vector<uint8_t> prk(len);
    provider_->random(prk);
    const auto keyed = provider_->new_hmac(alg, prk);
    for (size_t n : {size_t{0}, size_t{1}, size_t{12}, len - 1, len, len + 1, 2 * len, 255 * len}) {
      std::vector<uint8_t> expected(n), actual(n);
      provider_->hkdf_expand(alg, prk, info, expected);
      hkdf_expand(*keyed, info, actual);
      EXPECT_EQ(actual, expected) << "length " << n;
    }
  }
}

TEST_F(HmacTest, HkdfExpandRefusesMoreThan255Blocks) {
  const auto keyed = provider_->new_hmac(HashAlg::sha256, std::vector<uint8_t>(32, 1));
  std::vector<uint8_t> too_long(255 * 32 + 1);
  EXPECT_DEATH(hkdf_expand(*keyed, {}, too_long), "");
}

// The deterministic provider forwards the keyed HMAC to the provider it wraps.
TEST_F(HmacTest, DeterministicProviderForwards) {
  const std::array<uint8_t, 4> seed = {1, 2, 3, 4};
  const auto deterministic = insecure_deterministic_provider(seed);
  ASSERT_NE(deterministic, nullptr);
  const auto key = from_hex(kRfc4231[1].key);
  const auto data = from_hex(kRfc4231[1].data);
  std::vector<uint8_t> out(48);
  const Bytes parts[] = {data};
  deterministic->new_hmac(HashAlg::sha384, key)->mac(parts, out);
  EXPECT_EQ(to_hex(out), kRfc4231[1].sha384);
}

}  // namespace
}  // namespace bastion::crypto
