#include <gtest/gtest.h>

#include "crypto/provider.hpp"
#include "unit/crypto/hex.hpp"

namespace bastion::crypto {
namespace {

class KeyShareTest : public ::testing::Test {
 protected:
  std::shared_ptr<const Provider> provider_ = openssl_provider();

  std::unique_ptr<KeyShare> generate(NamedGroup group) {
    auto share = provider_->generate_key_share(group);
    EXPECT_TRUE(share.ok()) << (share.ok() ? "" : share.error().message());
    return share.ok() ? std::move(*share) : nullptr;
  }
};

// RFC 7748 §6.1.
TEST_F(KeyShareTest, X25519Rfc7748) {
  auto alice = provider_->key_share_from_private(
      NamedGroup::x25519,
      from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  auto bob = provider_->key_share_from_private(
      NamedGroup::x25519,
      from_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  ASSERT_TRUE(alice.ok());
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ((*alice)->group(), NamedGroup::x25519);
  EXPECT_EQ(to_hex((*alice)->public_key()),
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  EXPECT_EQ(to_hex((*bob)->public_key()),
            "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  auto k1 = (*alice)->derive((*bob)->public_key());
  auto k2 = (*bob)->derive((*alice)->public_key());
  ASSERT_TRUE(k1.ok());
  ASSERT_TRUE(k2.ok());
  EXPECT_EQ(to_hex(k1->span()), "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  EXPECT_EQ(to_hex(k2->span()), to_hex(k1->span()));
}

// RFC 7748 §6.2.
TEST_F(KeyShareTest, X448Rfc7748) {
  auto alice = provider_->key_share_from_private(
      NamedGroup::x448, from_hex("9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28d"
                                 "d9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b"));
  auto bob = provider_->key_share_from_private(
      NamedGroup::x448, from_hex("1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d"
                                 "6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d"));
  ASSERT_TRUE(alice.ok() && bob.ok());
  EXPECT_EQ(to_hex((*alice)->public_key()),
            "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bb"
            "c836647241d953d40c5b12da88120d53177f80e532c41fa0");
  EXPECT_EQ(to_hex((*bob)->public_key()),
            "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972"
            "fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609");
  auto k1 = (*alice)->derive((*bob)->public_key());
  auto k2 = (*bob)->derive((*alice)->public_key());
  ASSERT_TRUE(k1.ok() && k2.ok());
  EXPECT_EQ(to_hex(k1->span()),
            "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56"
            "fd2464c335543936521c24403085d59a449a5037514a879d");
  EXPECT_EQ(to_hex(k2->span()), to_hex(k1->span()));
}

TEST_F(KeyShareTest, GeneratedSharesAgree) {
  struct Case {
    NamedGroup group;
    size_t public_len;
    size_t secret_len;
  };
  for (auto c : {Case{NamedGroup::x25519, 32, 32}, Case{NamedGroup::secp256r1, 65, 32},
                 Case{NamedGroup::secp384r1, 97, 48}, Case{NamedGroup::secp521r1, 133, 66},
                 Case{NamedGroup::x448, 56, 56}, Case{NamedGroup::ffdhe2048, 256, 256},
                 Case{NamedGroup::ffdhe3072, 384, 384}, Case{NamedGroup::ffdhe4096, 512, 512},
                 Case{NamedGroup::ffdhe6144, 768, 768}, Case{NamedGroup::ffdhe8192, 1024, 1024}}) {
    SCOPED_TRACE(static_cast<int>(c.group));
    EXPECT_TRUE(provider_->supports_group(c.group));
    auto a = generate(c.group);
    auto b = generate(c.group);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(a->group(), c.group);
    ASSERT_EQ(a->public_key().size(), c.public_len);
    if (c.public_len == 65 || c.public_len == 97 || c.public_len == 133) {
      EXPECT_EQ(a->public_key()[0], 0x04);
    }
    EXPECT_NE(to_hex(a->public_key()), to_hex(b->public_key()));
    auto s1 = a->derive(b->public_key());
    auto s2 = b->derive(a->public_key());
    ASSERT_TRUE(s1.ok()) << s1.error().message();
    ASSERT_TRUE(s2.ok()) << s2.error().message();
    EXPECT_EQ(s1->size(), c.secret_len);
    EXPECT_EQ(to_hex(s1->span()), to_hex(s2->span()));
  }
}

void expect_bad_share(const KeyShare& share, std::span<const uint8_t> peer) {
  auto r = share.derive(peer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::bad_key_share) << r.error().message();
}

TEST_F(KeyShareTest, UnsupportedGroup) {
  // ffdhe2048 + 5 and the old explicit curves are not groups we know.
  for (auto group : {static_cast<NamedGroup>(0x0105), static_cast<NamedGroup>(0x0001)}) {
    EXPECT_FALSE(provider_->supports_group(group));
    EXPECT_FALSE(provider_->generate_key_share(group).ok());
  }
}

TEST_F(KeyShareTest, X448RejectsBadPeers) {
  auto share = generate(NamedGroup::x448);
  ASSERT_NE(share, nullptr);
  expect_bad_share(*share, {});
  expect_bad_share(*share, std::vector<uint8_t>(55, 9));
  expect_bad_share(*share, std::vector<uint8_t>(57, 9));
  // u = 0 and u = 1 are of small order: the shared secret is all zeros (RFC 8446 §7.4.2).
  expect_bad_share(*share, std::vector<uint8_t>(56, 0));
  auto one = std::vector<uint8_t>(56, 0);
  one[0] = 1;
  expect_bad_share(*share, one);
}

// RFC 8446 §4.2.8.1: Y padded to the size of p, and 1 < Y < p-1.
TEST_F(KeyShareTest, FfdheRejectsBadPeers) {
  auto share = generate(NamedGroup::ffdhe2048);
  auto other = generate(NamedGroup::ffdhe2048);
  ASSERT_NE(share, nullptr);
  std::vector<uint8_t> good(other->public_key().begin(), other->public_key().end());
  ASSERT_TRUE(share->derive(good).ok());
  expect_bad_share(*share, {});
  expect_bad_share(*share, std::span(good).subspan(1));  // not padded to the size of p
  auto longer = good;
  longer.insert(longer.begin(), 0);
  expect_bad_share(*share, longer);
  std::vector<uint8_t> value(256, 0);
  expect_bad_share(*share, value);  // 0
  value.back() = 1;
  expect_bad_share(*share, value);  // 1
  // RFC 7919 §A.1.
  const auto p = from_hex(
      "FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1D8B9C583CE2D3695A9E13641146433FBCC939DCE"
      "249B3EF97D2FE363630C75D8F681B202AEC4617AD3DF1ED5D5FD65612433F51F5F066ED085636555"
      "3DED1AF3B557135E7F57C935984F0C70E0E68B77E2A689DAF3EFE8721DF158A136ADE73530ACCA4F"
      "483A797ABC0AB182B324FB61D108A94BB2C8E3FBB96ADAB760D7F4681D4F42A3DE394DF4AE56EDE7"
      "6372BB190B07A7C8EE0A6D709E02FCE1CDF7E2ECC03404CD28342F619172FE9CE98583FF8E4F1232"
      "EEF28183C3FE3B1B4C6FAD733BB5FCBC2EC22005C58EF1837D1683B2C6F34A26C1B2EFFA886B4238"
      "61285C97FFFFFFFFFFFFFFFF");
  ASSERT_EQ(p.size(), 256u);
  // p - 1 (of order 2), p, and everything above.
  auto p_minus_1 = p;
  p_minus_1.back() = 0xfe;
  expect_bad_share(*share, p_minus_1);
  expect_bad_share(*share, p);
  expect_bad_share(*share, std::vector<uint8_t>(256, 0xff));
  // 2 and p - 2 are in range.
  value.back() = 2;
  EXPECT_TRUE(share->derive(value).ok());
  auto p_minus_2 = p_minus_1;
  p_minus_2.back() = 0xfd;
  EXPECT_TRUE(share->derive(p_minus_2).ok());
  // A share of another group.
  expect_bad_share(*share, generate(NamedGroup::ffdhe3072)->public_key());
}

TEST_F(KeyShareTest, FfdheSecretIsPaddedToTheSizeOfP) {
  // RFC 8446 §7.4.1: Z is left-padded with zeros to the size of p. With the exponent 1 the
  // secret is the peer's Y, whatever its leading zeros.
  auto one = provider_->key_share_from_private(NamedGroup::ffdhe2048, std::vector<uint8_t>{1});
  ASSERT_TRUE(one.ok()) << one.error().message();
  std::vector<uint8_t> small(256, 0);
  small.back() = 7;
  auto secret = (*one)->derive(small);
  ASSERT_TRUE(secret.ok());
  EXPECT_EQ(to_hex(secret->span()), to_hex(small));
  EXPECT_EQ(to_hex((*one)->public_key()), to_hex(std::vector<uint8_t>(255, 0)) + "02");
}

TEST_F(KeyShareTest, X25519RejectsBadPeers) {
  auto share = generate(NamedGroup::x25519);
  ASSERT_NE(share, nullptr);
  expect_bad_share(*share, {});
  expect_bad_share(*share, std::vector<uint8_t>(31, 9));
  expect_bad_share(*share, std::vector<uint8_t>(33, 9));
  // Small-order points give an all-zero shared secret (RFC 7748 §6.1, RFC 8446 §7.4.2).
  expect_bad_share(*share, std::vector<uint8_t>(32, 0));
  auto one = std::vector<uint8_t>(32, 0);
  one[0] = 1;
  expect_bad_share(*share, one);
  expect_bad_share(*share,
                   from_hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"));
}

TEST_F(KeyShareTest, NistRejectsBadPeers) {
  for (NamedGroup group : {NamedGroup::secp256r1, NamedGroup::secp384r1}) {
    SCOPED_TRACE(static_cast<int>(group));
    auto share = generate(group);
    auto other = generate(group);
    ASSERT_NE(share, nullptr);
    ASSERT_NE(other, nullptr);
    std::vector<uint8_t> good(other->public_key().begin(), other->public_key().end());
    ASSERT_TRUE(share->derive(good).ok());

    expect_bad_share(*share, {});
    expect_bad_share(*share, std::span(good).first(good.size() - 1));
    auto longer = good;
    longer.push_back(0);
    expect_bad_share(*share, longer);
    // Point at infinity, alone and padded.
    expect_bad_share(*share, std::vector<uint8_t>{0});
    expect_bad_share(*share, std::vector<uint8_t>(good.size(), 0));
    // Compressed encoding of the same point.
    std::vector<uint8_t> compressed(good.begin(), good.begin() + 1 + (good.size() - 1) / 2);
    compressed[0] = static_cast<uint8_t>(0x02 | (good.back() & 1));
    expect_bad_share(*share, compressed);
    // Not on the curve: y changed.
    auto off_curve = good;
    off_curve.back() ^= 1;
    expect_bad_share(*share, off_curve);
    // A point of the other curve size.
    auto wrong_group =
        generate(group == NamedGroup::secp256r1 ? NamedGroup::secp384r1 : NamedGroup::secp256r1);
    expect_bad_share(*share, wrong_group->public_key());
    // x = p (all 0xff is above p for both curves) is not a field element.
    std::vector<uint8_t> big(good.size(), 0xff);
    big[0] = 0x04;
    expect_bad_share(*share, big);
  }
}

TEST_F(KeyShareTest, NistFromPrivateMatchesPublic) {
  // Scalar 1: the public key is the generator G of P-256.
  std::vector<uint8_t> one(32, 0);
  one[31] = 1;
  auto share = provider_->key_share_from_private(NamedGroup::secp256r1, one);
  ASSERT_TRUE(share.ok()) << share.error().message();
  EXPECT_EQ(to_hex((*share)->public_key()),
            "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
            "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
  auto peer = generate(NamedGroup::secp256r1);
  auto s1 = (*share)->derive(peer->public_key());
  auto s2 = peer->derive((*share)->public_key());
  ASSERT_TRUE(s1.ok());
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ(to_hex(s1->span()), to_hex(s2->span()));
  // The shared secret with scalar 1 is the peer's x-coordinate.
  EXPECT_EQ(to_hex(s1->span()), to_hex(peer->public_key().subspan(1, 32)));

  EXPECT_FALSE(
      provider_->key_share_from_private(NamedGroup::secp256r1, std::vector<uint8_t>(32)).ok());
  EXPECT_FALSE(
      provider_->key_share_from_private(NamedGroup::secp256r1, std::vector<uint8_t>(31, 1)).ok());
  EXPECT_FALSE(
      provider_->key_share_from_private(NamedGroup::x25519, std::vector<uint8_t>(31, 1)).ok());
}

}  // namespace
}  // namespace bastion::crypto
